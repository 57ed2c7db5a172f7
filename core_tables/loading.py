"""`load_reference`: upsert the reference CSV files of a folder, all in one transaction."""
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .csvspec import SPECS, ReferenceLoadError, RACE, read_rows
from .models import (Category, CourseCode, Curriculum, IbcCode, SecureId, SecureIdChange, SetCourse,
                     Site, Sponsor, TestVendor)


def _upsert(model, key_fields, rows, *, on_change=None):
    """Insert or update `rows` [(line, key tuple, field dict)] of `model`; returns (added, updated).

    Reads the existing rows once and writes in bulk: a statewide Secure ID file has 700k rows.
    """
    existing = {tuple(getattr(obj, f) for f in key_fields): obj for obj in model.objects.all()}
    new, changed = [], []
    for _line, key, fields in rows:
        obj = existing.get(key)
        if obj is None:
            obj = model(**dict(zip(key_fields, key)), **fields)
            existing[key] = obj
            new.append(obj)
            continue
        diff = {f: (getattr(obj, f), v) for f, v in fields.items() if getattr(obj, f) != v}
        if diff:
            for f, (_old, v) in diff.items():
                setattr(obj, f, v)
            if obj.pk and obj not in changed:
                changed.append(obj)
            if on_change and obj.pk:
                on_change(obj, diff)
    model.objects.bulk_create(new, batch_size=2000)
    if changed:
        update_fields = sorted({f for _l, _k, fields in rows for f in fields})
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):  # bulk_update skips auto_now
            now = timezone.now()
            for obj in changed:
                obj.updated_at = now
            update_fields.append("updated_at")
        model.objects.bulk_update(changed, update_fields, batch_size=2000)
    return len(new), len(changed)


def _resolver(model, spec_file, key="code"):
    cache = {}

    def resolve(line, column, value):
        if value not in cache:
            cache[value] = model.objects.filter(**{key: value}).first()
        if cache[value] is None:
            raise ReferenceLoadError(spec_file, line, column, f"unknown {model._meta.verbose_name} {value!r}")
        return cache[value]
    return resolve


