"""The request and response examples the OpenAPI schema shows for each operation."""
from drf_spectacular.utils import OpenApiExample

BASE = "https://sts.example.org/api/v1"
_upload = {
    "id": 4182, "url": f"{BASE}/uploads/4182/", "errors_url": f"{BASE}/uploads/4182/errors/",
    "report_url": "https://sts.example.org/upload/4182/", "file_name": "017BATCH.txt", "mode": "partial",
    "bssy": 2025, "sponsor": "017", "submitted_by": "E017UPL", "submitted_at": "2026-03-02T08:15:00-06:00",
    "finished_at": None, "status": "queued", "progress": None, "accepted": None, "students": None,
    "counts": {rt: {"with_error": 0, "rejected": 0, "loaded": 0} for rt in ("020", "030", "050")},
    "error_counts": {}, "file_errors": [], "deleted_students": [], "notices": [], "message": "", "standing": "Queued",
}
UPLOAD_SUBMIT = OpenApiExample("Submit", request_only=True, media_type="multipart/form-data",
                               value={"file": "(017BATCH.txt, fixed-width records)", "bssy": 2025, "mode": "partial"})
UPLOAD_QUEUED = OpenApiExample("Queued", response_only=True, status_codes=["202", "200"], value=_upload)
UPLOAD_PROCESSING = OpenApiExample("Processing", response_only=True, value={
    **_upload, "status": "processing", "standing": "Running",
    "progress": {"records_done": 12000, "records_total": 25000}})
UPLOAD_COMPLETE = OpenApiExample("Complete", response_only=True, value={
    **_upload, "status": "complete", "standing": "", "finished_at": "2026-03-02T08:16:40-06:00", "accepted": True,
    "students": {"total": 25000, "loaded": 24870, "rejected": 130},
    "counts": {"020": {"with_error": 130, "rejected": 130, "loaded": 24870},
               "030": {"with_error": 141, "rejected": 1190, "loaded": 286400},
               "050": {"with_error": 0, "rejected": 4, "loaded": 1210}},
    "error_counts": {"200": 61, "412": 80}})
UPLOAD_LIST = OpenApiExample("Uploads", response_only=True, value={
    "count": 1, "next": None, "previous": None, "results": [UPLOAD_COMPLETE.value]})
ERRORS = OpenApiExample("Error rows", response_only=True, value={
    "count": 141, "next": f"{BASE}/uploads/4182/errors/?page=2", "previous": None, "results": [{
        "id": 99121, "line": 57, "record_type": "030", "state_id": "1234567890", "student_name": "DOE, JANE",
        "site": "017001", "code": "412", "field": "semester", "field_label": "Semester", "position": 29, "length": 2,
        "value": "Q9", "message": "INVALID SEMESTER", "solution": "Use one of the semester codes of the guide.",
        "severity": "reject"}]})
STUDENTS = OpenApiExample("Students", response_only=True, value={
    "count": 1, "next": None, "previous": None, "results": [{
        "state_id": "1234567890", "bssy": 2025, "sponsor": "017", "site": "017001", "grade": "12",
        "last_name": "DOE", "first_name": "JANE", "updated_at": "2026-03-02T08:16:40-06:00", "overall_gpa": 3.412,
        "url": f"{BASE}/students/1234567890/2025/"}]})
STUDENT = OpenApiExample("Student", response_only=True, value={
    "state_id": "1234567890", "bssy": 2025, "sponsor": "017", "site": "017001",
    "updated_at": "2026-03-02T08:16:40-06:00",
    "records": {"student": {"sponsor": "017", "site": "017001", "state_id": "1234567890", "grade": "12"},
                "transcripts": [{"course_bssy": 2024, "course_code": "120101", "grade": "A", "credit_earned": "1.00"}],
                "ibcs": []},
    "progress": {"pathway": "TU", "overall_gpa": 3.412, "core_gpa": 3.5, "tops_gpa": 3.45, "total_credits": 24.0,
                 "categories": [], "awards": [], "graduation": {"meets": True, "removal_reasons": []}}})
EDITS = OpenApiExample("Edits", response_only=True, value=[{
    "code": "412", "record_type": "030", "field": "semester", "position": 29, "length": 2,
    "layouts": {"public": {"position": 29, "length": 2}, "nonpublic": {"position": 29, "length": 2}},
    "severity": "reject", "public": True, "nonpublic": True, "message": "INVALID SEMESTER",
    "solution": "Use one of the semester codes of the guide."}])
REFERENCE = OpenApiExample("Course codes", response_only=True, value={
    "table": "course-codes", "count": 1, "results": [{
        "code": "120101", "name": "English I", "first_bssy": 2010, "last_bssy": None, "requires_course_name": False,
        "ap_type_allowed": "", "five_point_eligible": False, "experience_only": False,
        "updated_at": "2026-01-05T10:00:00-06:00"}]})
REFERENCE_SITES = OpenApiExample("Sites", response_only=True, value={
    "table": "sites", "count": 1, "results": [{
        "code": "017001", "name": "Demo High", "sponsor": "017", "kind": "school", "address": "4100 Pelican Crest Dr",
        "city": "Baton Rouge", "state": "LA", "zip_code": "70808", "phone": "(225) 555-0141",
        "updated_at": "2026-01-05T10:00:00-06:00"}]})
