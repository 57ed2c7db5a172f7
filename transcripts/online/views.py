"""Online entry pages: add/edit a student, its transcripts and IBCs, live field checks (htmx),
delete all and restore, credentials, student reassignment and the Override Report.

Every read asks `permissions.require(..., Action.VIEW/UPDATE, site=...)`; every write
`permissions.require_write(..., bssy=...)`, whose PeriodClosed message is shown as an error.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core_tables.models import Sponsor
from core_tables.periods import fmt_bssy, period_status
from sts.accounts import permissions
from sts.accounts.permissions import Action, PeriodClosed
from transcripts import credentials as C
from transcripts.edits import CATALOG, GRAD_DATE_REMOVAL_REASONS
from transcripts.models import Credential, DeletedStudentSet, Ibc, Student, Transcript
from transcripts.records import IBC, PUBLIC, STUDENT, TRANSCRIPT

from . import services as S
from .fields import FLAG, display_values, entry_fields
from .forms import CredentialForm, IbcForm, OverrideForm, ReassignForm, StudentForm, TranscriptForm, finding_text

FORMS = {STUDENT: StudentForm, TRANSCRIPT: TranscriptForm, IBC: IbcForm}
KINDS = {"student": STUDENT, "transcript": TRANSCRIPT, "ibc": IBC}


def _student(request, pk, action=Action.VIEW) -> Student:
    student = get_object_or_404(Student.objects.select_related("site", "sponsor"), pk=pk)
    permissions.require_student(request.user, student, action)
    return student


def _write_refusal(request, site, bssy) -> str:
    """'' when the user may write to the site's BSSY, else the reason (closed period)."""
    try:
        permissions.require_write(request.user, Action.UPDATE, site=site, bssy=bssy)
    except PeriodClosed as exc:
        return str(exc)
    return ""


def _period(site, bssy):
    return period_status(bssy, site.sponsor.code)


def _describe_lines(outcome: S.SaveOutcome, student: Student | None):
    """Names the student's other records in a finding ("Transcript 2024 120101 Y1 A: 314 ...")."""
    labels = {}
    if student is not None:
        rs = S.stored_record_set(student)
        for record in rs.transcripts:
            labels[record.line] = "Transcript " + S.describe_record(record)
        for record in rs.ibcs:
            labels[record.line] = "IBC " + S.describe_record(record)
    labels[0] = "Student record"

    def describe(f):
        return labels.get(f.line, "This record")
    return describe


def _flash_saved(request, outcome: S.SaveOutcome, text: str) -> None:
    messages.success(request, text)
    for notice in outcome.notices:
        messages.warning(request, notice)


def _removal_reasons(codes):
    return [(code, *GRAD_DATE_REMOVAL_REASONS.get(code, ("", ""))) for code in codes]


# --- student (020) --------------------------------------------------------------------------------

def _student_form(request, site, bssy, student, data=None):
    adding = student is None
    layout = site.sponsor.layout
    check_url = (reverse("transcripts:check_new_student", args=[site.code]) if adding
                 else reverse("transcripts:check_record", args=[student.pk, "student"]))
    initial = None
    if not adding:
        rs = S.stored_record_set(student)
        initial = display_values(rs.student, entry_fields(STUDENT, layout))
        if not student.graduation_date and student.removed_graduation_date:
            # On the Override Report: saving the removed date again corrects or overrides it.
            initial["graduation_date"] = student.removed_graduation_date.strftime("%m/%d/%Y")
    return StudentForm(data, initial=initial, layout=layout, adding=adding, check_url=check_url,
                       registry_url=reverse("transcripts:registry_lookup", args=[site.code]) if adding else "",
                       on_file_url=reverse("transcripts:on_file_check", args=[site.code]) if adding else "")


