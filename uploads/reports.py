"""The upload error report as an export (CSV, Excel, PDF), rendered by a worker."""
from django.core.exceptions import BadRequest, PermissionDenied
from django.utils import timezone

from core_tables.periods import fmt_bssy
from sts.exports import Exporter, register

from transcripts.layouts import FIELD_LABELS
from .models import Upload
from .queries import FILTERS, filter_errors, may_see_upload, row_sites, visible_errors


@register
class UploadErrors(Exporter):
    name = "upload_errors"
    pdf_record_columns = ("Input record",)  # the 200-column record keeps its columns in the PDF

    def _upload(self, params):
        try:
            return Upload.objects.select_related("sponsor", "user").get(pk=int(params["upload"]))
        except (KeyError, TypeError, ValueError, Upload.DoesNotExist):
            raise BadRequest("Choose an upload whose error report to export.") from None

    def check(self, user, params):
        if not may_see_upload(user, self._upload(params)):
            raise PermissionDenied("You may not see this upload's error report.")

    def title(self, params):
        upload = self._upload(params)
        shown = ", ".join(f"{label} {params[key]}" for key, label in FILTERS if params.get(key))
        return f"Upload {upload.pk} error report - {upload.original_name}" + (f" ({shown})" if shown else "")

    def scope(self, params):
        upload = self._upload(params)
        scope = {"Sponsor": str(upload.sponsor) if upload.sponsor else "(not read from the file)"}
        if self.user is not None and row_sites(self.user, upload) is not None:
            scope["Sites"] = "the rows of your sites only"
        scope["BSSY"] = fmt_bssy(upload.bssy) if upload.bssy else ""
        scope["Submitted"] = f"{timezone.localtime(upload.created_at):%m/%d/%Y %H:%M} by {upload.user.username}"
        return scope

    def _errors(self, params):
        """The rows the requesting user sees (school-level users: their sites'), filtered as the
        report page was when the export was asked for."""
        upload = self._upload(params)
        errors = visible_errors(self.user, upload) if self.user is not None else upload.errors.all()
        return filter_errors(errors, **{key: params.get(key, "") for key, _label in FILTERS})

    def count(self, params):
        return self._errors(params).count()

    def rows(self, params):
        yield ["Line", "Record type", "State ID", "Name", "Code", "Field", "Position", "Value", "Message", "Effect",
               "Input record"]
        for e in self._errors(params).order_by("line", "id").iterator(chunk_size=2000):
            # The field as the screen names it (Birth Day, Quality Points), never its code (birth_day).
            field = FIELD_LABELS.get((e.record_type, e.field), e.field)
            yield [e.line, e.record_type, e.state_id, e.name, e.code, field, e.position, e.value, e.message,
                   "graduation date removed" if e.severity == "remove_grad_date" else "student rejected", e.record]
