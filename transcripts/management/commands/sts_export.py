from pathlib import Path

from django.core.exceptions import BadRequest
from django.core.management.base import BaseCommand, CommandError

from sts.clock import DatedCommand

from sts.exports import EXPORTERS

# The command's report names -> exporters (the browser's Print & Export and Reports menus).
REPORTS = {"summary": "summary", "core-progress": "core_progress", "stsq11": "stsq11", "stsq13": "stsq13",
           "all-records": "all_records"}


class Command(DatedCommand, BaseCommand):
    help = ("Write a report to FILE exactly as the browser's download: summary (Export Summary to Excel), "
            "core-progress (Core Progress Report; a .zip of files of 100 students when larger), stsq11, stsq13 "
            "(--element E), all-records (one row per 020/030/050 record). An operator's tool: no user, every student of the sponsor.")

    def add_arguments(self, parser):
        parser.add_argument("report", choices=sorted(REPORTS))
        parser.add_argument("--sponsor", required=True, metavar="S")
        parser.add_argument("--bssy", required=True, type=int, metavar="YYYY")
        parser.add_argument("--site", metavar="X")
        parser.add_argument("--grade", metavar="G")
        parser.add_argument("--element", metavar="E", help="STSQ13 data element")
        parser.add_argument("--award", default="", metavar="A", help="core-progress: TC, TJ or pathway")
        parser.add_argument("--format", required=True, choices=["xlsx", "pdf", "docx"], dest="fmt")
        parser.add_argument("--out", required=True, metavar="FILE")

    def handle(self, *args, report, sponsor, bssy, site, grade, element, award, fmt, out, **options):
        exporter = EXPORTERS[REPORTS[report]].bind(None)  # an operator's command: no user to scope by
        if fmt not in exporter.formats:
            raise CommandError(f"{report} is not written as {fmt}: choose {', '.join(exporter.formats)}.")
        params = {k: str(v) for k, v in {"sponsor": sponsor, "bssy": bssy, "site": site, "grade": grade,
                                         "element": element, "award": award}.items() if v}
        try:
            exporter.title(params)  # validates the parameters with a clear message
            path = Path(out)
            written = Path(exporter.render(fmt, params, path) or path)
        except BadRequest as exc:
            raise CommandError(str(exc)) from None
        if written != path:  # a .zip of parts: under the name asked for
            written.replace(path)
            self.stderr.write(f"{path}: a .zip of files of 100 students")
