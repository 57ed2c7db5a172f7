"""/api/v1/: thin views over the upload pipeline, the error report, the progress engine and the
reference tables. Every object goes through the permission module; one out of reach is 404."""
from django.db import IntegrityError
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core_tables.models import Category, CourseCode, Curriculum, IbcCode, SetCourse, Site
from core_tables.periods import current_bssy
from sts import jobs
from sts.accounts import permissions
from sts.accounts.permissions import Action
from transcripts.models import Student
from transcripts.progress_store import compute_for
from uploads.handlers import too_large_message
from uploads.queries import filter_errors, uploads_visible_to, visible_errors
from uploads.submission import bssy_choices, refusal_before_storing, store_and_queue

from . import examples, serializers as S
from .models import IdempotentSubmission, SubmittedWith
from .problems import CONTENT_TYPE, problem
from .representation import edit_catalog, error_json, row_json, student_records, upload_json

PROBLEMS = {code: OpenApiResponse(S.Problem, description=text) for code, text in (
    (400, "Bad input: `errors` names each field"), (401, "No token, or a revoked/expired one, or its user is "
                                                          "disabled or locked"),
    (403, "The token's user may not do this at all"), (404, "No such object within the token's reach"),
    (413, "The file is larger than the upload limit"),
    (429, "Too many requests for this token: wait Retry-After seconds"))}


def problems(*codes):
    return {(c, "application/problem+json"): PROBLEMS[c] for c in (401, 429, *codes)}


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number (1 first); past the last page is 404"),
    OpenApiParameter("page_size", int, description=f"Rows a page (default {Pages.page_size}, at most "
                                                    f"{Pages.max_page_size})")]


def _query(serializer_class, request):
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class ApiView(APIView):
    permission_classes = [IsAuthenticated]

    def absolute(self, path):
        return self.request.build_absolute_uri(path)

    def page(self, rows, to_json):
        pages = Pages()
        page = pages.paginate_queryset(rows, self.request, view=self)
        return pages.get_paginated_response([to_json(r) for r in page])


MAX_ID = 2 ** 63 - 1  # larger numbers in a URL are no row (and would overflow the database's integer)
BSSY_RANGE = range(1990, 3000)


def _visible_upload(request, pk):
    if pk > MAX_ID:
        raise NotFound(f"No upload {pk} that you can see.")
    jobs.reap_now_and_then()
    job = uploads_visible_to(request.user).filter(pk=pk).first()
    if job is None:
        raise NotFound(f"No upload {pk} that you can see.")
    return job


class UploadList(ApiView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="uploads_list", parameters=[S.UploadQuery, *PAGE_PARAMETERS], responses={200: S.PagedUploads,
                   **problems(400, 404)}, summary="Your visible uploads, newest first",
                   examples=[examples.UPLOAD_LIST])
    def get(self, request):
        q = _query(S.UploadQuery, request)
        jobs.reap_now_and_then()
        uploads = uploads_visible_to(request.user)
        if "bssy" in q:
            uploads = uploads.filter(bssy=q["bssy"])
        if "status" in q:
            uploads = uploads.filter(status=q["status"])
        if "since" in q:
            uploads = uploads.filter(created_at__gte=q["since"])
        return self.page(uploads, lambda job: upload_json(request.user, job, self.absolute))

    @extend_schema(operation_id="uploads_create", request={"multipart/form-data": S.UploadSubmit},
                   parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                                                description="Any unique text (e.g. a UUID) per submission: sending "
                                                            "the same key again returns the first upload.")],
                   responses={202: S.UploadStatus, 200: OpenApiResponse(S.UploadStatus, description="The upload "
                              "this Idempotency-Key created before"), **problems(400, 403, 413)},
                   summary="Submit a batch file", examples=[examples.UPLOAD_SUBMIT, examples.UPLOAD_QUEUED])
    def post(self, request):
        permissions.require(request.user, Action.UPLOAD)
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 200:
            raise ValidationError({"Idempotency-Key": "The Idempotency-Key header is longer than 200 characters."})
        if key and (earlier := self._earlier(request.user, key)):
            return Response(upload_json(request.user, earlier, self.absolute), status=status.HTTP_200_OK)
        data = S.UploadSubmit(data=request.data)  # reading the body runs the size-limit handler
        too_large = too_large_message(request._request)
        if too_large:
            return _too_large(request, too_large)
        data.is_valid(raise_exception=True)
        data = data.validated_data
        allowed = bssy_choices(current_bssy())
        bssy = data.get("bssy", allowed[0])
        if bssy not in allowed:
            raise ValidationError({"bssy": f"BSSY {bssy} cannot be submitted: choose one of "
                                           f"{', '.join(map(str, allowed))}."})
        problem = refusal_before_storing(request.user, data["file"])
        if problem:
            raise ValidationError({"file": problem})

        def remember(job):
            SubmittedWith.objects.create(upload=job, token=request.auth)
            if key:
                IdempotentSubmission.objects.create(user=request.user, key=key, upload=job)
        try:
            job = store_and_queue(request.user, data["file"], mode=data["mode"], bssy=bssy, after_store=remember)
        except IntegrityError:  # the same key sent twice at once: the other request won
            earlier = self._earlier(request.user, key)
            if earlier is None:
                raise
            return Response(upload_json(request.user, earlier, self.absolute), status=status.HTTP_200_OK)
        body = upload_json(request.user, job, self.absolute)
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    @staticmethod
    def _earlier(user, key):
        found = IdempotentSubmission.objects.filter(user=user, key=key).select_related(
            "upload", "upload__user", "upload__sponsor").first()
        return found.upload if found else None


