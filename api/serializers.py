"""Request and response shapes of /api/v1/ (the OpenAPI schema is generated from these)."""
from rest_framework import serializers

from uploads.models import Upload

MODES = [m for m, _label in Upload.MODES]
STATUSES = [s for s, _label in Upload.STATUSES]


class UploadSubmit(serializers.Serializer):
    file = serializers.FileField(help_text="A .txt batch file (020, 030, 050 records) or a .zip of .txt files.")
    bssy = serializers.IntegerField(required=False, help_text="School year of the records, e.g. 2025 for 2025-26 "
                                                              "(default: the current BSSY).")
    mode = serializers.ChoiceField(choices=MODES, help_text="validate (writes nothing), partial, or replace (also "
                                                            "deletes your sites' students not in the file).")


class UploadQuery(serializers.Serializer):
    bssy = serializers.IntegerField(required=False, min_value=1990, max_value=2999)
    status = serializers.ChoiceField(choices=STATUSES, required=False)
    since = serializers.DateTimeField(required=False, help_text="Only uploads submitted at or after this time "
                                                                "(ISO 8601).")


class RecordCount(serializers.Serializer):
    with_error = serializers.IntegerField(help_text="Records with at least one error")
    rejected = serializers.IntegerField(help_text="Records of rejected students")
    loaded = serializers.IntegerField()


class StudentCounts(serializers.Serializer):
    total = serializers.IntegerField()
    loaded = serializers.IntegerField()
    rejected = serializers.IntegerField()


class FileError(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class DeletedStudent(serializers.Serializer):
    state_id = serializers.CharField()
    name = serializers.CharField()
    site = serializers.CharField()
    restored = serializers.BooleanField()


class Progress(serializers.Serializer):
    records_done = serializers.IntegerField()
    records_total = serializers.IntegerField()


class UploadStatus(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    errors_url = serializers.URLField()
    report_url = serializers.URLField(help_text="The upload's report page in the browser")
    file_name = serializers.CharField()
    mode = serializers.ChoiceField(choices=MODES)
    bssy = serializers.IntegerField(allow_null=True)
    sponsor = serializers.CharField(allow_null=True)
    submitted_by = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(choices=STATUSES)
    progress = Progress(allow_null=True, help_text="While processing: records checked so far and in all")
    accepted = serializers.BooleanField(allow_null=True)
    students = StudentCounts(allow_null=True)
    counts = serializers.DictField(child=RecordCount(), help_text="Per record type (020, 030, 050)")
    error_counts = serializers.DictField(child=serializers.IntegerField(), help_text="Error rows per edit code")
    file_errors = FileError(many=True)
    deleted_students = DeletedStudent(many=True, help_text="Students a replace-mode upload deleted")
    notices = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField(allow_blank=True, help_text="Why a failed upload failed, or why it is being "
                                                                "retried")
    standing = serializers.CharField(allow_blank=True, help_text="While it runs: Queued, Running, "
                                                                 "Retrying (attempt 2 of 3)...")


class ErrorQuery(serializers.Serializer):
    code = serializers.CharField(required=False, max_length=4)
    state_id = serializers.CharField(required=False, max_length=10)
    record_type = serializers.ChoiceField(choices=["020", "030", "050"], required=False)


class ErrorRow(serializers.Serializer):
    id = serializers.IntegerField()
    line = serializers.IntegerField()
    record_type = serializers.CharField()
    state_id = serializers.CharField()
    student_name = serializers.CharField()
    site = serializers.CharField()
    code = serializers.CharField()
    field = serializers.CharField()
    field_label = serializers.CharField()
    position = serializers.IntegerField(allow_null=True)
    length = serializers.IntegerField(allow_null=True)
    value = serializers.CharField()
    message = serializers.CharField()
    solution = serializers.CharField()
    severity = serializers.CharField()


class StudentQuery(serializers.Serializer):
    bssy = serializers.IntegerField(required=False, min_value=1990, max_value=2999,
                                    help_text="Default: the current BSSY")
    site = serializers.RegexField(r"^[A-Za-z0-9]{1,6}$", required=False)
    grade = serializers.RegexField(r"^[A-Za-z0-9]{1,2}$", required=False)
    updated_since = serializers.DateTimeField(required=False)


class StudentRow(serializers.Serializer):
    state_id = serializers.CharField()
    bssy = serializers.IntegerField()
    sponsor = serializers.CharField()
    site = serializers.CharField()
    grade = serializers.CharField()
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    updated_at = serializers.DateTimeField()
    overall_gpa = serializers.FloatField(allow_null=True, help_text="Stored result; the detail computes afresh")
    url = serializers.URLField()


class StudentDetail(serializers.Serializer):
    state_id = serializers.CharField()
    bssy = serializers.IntegerField()
    sponsor = serializers.CharField()
    site = serializers.CharField()
    updated_at = serializers.DateTimeField()
    records = serializers.DictField(help_text="The stored records: student (020 fields), transcripts (030), "
                                              "ibcs (050)")
    progress = serializers.DictField(help_text="Exactly `manage.py sts_progress --json`: pathway, overall_gpa, "
                                               "core_gpa, tops_gpa, total_credits, categories, awards, graduation")


class StudentDetailQuery(serializers.Serializer):
    sponsor = serializers.RegexField(r"^[A-Za-z0-9]{3}$", required=False,
                                     help_text="Only when the State ID is at several sponsors you can see")


class Layout(serializers.Serializer):
    position = serializers.IntegerField()
    length = serializers.IntegerField()


class EditRow(serializers.Serializer):
    code = serializers.CharField()
    record_type = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    position = serializers.IntegerField(allow_null=True, help_text="Column in the public layout")
    length = serializers.IntegerField(allow_null=True)
    layouts = serializers.DictField(child=Layout(), help_text="Position and length per layout (public, nonpublic)")
    severity = serializers.CharField()
    public = serializers.BooleanField()
    nonpublic = serializers.BooleanField()
    message = serializers.CharField()
    solution = serializers.CharField()


class ReferenceQuery(serializers.Serializer):
    bssy = serializers.IntegerField(required=False, min_value=1990, max_value=2999,
                                    help_text="Only rows in force for this BSSY (course codes, curricula)")
    updated_since = serializers.DateTimeField(required=False)


class Problem(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    errors = serializers.ListField(child=serializers.DictField(child=serializers.CharField()), required=False)


def paged(item):
    """The page of a list: {count, next, previous, results} (PageNumberPagination)."""
    return type(f"Paged{item.__name__}", (serializers.Serializer,), {
        "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True), "results": item(many=True)})


PagedUploads, PagedErrors, PagedStudents = paged(UploadStatus), paged(ErrorRow), paged(StudentRow)