def _registry_context(site, state_id, student=None):
    """The read-only Personal Information of a public student: the registry's, when it places
    the student at this site, with the U01/U02 message otherwise."""
    state_id = (state_id or "").strip()
    if not state_id:
        return {"registry": None, "registry_message": ""}
    from transcripts.edits.student import valid_state_id
    if not valid_state_id(state_id, PUBLIC):
        return {"registry": None, "registry_message": f"U01 {CATALOG['U01'].message}"}
    entry = S.registry_for_site(state_id, site)
    if entry is None:
        return {"registry": None, "registry_message": f"U02 {CATALOG['U02'].message}"}
    values = S.registry_values(entry)
    race = [f.label for f in entry_fields(STUDENT, PUBLIC) if f.kind == FLAG and values.get(f.name) == "Y"]
    return {"registry": values, "registry_race": race, "registry_message": ""}


def _student_page(request, site, bssy, student):
    form = _student_form(request, site, bssy, student, request.POST if request.method == "POST" else None)
    override_form = OverrideForm(request.POST if request.method == "POST" else None)
    context = {"site": site, "student": student, "form": form, "override_form": override_form,
               "layout": site.sponsor.layout, "period": _period(site, bssy), "bssy_of_record": bssy}
    if request.method == "POST" and form.is_valid():
        refusal = _write_refusal(request, site, bssy)
        if refusal:
            form.top_errors.append(refusal)
        else:
            action = request.POST.get("action", "")
            reason = request.POST.get("override_reason", "") if action == "override" else ""
            outcome = S.save_student(site=site, bssy=bssy, raw=form.raw, by=request.user.username,
                                     today=timezone.localdate(), student=student, override_reason=reason,
                                     drop_graduation_date=action == "drop_graduation_date")
            if outcome.saved:
                _flash_saved(request, outcome, f"Student {outcome.student.state_id} "
                                               f"{'added' if student is None else 'updated'}.")
                return redirect("transcripts:student", pk=outcome.student.pk)
            if outcome.needs_override:
                context["needs_override"] = _removal_reasons(outcome.needs_override)
                if action == "override":
                    override_form.add_error("override_reason", "Type the reason for keeping the graduation date.")
            form.add_findings(outcome.findings, 0, _describe_lines(outcome, student))
    if site.sponsor.layout == PUBLIC:
        state_id = student.state_id if student else (request.POST.get("state_id") if request.method == "POST" else "")
        context.update(_registry_context(site, state_id, student))
    return render(request, "online/student_form.html", context)


@login_required
def add_student(request, site_code):
    site = permissions.site_or_404(request.user, site_code, Action.UPDATE)
    return _student_page(request, site, request.bssy, None)


@login_required
def edit_student(request, pk):
    student = _student(request, pk, Action.UPDATE)
    return _student_page(request, student.site, student.bssy, student)


@login_required
def registry_lookup(request, site_code):
    """htmx: the Personal Information panel for the State ID typed on Add New Student."""
    site = permissions.site_or_404(request.user, site_code, Action.UPDATE)
    return render(request, "online/_registry.html", _registry_context(site, request.GET.get("state_id")))


@login_required
def on_file_check(request, site_code):
    """htmx, while the State ID is typed on Add New Student: is it already on file for this
    sponsor and BSSY? The student is linked only for a user who may see it; anyone else learns
    only that it is on file for the sponsor (its site is not named)."""
    site = permissions.site_or_404(request.user, site_code, Action.UPDATE)
    on_file = S.student_on_file(site.sponsor, request.bssy, request.GET.get("state_id", ""))
    return render(request, "online/_on_file.html", {
        "on_file": on_file, "visible": on_file is not None and permissions.can_see_student(request.user, on_file),
        "site": site})


# --- live checks (htmx) ---------------------------------------------------------------------------

