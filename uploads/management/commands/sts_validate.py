from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sts.clock import parse_today
from uploads.pipeline import run_pipeline

from ._common import dump


class Command(BaseCommand):
    help = "Run the full batch pipeline on one or more files without writing anything; print JSON."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--bssy", type=int, help="the BSSY chosen (default: the file's)")
        parser.add_argument("--today", help="YYYY-MM-DD used for 'not in the future' edits and collection periods")
        parser.add_argument("--json", action="store_true", help="print JSON (the only output format)")

    def handle(self, *args, files, bssy, today, json, **options):
        today = parse_today(today)
        results = {}
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file")
            results[name] = run_pipeline(path, path.name, mode="validate", bssy=bssy, today=today).as_json()
        dump(self, results[files[0]] if len(files) == 1 else results)
