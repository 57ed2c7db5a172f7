"""Named queries other apps and the shell use; each is scoped by `permissions`."""
from django.db.models import Count, Q

from sts.accounts.permissions import Action, scope_students, sites_for

from .models import Student


def find_student(user, state_id, bssy):
    """The student with `state_id` in `bssy` at a site `user` may view, or None."""
    return scope_students(user, Student.objects.filter(state_id=state_id, bssy=bssy)).select_related("site").first()


def site_list(user, bssy):
    """The Site List: sites the user may view with students and graduates counted for `bssy`."""
    return sites_for(user, Action.VIEW).annotate(
        student_count=Count("students", filter=Q(students__bssy=bssy)),
        graduate_count=Count("students", filter=Q(students__bssy=bssy, students__graduation_date__isnull=False)),
    ).order_by("code")
