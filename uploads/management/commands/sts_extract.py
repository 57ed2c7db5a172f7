from django.core.exceptions import BadRequest
from django.core.management.base import BaseCommand, CommandError

from sts.clock import DatedCommand

from sts.exports import EXPORTERS


class Command(DatedCommand, BaseCommand):
    help = ("Write the stored records of a sponsor (or one site, one grade) for a BSSY to stdout in the batch "
            "layout, CR LF: 020+030+050 (Extract All Records), --ibc-only 050 (Extract IBCs), --history the 050s "
            "of the statewide IBC history. An operator's tool: no user, every student of the sponsor.")

    def add_arguments(self, parser):
        parser.add_argument("--sponsor", required=True, metavar="S")
        parser.add_argument("--bssy", required=True, type=int, metavar="YYYY")
        parser.add_argument("--site", metavar="X")
        parser.add_argument("--grade", metavar="G")
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument("--ibc-only", action="store_true", help="only the 050 IBC records")
        kind.add_argument("--history", action="store_true", help="050 records from the statewide IBC history")

    def handle(self, *args, sponsor, bssy, site, grade, ibc_only, history, **options):
        name = "extract_ibc_history" if history else "extract_ibc" if ibc_only else "extract_all"
        params = {"sponsor": sponsor, "bssy": bssy, "site": site or "", "grade": grade or ""}
        exporter = EXPORTERS[name].bind(None)  # an operator's command: no user to scope by
        try:
            exporter.selection(params)
        except BadRequest as exc:
            raise CommandError(str(exc)) from None
        # Raw text to stdout: no newline translation (the records end in CR LF).
        out = self.stdout._out
        exporter.write(params, out)
        out.flush()
