"""Deleting students without losing them: every deleted student's whole record set for the BSSY is
kept as a `DeletedStudentSet` (student, transcripts, IBCs, credentials, overrides) that state staff
can restore. One mechanism for every path that deletes: online "Delete All Student Records" and
replace-mode uploads (which delete many students at once, so the copies are built in bulk)."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .graduates import is_graduate, mark_graduate_change
from .models import (
    Credential, DeletedStudentSet, GraduationOverride, Ibc, Student, StudentChange, Transcript,
)

CHUNK = 2000
_CHILDREN = (("transcripts", Transcript), ("ibcs", Ibc), ("credentials", Credential), ("overrides", GraduationOverride))


class RestoreRefused(Exception):
    pass


def _json(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rows(model, student_ids):
    """{student_id: [row as JSON-able attname dict, without id and student]} for a chunk of students."""
    out = defaultdict(list)
    for row in model.objects.filter(student_id__in=student_ids).order_by("pk").values():
        student_id = row.pop("student_id")
        row.pop("id")
        out[student_id].append({k: _json(v) for k, v in row.items()})
    return out


def delete_students(ids, *, by, source, upload_number=None) -> list[DeletedStudentSet]:
    """Delete the students with these pks with everything they hold, keeping a restorable copy of
    each; their sites' graduate data changes. Runs in the caller's transaction (or its own)."""
    kept = []
    ids = list(ids)
    graduate_sites = defaultdict(set)  # {bssy: site ids}: deleting a graduate changes its site's graduates
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            part = ids[start:start + CHUNK]
            children = {key: _rows(model, part) for key, model in _CHILDREN}
            sets = []
            for row in Student.objects.filter(pk__in=part).order_by("pk").values():
                pk = row.pop("id")
                if row["graduation_date"] or row["removed_graduation_date"]:  # as graduates.is_graduate
                    graduate_sites[row["bssy"]].add(row["site_id"])
                records = {"student": {k: _json(v) for k, v in row.items()},
                           **{key: children[key].get(pk, []) for key, _m in _CHILDREN}}
                sets.append(DeletedStudentSet(
                    bssy=row["bssy"], sponsor_id=row["sponsor_id"], site_id=row["site_id"], state_id=row["state_id"],
                    display_name=f"{row['last_name']}, {row['first_name']}".strip(", ")[:40], records=records,
                    deleted_by=by[:150], source=source[:20], upload_number=upload_number))
            sets = DeletedStudentSet.objects.bulk_create(sets)
            StudentChange.objects.bulk_create([StudentChange(
                bssy=s.bssy, sponsor_id=s.sponsor_id, site_id=s.site_id, state_id=s.state_id, by=by[:150],
                source=source[:20], action="all records deleted",
                detail={"deleted_set": s.pk, "transcripts": len(s.records["transcripts"]),
                        "ibcs": len(s.records["ibcs"])}) for s in sets])
            for _key, model in _CHILDREN:
                model.objects.filter(student_id__in=part).delete()
            Student.objects.filter(pk__in=part).delete()  # credential files stay on disk with the copy
            kept.extend(sets)
        for bssy, site_ids in graduate_sites.items():
            mark_graduate_change(site_ids, bssy, by=by, source=source)
    return kept


def _row_from(model, data: dict, **extra):
    values = {}
    for name, value in data.items():
        f = next(f for f in model._meta.concrete_fields if f.attname == name)
        values[name] = value if value is None or f.get_internal_type() == "JSONField" else f.to_python(value)
    return model(**values, **extra)


def copy_row(obj, **extra):
    """An unsaved copy of a child row (a credential of a student copied to another LEA)."""
    data = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in ("id", "student")}
    return type(obj)(**data, **extra)


def restore_refusal(kept: DeletedStudentSet) -> str:
    """Why this deleted set cannot be restored now ('' when it can)."""
    if kept.restored_at:
        return (f"This record set was restored on {timezone.localtime(kept.restored_at):%m/%d/%Y} "
                f"by {kept.restored_by}.")
    if Student.objects.filter(bssy=kept.bssy, sponsor_id=kept.sponsor_id, state_id=kept.state_id).exists():
        return (f"A student with State ID {kept.state_id} is on file again for this sponsor and BSSY; "
                "delete it first to restore the deleted records.")
    return ""


def restore(kept: DeletedStudentSet, *, by: str, source: str = "restore") -> Student:
    """Put a deleted record set back as it was (RestoreRefused with the reason otherwise)."""
    refusal = restore_refusal(kept)
    if refusal:
        raise RestoreRefused(refusal)
    data = kept.records
    with transaction.atomic():
        student = _row_from(Student, data["student"])
        student.updated_by = by
        student.save()
        Transcript.objects.bulk_create([_row_from(Transcript, row, student=student) for row in data["transcripts"]])
        Ibc.objects.bulk_create([_row_from(Ibc, row, student=student) for row in data["ibcs"]])
        for model, key, stamp in ((Credential, "credentials", "uploaded_at"), (GraduationOverride, "overrides", "at")):
            for row in data.get(key, []):
                obj = _row_from(model, row, student=student)
                obj.save()
                # auto_now_add set the time of the insert: put the original one back.
                model.objects.filter(pk=obj.pk).update(**{stamp: model._meta.get_field(stamp).to_python(row[stamp])})
        kept.restored_at, kept.restored_by = timezone.now(), by
        kept.save(update_fields=["restored_at", "restored_by"])
        StudentChange.objects.create(bssy=student.bssy, sponsor_id=student.sponsor_id, site_id=student.site_id,
                                     state_id=student.state_id, by=by, source=source[:20],
                                     action="all records restored", detail={"deleted_set": kept.pk})
        if is_graduate(student):
            mark_graduate_change([student.site_id], student.bssy, by=by, source=source)
    return student
