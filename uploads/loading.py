"""Writing accepted students of a batch file: each student's 020/030/050 set replaces what was on
file for the BSSY; new students are added. PostgreSQL gets COPY for the bulk rows, other databases
bulk_create. The caller holds the transaction (one per file), so a failure leaves the previous data
whole and a killed worker leaves nothing half-written."""
import csv
import io
import json

from django.db import connection
from django.utils import timezone

from core_tables.models import Site
from transcripts import records as R
from transcripts.deleted import delete_students
from transcripts.graduates import graduate_sites_on_file, mark_graduate_change
from transcripts.ibc_history import record_ibcs
from transcripts.recordmap import ibc_values, student_fields, transcript_values
from transcripts.models import Ibc, Student, StudentChange, Transcript

BATCH = 1000

STUDENT_FIELDS = [f.name for f in Student._meta.concrete_fields if f.name not in ("id", "bssy", "sponsor", "state_id")]
STUDENT_COLUMNS = [f.column for f in Student._meta.concrete_fields if f.name != "id"]
STUDENT_UPDATE_COLUMNS = [c for c in STUDENT_COLUMNS if c not in ("bssy", "sponsor_id", "state_id")]
CHANGE_COLUMNS = [f.column for f in StudentChange._meta.concrete_fields if f.name != "id"]
TRANSCRIPT_COLUMNS = [f.column for f in Transcript._meta.concrete_fields if f.name != "id"]
IBC_COLUMNS = [f.column for f in Ibc._meta.concrete_fields if f.name != "id"]


