"""Roll the non-graduates of BSSY YYYY into YYYY+1 (the screen's rollover, in this process).

    python manage.py sts_rollover --from YYYY [--sponsor S] [--dry-run] --json

prints {"rolled": n, "skipped_graduates": n, "already_present": n, "dry_run": bool, "rollover": id|null,
"sponsors": [{"sponsor", "rolled", "skipped_graduates", "already_present"}]}.
"""
import json

from django.core.management.base import BaseCommand, CommandError

from core_tables.models import Sponsor
from sts import jobs
from yearend import rollover
from yearend.models import Rollover


class Command(BaseCommand):
    help = "Roll the non-graduate students of a BSSY into the next (with transcripts and IBCs; consent reset)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="from_bssy", required=True, help="the BSSY to roll from (YYYY)")
        parser.add_argument("--sponsor", help="one sponsor code (default: every sponsor)")
        parser.add_argument("--dry-run", action="store_true", help="count only; change nothing")
        parser.add_argument("--json", dest="as_json", action="store_true", help="print the counts as JSON")
        parser.add_argument("--by", default="command", help="who ran it (recorded on the rollover)")

    def handle(self, *args, from_bssy, sponsor, dry_run, as_json, by, **options):
        try:
            year = rollover.check_bssy(from_bssy)
        except rollover.RolloverRefused as exc:
            raise CommandError(str(exc))
        sponsor_row = None
        if sponsor:
            sponsor_row = Sponsor.objects.filter(code=sponsor.strip().upper()).first()
            if sponsor_row is None:
                raise CommandError(f"--sponsor: no sponsor {sponsor!r}.")
        found = rollover.plan(year, sponsor_row)
        if dry_run:
            out = {**found.totals(), "dry_run": True, "rollover": None,
                   "sponsors": [p.to_json() for p in found.sponsors]}
        else:
            row = Rollover.objects.create(from_bssy=year, sponsor=sponsor_row, by=by[:150],
                                          **jobs.queued_fields(Rollover))
            jobs.execute(Rollover, row.pk, rollover.run_job)  # the workers' path, in this process
            row.refresh_from_db()
            if row.status != "done":
                raise CommandError(row.message or "The rollover failed.")
            out = {**row.counts, "dry_run": False, "rollover": row.pk, "sponsors": [
                {"sponsor": s.sponsor.code, "rolled": s.rolled, "skipped_graduates": s.skipped_graduates,
                 "already_present": s.already_present} for s in row.sponsors.select_related("sponsor").order_by(
                    "sponsor__code")]}
        if as_json:
            self.stdout.write(json.dumps(out))
        else:
            verb = "would roll" if dry_run else "rolled"
            self.stdout.write(f"BSSY {year} -> {year + 1}: {verb} {out['rolled']}, skipped {out['skipped_graduates']} "
                              f"graduates, {out['already_present']} already present.")

