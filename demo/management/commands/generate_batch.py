import datetime as dt
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core_tables.models import SecureId
from core_tables.snapshot import build_snapshot
from demo.generator import (BatchOptions, GeneratorError, NamePool, ReferenceData, RegistryTooSmall, plan_batch,
                            write_batch, write_secure_ids)
from sts.clock import parse_today
from transcripts.progress_store import load_core_tables


def reference_data(sponsor_code: str) -> ReferenceData:
    """The generator's plain inputs from the reference tables: the edits' snapshot for the
    sponsor (with its registry), the core tables, a name pool and every registry unique ID."""
    people = SecureId.objects.values_list("first_name", "sex", "last_name")
    return ReferenceData(
        snapshot=build_snapshot(sponsor_code), tables=load_core_tables(), names=NamePool.from_people(people),
        taken_unique_ids=frozenset(SecureId.objects.values_list("unique_id", flat=True)))


def default_name(sponsor: str, students: int, seed: int, error_rate: float) -> str:
    """Letters and digits only: the upload (and sts_validate) refuses other file names."""
    errors = f"e{round(error_rate * 100)}" if error_rate else ""
    return f"{sponsor}n{students}s{seed}{errors}.txt"


class Command(BaseCommand):
    help = ("Write a realistic fixed-width batch file for the loaded reference data (valid unless "
            "--error-rate > 0): for demos, tests and benchmarks. Prints the file's path.")

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, required=True, metavar="N")
        parser.add_argument("--sponsor", default="017", metavar="S", help="sponsor code (default 017)")
        parser.add_argument("--seed", type=int, default=1, metavar="K", help="random seed (default 1)")
        parser.add_argument("--error-rate", type=float, default=0.0, metavar="R",
                            help="share of students given one realistic error (default 0)")
        parser.add_argument("--bssy", type=int, default=2025, metavar="YYYY", help="BSSY of the file (default 2025)")
        parser.add_argument("--today", metavar="YYYY-MM-DD",
                            help="the day graduation dates must not be more than 14 days after (default today)")
        parser.add_argument("--out", metavar="FILE",
                            help="output file (default var/generated/<sponsor>n<N>s<seed>.txt; '-' for stdout)")
        parser.add_argument("--secure-ids-out", metavar="FILE",
                            help="public/charter: invent students beyond the sponsor's registry and write their "
                                 "registry rows to this secure_ids.csv (a folder gets secure_ids.csv inside) for "
                                 "load_reference")

    def handle(self, *args, students, sponsor, seed, error_rate, bssy, today, out, secure_ids_out, **options):
        sponsor = sponsor.upper()
        options_ = BatchOptions(sponsor=sponsor, students=students, seed=seed, bssy=bssy, error_rate=error_rate,
                                today=parse_today(today) or dt.date.today(), invent=bool(secure_ids_out))
        started = time.perf_counter()
        try:
            batch = plan_batch(reference_data(sponsor), options_)
        except RegistryTooSmall as exc:
            raise CommandError(f"{exc} Pass --secure-ids-out FILE to invent the others and write their registry "
                               "rows (load them with load_reference before validating the file).") from None
        except GeneratorError as exc:
            raise CommandError(str(exc)) from None
        if secure_ids_out:
            target = Path(secure_ids_out)
            if target.is_dir() or target.suffix.lower() != ".csv":
                target.mkdir(parents=True, exist_ok=True)
                target = target / "secure_ids.csv"
            target.parent.mkdir(parents=True, exist_ok=True)
            rows = write_secure_ids(batch.invented, target)
            self.stderr.write(f"{rows} invented registry rows written to {target} "
                              f"(load them with: manage.py load_reference {target.parent})")
        if out == "-":
            write_batch(batch, self.stdout)
            return
        path = Path(out) if out else settings.VAR_DIR / "generated" / default_name(sponsor, students, seed, error_rate)
        path.parent.mkdir(parents=True, exist_ok=True)
        records = write_batch(batch, path)
        elapsed = time.perf_counter() - started
        graduates = sum(p.graduate for p in batch.profiles)
        self.stderr.write(f"{students} students ({graduates} graduates, {len(batch.errors)} with an error), "
                          f"{records} records in {elapsed:.1f} s")
        self.stdout.write(str(path))