class StudentWriter:
    """Buffers accepted students and writes them in batches inside the caller's transaction."""

    def __init__(self, *, sponsor, bssy, by, source):
        self.sponsor, self.bssy, self.by, self.source = sponsor, bssy, by, source
        self.site_ids = dict(Site.objects.filter(sponsor=sponsor).values_list("code", "id"))
        self.pending = []
        self.loaded_ids = []
        self.counts = {"020": 0, "030": 0, "050": 0}
        self.postgres = connection.vendor == "postgresql"

    def add(self, student, transcripts, ibcs, grad_reasons=()):
        self.pending.append((student, transcripts, ibcs, tuple(grad_reasons)))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self):
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        with_020 = [(st, tr, ib, gr) for st, tr, ib, gr in batch if st is not None]
        keys = [self._key(item) for item in batch]
        # Graduates before or after this batch: their sites need recertification (issue 5, item 10).
        graduate_sites = graduate_sites_on_file(self.sponsor, self.bssy, keys) | {
            self.site_ids[st.site.strip()] for st, _t, _i, _g in with_020 if R.is_graduate(st)}
        ids = self._upsert_students(with_020)
        site_of = {R.link_key(st): self.site_ids[st.site.strip()] for st, _t, _i, _g in with_020}
        missing = [k for k in keys if k not in ids]  # partial updates without a 020: on file already
        for state_id, pk, site_id in Student.objects.filter(
                sponsor=self.sponsor, bssy=self.bssy, state_id__in=missing).values_list("state_id", "id", "site_id"):
            ids[state_id], site_of[state_id] = pk, site_id
        # A student whose 020 is in the file replaces everything; a partial update without the
        # 020 replaces the record types it sends (docs/decisions.md).
        replace_030 = [ids[k] for k, (st, tr, _i, _g) in zip(keys, batch) if st is not None or tr]
        replace_050 = [ids[k] for k, (st, _t, ib, _g) in zip(keys, batch) if st is not None or ib]
        Transcript.objects.filter(student_id__in=replace_030).delete()
        Ibc.objects.filter(student_id__in=replace_050).delete()
        Student.objects.filter(id__in=[ids[k] for k, item in zip(keys, batch) if item[0] is None]).update(
            updated_by=self.by, updated_at=timezone.now())
        transcript_rows = [{"student_id": ids[k], **transcript_values(t)} for k, item in zip(keys, batch) for t in item[1]]
        ibc_rows = [{"student_id": ids[k], **ibc_values(i)} for k, item in zip(keys, batch) for i in item[2]]
        self._insert(Transcript, TRANSCRIPT_COLUMNS, transcript_rows)
        self._insert(Ibc, IBC_COLUMNS, ibc_rows)
        record_ibcs(((k, i) for k, item in zip(keys, batch) for i in item[2]), sponsor=self.sponsor.code,
                    bssy=self.bssy, source=self.source)  # the statewide IBC history
        now = timezone.now()
        self._insert(StudentChange, CHANGE_COLUMNS, [
            {"bssy": self.bssy, "sponsor_id": self.sponsor.pk, "site_id": site_of[k], "state_id": k,
             "at": now, "by": self.by, "source": self.source, "action": "replaced by batch",
             "detail": {"030": len(item[1]), "050": len(item[2]),
                        **({"grad_date_removed": list(item[3])} if item[3] else {})}}
            for k, item in zip(keys, batch)])
        mark_graduate_change(graduate_sites, self.bssy, by=self.by, source=self.source)
        self.counts["020"] += len(with_020)
        self.counts["030"] += len(transcript_rows)
        self.counts["050"] += len(ibc_rows)
        self.loaded_ids.extend(ids[k] for k in keys)

    def _key(self, item):
        student, transcripts, ibcs, _ = item
        return R.link_key(student or (transcripts or ibcs)[0])

    def _upsert_students(self, items):
        """Insert or update the 020s of a batch; {state_id: id}. PostgreSQL: COPY into a staging
        table and one INSERT ... ON CONFLICT DO UPDATE (bulk_create spends most of its time
        preparing values one by one)."""
        if not items:
            return {}
        now = timezone.now()
        rows = [{"bssy": self.bssy, "sponsor_id": self.sponsor.pk, "state_id": R.link_key(st), "updated_at": now,
                 **student_fields(st, self.site_ids[st.site.strip()], gr, self.by)} for st, _t, _i, gr in items]
        if not self.postgres:
            Student.objects.bulk_create([Student(**row) for row in rows], update_conflicts=True,
                                        unique_fields=["bssy", "sponsor", "state_id"], update_fields=STUDENT_FIELDS)
            return dict(Student.objects.filter(sponsor=self.sponsor, bssy=self.bssy,
                                               state_id__in=[r["state_id"] for r in rows]).values_list("state_id", "id"))
        columns = ", ".join(STUDENT_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS sts_stage_student ON COMMIT DROP AS "
                           f"SELECT {columns} FROM transcripts_student WITH NO DATA")
            cursor.execute("TRUNCATE sts_stage_student")
            _copy(cursor, "sts_stage_student", Student, STUDENT_COLUMNS, rows)
            cursor.execute(
                f"INSERT INTO transcripts_student ({columns}) SELECT {columns} FROM sts_stage_student "
                f"ON CONFLICT (bssy, sponsor_id, state_id) DO UPDATE SET "
                + ", ".join(f"{c} = EXCLUDED.{c}" for c in STUDENT_UPDATE_COLUMNS) + " RETURNING state_id, id")
            return dict(cursor.fetchall())

    def _insert(self, model, columns, rows):
        if not rows:
            return
        if not self.postgres:
            model.objects.bulk_create([model(**{_attname(model, c): v for c, v in row.items()}) for row in rows],
                                      batch_size=2000)
            return
        with connection.cursor() as cursor:
            _copy(cursor, model._meta.db_table, model, columns, rows)

    def delete_absent(self, student_ids, *, upload_number=None):
        """Replace mode: delete these students (on file within the user's reach, not in the file),
        each kept as a restorable deleted set."""
        return len(delete_students(student_ids, by=self.by, source=self.source, upload_number=upload_number))


def _converter(model, column):
    """How a value of this column is written for COPY (None: as it is, the common case)."""
    field = model._meta.get_field(_attname(model, column))
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return lambda v: "t" if v else "f"
    if kind == "JSONField":
        return json.dumps
    if kind in ("DateField", "DateTimeField"):
        return lambda v: v.isoformat()
    return None


def _copy(cursor, table, model, columns, rows):
    """COPY rows ({column: value}) into `table`. An unquoted empty CSV field is NULL; FORCE_NOT_NULL
    makes it '' for the columns that cannot be NULL (empty strings of CharFields)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    converters = [(c, _converter(model, c)) for c in columns]
    for row in rows:
        writer.writerow(["" if (v := row[c]) is None else (conv(v) if conv else v) for c, conv in converters])
    buffer.seek(0)
    not_null = [c for c in columns if not model._meta.get_field(_attname(model, c)).null]
    cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv"
                              + (f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else "") + ")", buffer)


def _attname(model, column):
    for f in model._meta.concrete_fields:
        if f.column == column:
            return f.attname
    raise KeyError(column)
