"""The shell: home page, State ID search, BSSY selector."""
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core_tables.models import Announcement
from core_tables.periods import fmt_bssy, period_status

from .accounts import permissions
from .lists import Listing
from .todo import to_do


@login_required
def home(request):
    sponsor = request.user.sponsor.code if request.user.sponsor_id else None
    return render(request, "home.html", {
        "announcements": Announcement.objects.filter(active=True)[:10],
        "period": period_status(request.bssy, sponsor),
        "working_in_prior": request.bssy != request.current_bssy,
        "needs_recertification": _needs_recertification(request.user, request.bssy),
        "tasks": to_do(request.user, request.bssy, timezone.localdate()),
    })


def _needs_recertification(user, bssy):
    """LEA users: their certified sites whose graduate data changed since (certification app)."""
    if permissions.is_state_staff(user):
        return []
    from certification.queries import sites_needing_recertification

    return sites_needing_recertification(user, bssy)


@login_required
@require_POST
def select_bssy(request):
    try:
        bssy = int(request.POST.get("bssy", ""))
    except ValueError:
        bssy = None
    if bssy is None or not (1990 <= bssy <= request.current_bssy + 1):
        messages.error(request, "Choose a school year from the list.")
    elif bssy == request.current_bssy:
        request.session.pop("bssy", None)
    else:
        request.session["bssy"] = bssy
        messages.info(request, f"You are working in {fmt_bssy(bssy)}. Home returns you to the current year.")
    return redirect(local_url(request, request.POST.get("next")))


def local_url(request, target, default="/"):
    """`target` when it is a path of this site (absolute URLs of this host are cut to their path),
    else `default`: a Referer or `next` never sends anyone off-site."""
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                         require_https=request.is_secure()):
        return default
    parts = urlsplit(target)
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//"):
        return default
    return path + (f"?{parts.query}" if parts.query else "")


@login_required
def reset_bssy(request):
    request.session.pop("bssy", None)
    return redirect("home")


@login_required
def search_student(request):
    """Search student (every page's search box): State IDs and last names from their start
    ("SMI, J" for both names), among the students of the selected BSSY the user may see. One
    match opens the student; several are listed; none says so."""
    from transcripts.queries import SEARCH_COLUMNS, search_students, with_registry_names

    q = (request.GET.get("q") or request.GET.get("state_id") or "").strip()
    if not q:
        return redirect(local_url(request, request.META.get("HTTP_REFERER"), reverse("home")))
    listing = Listing(request, SEARCH_COLUMNS, default="name", noun="students")
    students = search_students(request.user, q, request.bssy, listing.signed)
    page = listing.paginate(students)
    with_registry_names(request.user, page)
    if page.paginator.count == 1 and not request.GET.get("page"):
        return redirect("transcripts:student", pk=page[0].pk)
    return render(request, "search.html", {"q": q, "listing": listing, "page": page})


@login_required
def help_index(request):
    from core_tables.codelists import CODE_LISTS, guide_name
    from core_tables.models import CodeValue
    from transcripts.edits import CATALOG, GRAD_DATE_REMOVAL_REASONS
    from transcripts.layouts import position_of

    lists = {}
    for value in CodeValue.objects.filter(active=True):
        lists.setdefault(value.list_name, []).append(value)
    order = list(CODE_LISTS)  # the guide's order; lists added in the admin after them
    code_lists = [(name, guide_name(name), values) for name, values in
                  sorted(lists.items(), key=lambda item: (order.index(item[0]) if item[0] in order else len(order),
                                                          item[0]))]

    def position(edit, layout):
        if not edit.field or edit.record_type not in ("020", "030", "050") or not edit.applies_to_layout(layout):
            return ""
        try:
            return position_of(edit.record_type, layout, edit.field)[0]
        except KeyError:
            return ""
    edits = [{"edit": e, "public": position(e, "public"), "nonpublic": position(e, "nonpublic")}
             for e in CATALOG.values()]
    return render(request, "help/index.html", {"code_lists": code_lists, "edits": edits,
                                               "removal_reasons": GRAD_DATE_REMOVAL_REASONS,
                                               "state_staff": permissions.is_state_staff(request.user)})


def user_guide(request):
    """Help -> User Guide: the most current guide, where the installation keeps it."""
    return redirect(settings.STS_USER_GUIDE_URL)


def bad_request(request, exception):
    """400 with the reason when it is ours to tell (BadRequest: a NUL byte, a missing parameter)."""
    from django.core.exceptions import BadRequest

    message = str(exception) if type(exception) is BadRequest else ""
    if request.path.startswith("/api/"):
        from api.problems import problem_response
        return problem_response(request, 400, message or "The request is malformed.")
    return render(request, "400.html", {"exception": message}, status=400)


def permission_denied(request, exception):
    """403 with the reason; the fifth refusal in a session locks the user ID (guide: locked after
    repeated failures, unlocked by the security coordinator)."""
    from django.conf import settings

    from .accounts.services import counts_as_denial, denials_left, note_denial

    username = getattr(request.user, "username", "")
    counted = counts_as_denial(request, exception)
    locked = note_denial(request, exception)
    left = denials_left(request) if counted and not locked else None
    return render(request, "403.html", {"exception": str(exception), "locked": locked, "username": username,
                                        "max_denials": settings.STS_MAX_DENIALS, "denials_left": left,
                                        "denials": settings.STS_MAX_DENIALS - left if left is not None else None},
                  status=403)


def page_not_found(request, exception):
    """The API answers an unknown address as problem details; pages as the 404 page."""
    from django.views.defaults import page_not_found as default

    if request.path.startswith("/api/"):
        from api.problems import problem_response
        return problem_response(request, 404, "No such API address: see /api/v1/docs/.")
    return default(request, exception)
