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


def filter_student_list(students, q="", grade=""):
    """The Student List's search box and grade filter (its exports print the same students)."""
    q = (q or "").strip()
    if q:
        # Public/charter students carry the first 3 letters of the last name: "Smithers" finds "SMI".
        partial = Q(last_name__iexact=q[:3]) if len(q) > 3 else Q()
        students = students.filter(Q(state_id__startswith=q) | Q(last_name__istartswith=q) | partial | Q(local_id=q))
    if grade:
        students = students.filter(grade=grade)
    return students