def _json_safe(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def load_folder(folder, changed_by="load_reference"):
    """Load every known CSV present in `folder`. Returns {file: (added, updated)}.

    Raises ReferenceLoadError (file, line, column, reason); nothing is written then.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ReferenceLoadError(str(folder), 0, None, "not a folder")
    present = [spec for spec in SPECS if (folder / spec.file).exists()]
    if not present:
        raise ReferenceLoadError(str(folder), 0, None,
                                 "no reference files found (expected " + ", ".join(s.file for s in SPECS) + ")")
    report = {}
    with transaction.atomic():
        for spec in present:
            rows = list(read_rows(spec, (folder / spec.file).read_bytes()))
            _check_unique(spec, rows)
            report[spec.file] = LOADERS[spec.file](spec.file, rows, changed_by)
    return report


def _check_unique(spec, rows):
    key_columns = KEYS[spec.file]
    seen = {}
    for line, values in rows:
        key = tuple(values[c] for c in key_columns)
        if key in seen:
            raise ReferenceLoadError(spec.file, line, key_columns[-1],
                                     f"duplicate of line {seen[key]} ({', '.join(map(str, key))})")
        seen[key] = line


KEYS = {
    "sponsors.csv": ("code",), "sites.csv": ("code",), "course_codes.csv": ("code",),
    "ibc_codes.csv": ("code",), "test_vendors.csv": ("code",), "secure_ids.csv": ("unique_id",),
    "curricula.csv": ("code",), "categories.csv": ("curriculum", "category"),
    "set_courses.csv": ("curriculum", "category", "set", "course_code"),
}


def _load_simple(model):
    def load(file, rows, _by):
        return _upsert(model, ("code",), [(ln, (v.pop("code"),), v) for ln, v in rows])
    return load


def _load_sites(file, rows, _by):
    sponsor = _resolver(Sponsor, file)
    out = []
    for line, v in rows:
        if v["code"][:3] != v["sponsor_code"]:
            raise ReferenceLoadError(file, line, "code", f"site {v['code']} must start with its sponsor code {v['sponsor_code']}")
        # Name, kind and the address columns the file has: those it leaves out (older files have
        # no address) keep what is on file.
        fields = {k: value for k, value in v.items() if k not in ("code", "sponsor_code")}
        out.append((line, (v["code"],), {"sponsor": sponsor(line, "sponsor_code", v["sponsor_code"]), **fields}))
    return _upsert(Site, ("code",), out)


def _load_course_codes(file, rows, _by):
    for line, v in rows:
        if v["last_bssy"] is not None and v["last_bssy"] < v["first_bssy"]:
            raise ReferenceLoadError(file, line, "last_bssy", "last_bssy is before first_bssy")
    return _upsert(CourseCode, ("code",), [(ln, (v.pop("code"),), v) for ln, v in rows])


def _load_secure_ids(file, rows, changed_by):
    sponsor = _resolver(Sponsor, file)
    site = _resolver(Site, file)
    out = []
    for line, v in rows:
        s = site(line, "site_code", v["site_code"])
        if s.sponsor.code != v["sponsor_code"]:
            raise ReferenceLoadError(file, line, "site_code", f"site {s.code} does not belong to sponsor {v['sponsor_code']}")
        if v["local_id"] == v["unique_id"]:
            raise ReferenceLoadError(file, line, "local_id", "local ID must not equal the unique ID")
        fields = {"sponsor_id": sponsor(line, "sponsor_code", v["sponsor_code"]).pk, "site_id": s.pk,
                  **{k: v[k] for k in ("local_id", "first_name", "last_name", "birth_date", "sex",
                                       *RACE, "laa1", "act833", "ssn_on_file") if k in v}}
        out.append((line, (v["unique_id"],), fields))
    history = []

    def record(obj, diff):
        history.append(SecureIdChange(secure_id=obj, changed_by=changed_by, changes={
            f: [_json_safe(old), _json_safe(new)] for f, (old, new) in diff.items()}))
    result = _upsert(SecureId, ("unique_id",), out, on_change=record)
    SecureIdChange.objects.bulk_create(history, batch_size=2000)
    return result


def _load_curricula(file, rows, _by):
    return _upsert(Curriculum, ("code",), [(ln, (v.pop("code"),), v) for ln, v in rows])


def _load_categories(file, rows, _by):
    curriculum = _resolver(Curriculum, file)
    out = [(ln, (curriculum(ln, "curriculum", v["curriculum"]).pk, v["category"]),
            {"description": v["description"], "units_required": v["units_required"]}) for ln, v in rows]
    return _upsert(Category, ("curriculum_id", "code"), out)


def _load_set_courses(file, rows, _by):
    courses = _resolver(CourseCode, file)
    categories = {(c.curriculum.code, c.code): c for c in Category.objects.select_related("curriculum")}
    out = []
    for line, v in rows:
        category = categories.get((v["curriculum"], v["category"]))
        if category is None:
            raise ReferenceLoadError(file, line, "category", f"unknown category {v['curriculum']} {v['category']}")
        if v["units_required"] > v["units_allowed"]:
            raise ReferenceLoadError(file, line, "units_required", "units_required exceeds units_allowed")
        out.append((line, (category.pk, v["set"], courses(line, "course_code", v["course_code"]).pk), {
            "units_allowed": v["units_allowed"], "units_required": v["units_required"],
            "effective_grad_bssy": v["effective_grad_bssy"],
            "expiration_grad_bssy": v["expiration_grad_bssy"]}))
    return _upsert(SetCourse, ("category_id", "set_code", "course_id"), out)


LOADERS = {
    "sponsors.csv": _load_simple(Sponsor), "sites.csv": _load_sites,
    "course_codes.csv": _load_course_codes, "ibc_codes.csv": _load_simple(IbcCode),
    "test_vendors.csv": _load_simple(TestVendor), "secure_ids.csv": _load_secure_ids,
    "curricula.csv": _load_curricula, "categories.csv": _load_categories,
    "set_courses.csv": _load_set_courses,
}