def _live(request, form, proposed, record_type, sponsor, bssy):
    name = request.POST.get("_field", "")
    if name not in form.fields:
        raise Http404("No such field.")
    form.is_valid()
    findings, warnings, problems = [], [], [str(e) for e in form.errors.get(name, [])]
    if not problems:
        rs, line = proposed(form.raw)
        result = S.live_check(rs, line, record_type, name, sponsor, bssy, timezone.localdate())
        findings, warnings = [finding_text(f) for f in result.findings], result.warnings
    return render(request, "online/_live.html", {"problems": problems + findings, "warnings": warnings})


@login_required
@require_POST
def check_new_student(request, site_code):
    site = permissions.site_or_404(request.user, site_code, Action.UPDATE)
    form = StudentForm(request.POST, layout=site.sponsor.layout, adding=True)
    return _live(request, form, lambda raw: (S.proposed_student(site, request.bssy, raw, None), 0), STUDENT,
                 site.sponsor, request.bssy)


@login_required
@require_POST
def check_record(request, pk, kind, record_id=None):
    student = _student(request, pk, Action.UPDATE)
    record_type = KINDS.get(kind)
    if record_type is None:
        raise Http404("No such record type.")
    layout = student.sponsor.layout
    if record_type == STUDENT:
        form = StudentForm(request.POST, layout=layout, adding=False)
        proposed = lambda raw: (S.proposed_student(student.site, student.bssy, raw, student), 0)  # noqa: E731
    elif record_type == TRANSCRIPT:
        row = get_object_or_404(Transcript, pk=record_id, student=student) if record_id else None
        form = TranscriptForm(request.POST, layout=layout)
        proposed = lambda raw: S.proposed_transcript(student, raw, row)  # noqa: E731
    else:
        row = get_object_or_404(Ibc, pk=record_id, student=student) if record_id else None
        form = IbcForm(request.POST, layout=layout)
        proposed = lambda raw: S.proposed_ibc(student, raw, row)  # noqa: E731
    return _live(request, form, proposed, record_type, student.sponsor, student.bssy)


# --- transcripts and IBCs -------------------------------------------------------------------------

def _row_page(request, student, record_type, row):
    layout = student.sponsor.layout
    kind = "transcript" if record_type == TRANSCRIPT else "ibc"
    check_args = [student.pk, kind] + ([row.pk] if row else [])
    check_url = reverse("transcripts:check_record", args=check_args)
    initial = None
    if row is not None:
        rs = S.stored_record_set(student)
        initial = display_values(rs.record_at(rs.line_of(row.pk, record_type)), entry_fields(record_type, layout))
    elif record_type == TRANSCRIPT:
        initial = {"course_bssy": student.bssy, "waiver": "N", "course_sponsor": student.sponsor.code,
                   "course_site": student.site.code, "grade_point_max": "4.00"}
    else:
        initial = {"year_earned": student.bssy, "earned_sponsor": student.sponsor.code,
                   "earned_site": student.site.code}
    form = FORMS[record_type](request.POST if request.method == "POST" else None, initial=initial, layout=layout,
                              check_url=check_url)
    if request.method == "POST" and form.is_valid():
        refusal = _write_refusal(request, student.site, student.bssy)
        if refusal:
            form.top_errors.append(refusal)
        else:
            save = S.save_transcript if record_type == TRANSCRIPT else S.save_ibc
            key = "transcript" if record_type == TRANSCRIPT else "ibc"
            outcome = save(student, form.raw, by=request.user.username, today=timezone.localdate(), **{key: row})
            if outcome.saved:
                label = "Transcript" if record_type == TRANSCRIPT else "IBC record"
                _flash_saved(request, outcome, f"{label} {'added' if row is None else 'updated'}.")
                return redirect("transcripts:student", pk=student.pk)
            form.add_findings(outcome.findings, outcome.line, _describe_lines(outcome, student))
    return render(request, "online/record_form.html", {
        "student": student, "form": form, "row": row, "kind": kind, "period": _period(student.site, student.bssy),
        "title": ("Edit Transcript" if row else "Add Transcript") if record_type == TRANSCRIPT
        else ("Edit IBC Record" if row else "Add IBC Record")})