def _too_large(request, message):
    return Response(problem(413, message, errors=[{"field": "file", "message": message}], instance=request.path),
                    status=413, content_type=CONTENT_TYPE)


class UploadDetail(ApiView):
    @extend_schema(operation_id="uploads_retrieve", responses={200: S.UploadStatus, **problems(404)},
                   summary="An upload's status, counts and error counts",
                   examples=[examples.UPLOAD_PROCESSING, examples.UPLOAD_COMPLETE])
    def get(self, request, pk):
        return Response(upload_json(request.user, _visible_upload(request, pk), self.absolute))


class UploadErrors(ApiView):
    @extend_schema(operation_id="uploads_errors_list", parameters=[S.ErrorQuery, *PAGE_PARAMETERS],
                   responses={200: S.PagedErrors, **problems(400, 404)},
                   summary="An upload's error rows (yours: your sites' rows only for school-level users)",
                   examples=[examples.ERRORS])
    def get(self, request, pk):
        job = _visible_upload(request, pk)
        q = _query(S.ErrorQuery, request)
        rows = filter_errors(visible_errors(request.user, job), q.get("code", ""), q.get("record_type", ""),
                             q.get("state_id", "")).order_by("line", "id").defer("record")  # the input line: not sent
        return self.page(rows, error_json)


def _students(request):
    return permissions.scope_students(request.user, Student.objects.select_related("sponsor", "site"))


class StudentList(ApiView):
    @extend_schema(operation_id="students_list", parameters=[S.StudentQuery, *PAGE_PARAMETERS],
                   responses={200: S.PagedStudents, **problems(400, 404)},
                   summary="Students you can see, with their stored Overall GPA", examples=[examples.STUDENTS])
    def get(self, request):
        q = _query(S.StudentQuery, request)
        students = _students(request).filter(bssy=q.get("bssy") or current_bssy()).select_related("progress")
        if "site" in q:
            students = students.filter(site__code=q["site"])
        if "grade" in q:
            students = students.filter(grade=q["grade"].upper())
        if "updated_since" in q:
            students = students.filter(updated_at__gte=q["updated_since"])
        return self.page(students.order_by("site__code", "last_name", "first_name", "state_id", "id"),
                         self.row)

    def row(self, s):
        stored = s.progress if hasattr(s, "progress") else None  # no stored result yet: no row
        gpa = stored.overall_gpa if stored is not None else None
        return {"state_id": s.state_id, "bssy": s.bssy, "sponsor": s.sponsor.code, "site": s.site.code,
                "grade": s.grade, "last_name": s.last_name, "first_name": s.first_name, "updated_at": s.updated_at,
                "overall_gpa": None if gpa is None else float(gpa),
                "url": self.absolute(reverse("api:student-detail", args=[s.state_id, s.bssy]))}


