"""What the year-end app adds to the transcripts pages (registered in apps.py)."""
from django.db.models import F


def rolled_marker(student) -> str | None:
    """Student Detail: where a rolled record came from, and whether it still awaits this year's file."""
    from .models import RolledStudent
    from .rollover import marker_text

    rolled = RolledStudent.objects.select_related("rollover_sponsor").filter(student_id=student.pk).first()
    if rolled is None:
        return None
    text = marker_text(rolled)
    if student.updated_at <= rolled.rolled_at:
        return text + "; not yet sent or changed for this year"
    return text + f"; changed since ({student.updated_at:%m/%d/%Y})"


ROLLED_CHOICES = {"awaiting": "Rolled over, awaiting this year's records", "rolled": "Rolled over (all)",
                  "not_rolled": "Not rolled over"}


def rolled_filter(students, value):
    """The Student List's Rolled filter: awaiting (not changed since the rollover), every rolled
    student, or the others."""
    if value == "awaiting":
        return students.filter(rolled__isnull=False, updated_at__lte=F("rolled__rolled_at"))
    if value == "rolled":
        return students.filter(rolled__isnull=False)
    if value == "not_rolled":
        return students.filter(rolled__isnull=True)
    return students