@login_required
def transcript_form(request, pk, tid=None):
    student = _student(request, pk, Action.UPDATE)
    row = get_object_or_404(Transcript, pk=tid, student=student) if tid else None
    return _row_page(request, student, TRANSCRIPT, row)


@login_required
def ibc_form(request, pk, iid=None):
    student = _student(request, pk, Action.UPDATE)
    row = get_object_or_404(Ibc, pk=iid, student=student) if iid else None
    return _row_page(request, student, IBC, row)


def _delete_row(request, student, row, label):
    refusal = _write_refusal(request, student.site, student.bssy)
    if refusal:
        messages.error(request, refusal)
    else:
        outcome = S.delete_row(student, row, by=request.user.username, today=timezone.localdate())
        _flash_saved(request, outcome, f"{label} deleted.")
    return redirect("transcripts:student", pk=student.pk)


@login_required
@require_POST
def transcript_delete(request, pk, tid):
    student = _student(request, pk, Action.UPDATE)
    return _delete_row(request, student, get_object_or_404(Transcript, pk=tid, student=student), "Transcript")


@login_required
@require_POST
def ibc_delete(request, pk, iid):
    student = _student(request, pk, Action.UPDATE)
    return _delete_row(request, student, get_object_or_404(Ibc, pk=iid, student=student), "IBC record")


# --- delete all and restore -----------------------------------------------------------------------

@login_required
def delete_student(request, pk):
    """Delete All Student Records for the BSSY (GET: the confirmation page without JavaScript)."""
    student = _student(request, pk, Action.UPDATE)
    if request.method != "POST":
        return render(request, "online/delete_confirm.html", {"student": student})
    refusal = _write_refusal(request, student.site, student.bssy)
    if refusal:
        messages.error(request, refusal)
        return redirect("transcripts:student", pk=student.pk)
    site_code = student.site.code
    S.delete_student(student, by=request.user.username)
    messages.success(request, f"All records of student {student.state_id} for BSSY {fmt_bssy(student.bssy)} were deleted. "
                              "State staff can restore them from the audit trail.")
    return redirect("transcripts:student_list", site_code=site_code)


@login_required
def deleted_sets(request, site_code):
    """Deleted record sets of a site and BSSY (state staff restore them)."""
    site = permissions.site_or_404(request.user, site_code, Action.RESTORE_DELETED)
    rows = DeletedStudentSet.objects.filter(site=site, bssy=request.bssy)
    return render(request, "online/deleted_sets.html", {"site": site, "rows": rows})


@login_required
@require_POST
def restore_set(request, set_id):
    kept = get_object_or_404(DeletedStudentSet.objects.select_related("site", "sponsor"), pk=set_id)
    try:
        permissions.require_write(request.user, Action.RESTORE_DELETED, site=kept.site, bssy=kept.bssy)
    except PeriodClosed as exc:
        messages.error(request, str(exc))
        return redirect("transcripts:deleted_sets", site_code=kept.site.code)
    try:
        student = S.restore_student(kept, by=request.user.username)
    except S.RestoreRefused as exc:
        messages.error(request, str(exc))
        return redirect("transcripts:deleted_sets", site_code=kept.site.code)
    messages.success(request, f"The records of student {student.state_id} were restored.")
    return redirect("transcripts:student", pk=student.pk)


# --- credentials ----------------------------------------------------------------------------------

@login_required
@require_POST
def credential_upload(request, pk):
    student = _student(request, pk, Action.UPDATE)
    refusal = _write_refusal(request, student.site, student.bssy)
    form = CredentialForm(request.POST, request.FILES)
    if refusal:
        messages.error(request, refusal)
    elif not form.is_valid():
        messages.error(request, "Choose the credential PDF to upload.")
    else:
        uploaded = form.cleaned_data["file"]
        try:
            S.add_credential(student, uploaded.name, C.read_upload(uploaded), by=request.user.username)
        except C.CredentialRejected as exc:
            messages.error(request, f"The credential was not uploaded: {exc}")
        else:
            messages.success(request, "Credential uploaded.")
    return redirect(reverse("transcripts:student", args=[student.pk]) + "#credentials")


