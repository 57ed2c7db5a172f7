from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from core_tables.codelists import GRADE_PLACEMENT
from sts.accounts import permissions
from sts.accounts.permissions import Action
from sts.lists import DESC, Column, Listing

from . import extensions
from .models import Student, StudentProgress
from .print_export import print_export_menu
from .queries import SORTS, filter_student_list, ordered_students, with_passed_ibcs, with_registry_names
from .queries import site_list as site_list_query


@login_required
def site_list(request):
    sites = list(site_list_query(request.user, request.bssy))
    states = _certification_states([s.pk for s in sites if s.sponsor.kind in ("public", "charter")], request.bssy)
    # The guide: "in the future it will display number of students in OTS".
    in_ots = extensions.call(extensions.OTS_COUNTS, [s.pk for s in sites], request.bssy)
    for s in sites:
        s.certification = states.get(s.pk)
        s.in_ots = (in_ots or {}).get(s.pk, 0)
    return render(request, "transcripts/site_list.html", {"sites": sites, "certification_shown": bool(states),
                                                          "ots_shown": in_ots is not None})


# The Student List's columns (guide, "Student List"): sortable both ways, newest and most first.
STUDENT_COLUMNS = [
    Column("state_id", "State ID", SORTS["state_id"]), Column("name", "Name", SORTS["name"]),
    Column("grade", "Grade", SORTS["grade"]), Column("path", "Diploma Path", SORTS["path"]),
    Column("credits", "Total Credits", SORTS["credits"], first=DESC, numeric=True),
    Column("ibcs", "IBCs", SORTS["ibcs"], first=DESC, numeric=True),
    Column("awards", "Awards", SORTS["awards"], first=DESC), Column("updated", "Last Updated", SORTS["updated"], first=DESC),
]
# Grades a Student List always offers; 06-08 only where the site has such students.
LIST_GRADES = ("T9", "09", "10", "11", "12")


@login_required
def student_list(request, site_code):
    site = permissions.site_or_404(request.user, site_code, Action.VIEW)
    at_site = Student.objects.filter(site=site, bssy=request.bssy)
    visible = permissions.scope_students(request.user, at_site)
    # LOSFA/BOR: students without parental consent are counted, not listed.
    withheld = at_site.filter(parental_consent=False).count() if permissions.consent_only(request.user) else 0
    q = request.GET.get("q", "").strip()
    grade = request.GET.get("grade", "")
    rolled = request.GET.get("rolled", "")
    listing = Listing(request, STUDENT_COLUMNS, default="name", noun="students")
    # Rolled over (year end): the app that rolls students filters on its marker, when installed.
    filtered = filter_student_list(visible, q, grade)
    listed = extensions.call(extensions.ROLLED_FILTER, filtered, rolled, default=filtered)
    # The stored progress of the page's rows only (a join would read the whole site's before the
    # page is cut), without its full result (JSON, never shown here).
    students = ordered_students(with_passed_ibcs(listed), listing.signed).select_related("site") \
        .prefetch_related(Prefetch("progress", queryset=StudentProgress.objects.defer("result")))
    with_registry_names(request.user, listing.paginate(students))
    present = set(visible.order_by().values_list("grade", flat=True).distinct())
    grades = [c.code for c in GRADE_PLACEMENT if c.code in LIST_GRADES or c.code in present]
    return render(request, "transcripts/student_list.html", {
        "site": site, "listing": listing, "page": listing.page, "q": q, "sort": listing.signed, "grade": grade,
        "grades": grades, "withheld": withheld, "rolled": rolled,
        # Offered where the site has rolled students (as grades 06-08 are).
        "rolled_choices": extensions.call(extensions.ROLLED_CHOICES, default={}) if rolled or extensions.call(
            extensions.ROLLED_FILTER, visible, "rolled", default=visible.none()).exists() else {},
        "may_update": permissions.can(request.user, Action.UPDATE, site=site),
        "may_restore": permissions.can(request.user, Action.RESTORE_DELETED, site=site),
        **print_export_menu(),
    })


@login_required
def student_detail(request, pk):
    student = get_object_or_404(Student.objects.select_related("site", "sponsor"), pk=pk)
    permissions.require_student(request.user, student)
    with_registry_names(request.user, [student])
    return render(request, "transcripts/student_detail.html", {
        "student": student,
        "transcripts": with_course_names(student.transcripts.all()),
        "ibcs": student.ibcs.all(),
        "may_update": permissions.can(request.user, Action.UPDATE, site=student.site),
        "may_withdraw": permissions.can(request.user, Action.WITHDRAW_TRANSCRIPT, site=student.site),
        **student_detail_extras(student),
        **print_export_menu(),  # "one student" of the guide's Print & Export
    })


def with_course_names(transcripts):
    """Transcripts with `shown_name`: the transcript course name where the school sent one (it
    replaces the state name on printed transcripts), else the state course name."""
    from core_tables.models import CourseCode

    rows = list(transcripts)
    names = dict(CourseCode.objects.filter(code__in={t.course_code for t in rows}).values_list("code", "name"))
    for t in rows:
        t.state_name = names.get(t.course_code, "")
        t.shown_name = t.course_name.strip() or t.state_name
    return rows


def student_detail_extras(student):
    """Online entry's parts of the Student Detail screen: credentials, graduation overrides,
    official transcript history and the change history."""
    from core_tables.periods import period_status
    from transcripts.edits import GRAD_DATE_REMOVAL_REASONS

    from .models import StudentChange

    from .online.fields import field_named

    history = []
    for change in StudentChange.objects.filter(sponsor_id=student.sponsor_id, bssy=student.bssy,
                                               state_id=student.state_id)[:100]:
        record_type = {"transcript": "030", "IBC": "050"}.get(change.action.split(" ")[0], "020")
        fields = [(getattr(field_named(record_type, name), "label", name), old, new)
                  for name, (old, new) in (change.detail.get("changes") or {}).items()]
        history.append((change, fields))
    return {
        "credentials": student.credentials.all(),
        "overrides": student.overrides.all(),
        "removal_reasons": [(code, *GRAD_DATE_REMOVAL_REASONS.get(code, ("", "")))
                            for code in student.grad_removal_reasons] if student.removed_graduation_date else [],
        "history": history,
        "official_transcripts": (official := _official_transcripts(student)),
        # The box refreshes itself while a transcript is queued, or a nonpublic graduate awaits its
        # entry (queued once the workers have stored its GPA).
        "ots_pending": any(line.status == "Q" for line in official or ()) or (
            official == [] and student.sponsor.kind == "nonpublic" and student.graduation_date is not None),
        "rolled_marker": extensions.call(extensions.ROLLED_MARKER, student),
        "period": period_status(student.bssy, student.sponsor.code),
    }


def _certification_states(site_ids, bssy):
    """{site id: certification state}, from the certification app when it is installed."""
    return extensions.call(extensions.SITE_CERTIFICATIONS, site_ids, bssy, default={})


def _official_transcripts(student):
    """The Official Transcript History, from the certification app (None without it)."""
    return extensions.call(extensions.OFFICIAL_TRANSCRIPTS, student)
