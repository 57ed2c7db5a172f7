"""Indexes for every page's student search (`queries.search_filter`: a State ID or a last name from
its start, or a local ID) so a state staff search over the whole state (200,000 students) reads a
few index entries instead of every student: docs/benchmarks.md. Pattern operator classes are
PostgreSQL's; SQLite (`make run`) searches a laptop's few students without them."""
from django.db import migrations

INDEXES = (
    ("transcripts_student_state_id_like", "(state_id varchar_pattern_ops)"),
    ("transcripts_student_last_name_upper", "((UPPER(last_name::text)) text_pattern_ops)"),
    ("transcripts_student_local_id", "(local_id)"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in INDEXES:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON transcripts_student {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _columns in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("transcripts", "0005_job_lifecycle")]
    operations = [migrations.RunPython(create, drop)]