@login_required
def credential_file(request, cid):
    """The PDF, only to users who may see the student."""
    credential = get_object_or_404(Credential.objects.select_related("student__site"), pk=cid)
    permissions.require_student(request.user, credential.student)
    try:
        handle = open(C.file_of(credential), "rb")
    except OSError:
        raise Http404("The credential file is missing.")
    response = FileResponse(handle, content_type="application/pdf", filename=credential.original_name)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
@require_POST
def credential_delete(request, cid):
    credential = get_object_or_404(Credential.objects.select_related("student__site", "student__sponsor"), pk=cid)
    student = credential.student
    permissions.require_student(request.user, student, Action.UPDATE)
    refusal = _write_refusal(request, student.site, student.bssy)
    if refusal:
        messages.error(request, refusal)
    else:
        outcome = S.remove_credential(credential, by=request.user.username, today=timezone.localdate())
        _flash_saved(request, outcome, "Credential removed.")
    return redirect(reverse("transcripts:student", args=[student.pk]) + "#credentials")


# --- reassignment ---------------------------------------------------------------------------------

@login_required
def reassign(request):
    target_sites = permissions.sites_for(request.user, Action.UPDATE).order_by("code")
    if not target_sites.exists():
        raise PermissionDenied("You are not allowed to update students.")
    form = ReassignForm(request.POST if request.method == "POST" else None, current_bssy=request.bssy,
                        target_sites=target_sites)
    findings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = data["to_site"]
        refusal = _write_refusal(request, target, request.bssy)
        source = S.find_for_reassignment(bssy=data["from_bssy"], sponsor_code=data["from_sponsor"],
                                         site_code=data["from_site"], state_id=data["state_id"])
        if refusal:
            form.add_error(None, refusal)
        elif source is None:
            form.add_error(None, f"No student {data['state_id']} at site {data['from_site'].upper()} of sponsor "
                                 f"{data['from_sponsor'].upper()} in BSSY {data['from_bssy']}. If the student is not "
                                 "found in the current year, try the prior year.")
        else:
            outcome = S.reassign_student(source, target_site=target, bssy=request.bssy, by=request.user.username,
                                         today=timezone.localdate())
            if outcome.saved:
                moved = source.pk == outcome.student.pk
                _flash_saved(request, outcome, f"Student {source.state_id} {'moved' if moved else 'copied'} to site "
                                               f"{target.code}.")
                return redirect("transcripts:student", pk=outcome.student.pk)
            if outcome.problem:
                form.add_error(None, outcome.problem)
            findings = [(f, finding_text(f)) for f in outcome.findings]
            for f, text in findings:
                form.add_error(None, f"{f.record_type} {(f.field or '').replace('_', ' ')}: {text}")
    return render(request, "online/reassign.html", {"form": form,
                                                    "sponsors": Sponsor.objects.exclude(kind="postsecondary")})


@login_required
def sponsor_list(request):
    """The Sponsor List of the reassignment screen, with each sponsor's sites."""
    sponsors = Sponsor.objects.exclude(kind="postsecondary").prefetch_related("sites")
    return render(request, "online/sponsor_list.html", {"sponsors": sponsors})


# --- Override Report ------------------------------------------------------------------------------

@login_required
def override_report(request, site_code):
    site = permissions.site_or_404(request.user, site_code, Action.VIEW)
    rows = [(s, _removal_reasons(s.grad_removal_reasons)) for s in S.override_report(site, request.bssy)]
    return render(request, "online/override_report.html", {
        "site": site, "rows": rows, "overrides": S.overrides_entered(site, request.bssy),
        "may_update": permissions.can(request.user, Action.UPDATE, site=site)})
