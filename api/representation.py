"""What the API answers, built from the same queries as the pages (no request parsing here)."""
from decimal import Decimal

from django.db.models import Count
from django.urls import reverse

from sts import jobs
from transcripts.edits import CATALOG
from transcripts.layouts import FIELD_LABELS, position_of
from uploads.deletions import deleted_by
from uploads.queries import row_sites, visible_errors
from uploads.tasks import read_progress

RECORD_TYPES = ("020", "030", "050")


def upload_json(user, job, absolute) -> dict:
    """An upload as the user sees it (`absolute` makes a path a full URL)."""
    result = job.result or {}
    progress = None
    if job.status == "processing":
        done, total = read_progress(job)
        progress = {"records_done": done, "records_total": total}
    scoped = row_sites(user, job) is not None
    if scoped:  # a school-level user counts only the rows of its sites, as on the report page
        error_counts = dict(visible_errors(user, job).values("code").annotate(n=Count("id"))
                            .order_by("code").values_list("code", "n"))
    else:
        error_counts = dict(sorted((job.error_counts or {}).items()))
    counts = job.counts or {}
    removed = [{"state_id": d.state_id, "name": d.display_name, "site": d.site.code, "restored": bool(d.restored_at)}
               for d in deleted_by(user, job)] if job.finished and job.mode == "replace" else []
    return {
        "id": job.pk, "url": absolute(reverse("api:upload-detail", args=[job.pk])),
        "errors_url": absolute(reverse("api:upload-errors", args=[job.pk])),
        "report_url": absolute(reverse("uploads:detail", args=[job.pk])),
        "file_name": job.original_name, "mode": job.mode, "bssy": job.bssy,
        "sponsor": job.sponsor.code if job.sponsor_id else None, "submitted_by": job.user.username,
        "submitted_at": job.created_at, "finished_at": job.finished_at, "status": job.status, "progress": progress,
        "accepted": result.get("accepted") if job.finished else None,
        "students": result.get("students") if isinstance(result.get("students"), dict) else None,
        "counts": {rt: {"with_error": counts.get(f"flagged_{rt}", 0), "rejected": counts.get(f"error_{rt}", 0),
                        "loaded": counts.get(f"loaded_{rt}", 0)} for rt in RECORD_TYPES},
        "error_counts": error_counts, "file_errors": result.get("file_errors", []), "deleted_students": removed,
        "notices": [n for n in (result.get("notices", []) + [result.get("notice", "")]) if n],
        "message": (result.get("message") or job.message) if job.status == "failed" else job.message,
        "standing": jobs.describe(job),
    }


def error_json(e) -> dict:
    edit = CATALOG.get(e.code)
    return {"id": e.pk, "line": e.line, "record_type": e.record_type, "state_id": e.state_id, "student_name": e.name,
            "site": e.site, "code": e.code, "field": e.field,
            "field_label": FIELD_LABELS.get((e.record_type, e.field), e.field), "position": e.position,
            "length": e.length, "value": e.value, "message": e.message, "solution": edit.solution if edit else "",
            "severity": e.severity}


def _layouts(edit):
    if edit.record_type not in RECORD_TYPES or not edit.field:
        return {}
    found = {}
    for layout in ("public", "nonpublic"):
        if not edit.applies_to_layout(layout):
            continue
        try:
            position, length = position_of(edit.record_type, layout, edit.field)
        except (KeyError, ValueError, LookupError):
            continue
        found[layout] = {"position": position, "length": length}
    return found


def edit_catalog() -> list[dict]:
    """The rule catalog from the same @edit definitions the pipeline runs."""
    rows = []
    for edit in CATALOG.values():
        layouts = _layouts(edit)
        first = layouts.get("public") or layouts.get("nonpublic") or {}
        rows.append({"code": edit.code, "record_type": edit.record_type, "field": edit.field,
                     "position": first.get("position"), "length": first.get("length"), "layouts": layouts,
                     "severity": edit.severity, "public": edit.public, "nonpublic": edit.nonpublic,
                     "message": edit.message, "solution": edit.solution})
    return rows


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def row_json(obj, exclude=("id",)) -> dict:
    """A stored row's own columns (foreign keys as their ids are left out)."""
    return {f.attname: _plain(getattr(obj, f.attname)) for f in obj._meta.concrete_fields
            if f.attname not in exclude and not f.is_relation}


def student_records(student) -> dict:
    return {"student": {"sponsor": student.sponsor.code, "site": student.site.code,
                        **row_json(student, exclude=("id",))},
            "transcripts": [row_json(t) for t in student.transcripts.all().order_by("course_bssy", "course_code", "id")],
            "ibcs": [row_json(i) for i in student.ibcs.all().order_by("ibc_code", "id")]}