class StudentDetail(ApiView):
    @extend_schema(operation_id="students_retrieve", parameters=[S.StudentDetailQuery],
                   responses={200: S.StudentDetail, **problems(400, 404)},
                   summary="A student's stored records and progress (the JSON of `sts_progress --json`)",
                   examples=[examples.STUDENT])
    def get(self, request, state_id, bssy):
        q = _query(S.StudentDetailQuery, request)
        if bssy not in BSSY_RANGE:
            raise NotFound(f"No student {state_id} in BSSY {bssy} that you can see.")
        students = _students(request).filter(state_id=state_id, bssy=bssy).prefetch_related(
            Prefetch("transcripts"), Prefetch("ibcs"))
        if "sponsor" in q:
            students = students.filter(sponsor__code=q["sponsor"])
        found = list(students[:10])
        if not found:
            raise NotFound(f"No student {state_id} in BSSY {bssy} that you can see.")
        if len(found) > 1:
            raise ValidationError({"sponsor": f"State ID {state_id} is at several sponsors in BSSY {bssy}: add "
                                              f"?sponsor= one of {', '.join(sorted(s.sponsor.code for s in found))}."})
        student = found[0]
        return Response({"state_id": student.state_id, "bssy": student.bssy, "sponsor": student.sponsor.code,
                         "site": student.site.code, "updated_at": student.updated_at,
                         "records": student_records(student), "progress": compute_for(student).to_json()})


class EditList(ApiView):
    @extend_schema(operation_id="edits_list", responses={200: S.EditRow(many=True), **problems()},
                   summary="The rule catalog: every edit code the pipeline checks", examples=[examples.EDITS])
    def get(self, request):
        return Response(edit_catalog())


REFERENCE_TABLES = ("sites", "course-codes", "curricula", "ibc-codes")


class ReferenceTable(ApiView):
    @extend_schema(operation_id="reference_list", parameters=[
        S.ReferenceQuery, OpenApiParameter("table", str, OpenApiParameter.PATH, enum=REFERENCE_TABLES)],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="{table, count, results}"),
                   **problems(400, 404)},
        summary="A reference table: sites, course codes, curricula (categories and sets), IBC codes",
        examples=[examples.REFERENCE, examples.REFERENCE_SITES])
    def get(self, request, table):
        if table not in REFERENCE_TABLES:
            raise NotFound(f"No reference table {table!r}: one of {', '.join(REFERENCE_TABLES)}.")
        q = _query(S.ReferenceQuery, request)
        rows = getattr(self, table.replace("-", "_"))(q.get("bssy"))
        if "updated_since" in q:
            rows = rows.filter(updated_at__gte=q["updated_since"])
        results = [self.shape(table, r) for r in rows]
        return Response({"table": table, "count": len(results), "results": results})

    def sites(self, bssy):
        # Every site's code and name (what a SIS needs to fill the batch file's site columns) and
        # its postal address and phone.
        return Site.objects.select_related("sponsor").order_by("code")

    def course_codes(self, bssy):
        rows = CourseCode.objects.order_by("code")
        if bssy:
            rows = rows.filter(first_bssy__lte=bssy).exclude(last_bssy__lt=bssy)
        return rows

    def curricula(self, bssy):
        rows = Curriculum.objects.order_by("code").prefetch_related(
            Prefetch("categories", Category.objects.order_by("code").prefetch_related(
                Prefetch("set_courses", SetCourse.objects.select_related("course").order_by("set_code", "course__code")))))
        if bssy:
            rows = rows.filter(first_grad_bssy__lte=bssy).exclude(last_grad_bssy__lt=bssy)
        return rows

    def ibc_codes(self, bssy):
        return IbcCode.objects.order_by("code")

    @staticmethod
    def shape(table, r):
        if table == "sites":
            return {"code": r.code, "name": r.name, "sponsor": r.sponsor.code, "kind": r.kind,
                    **{f: getattr(r, f) for f in ("address", "city", "state", "zip_code", "phone")},
                    "updated_at": r.updated_at.isoformat()}
        if table == "curricula":
            return {**row_json(r), "categories": [
                {**row_json(c, exclude=("id", "curriculum_id")), "sets": [
                    {**row_json(s, exclude=("id", "category_id", "course_id")), "course": s.course.code}
                    for s in c.set_courses.all()]} for c in r.categories.all()]}
        return row_json(r)
