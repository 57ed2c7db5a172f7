"""Home's "what needs doing": for each role, the work waiting on it, from each app's named
queries (uploads with errors, sites to certify, deadlines, prior-period requests)."""
import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from core_tables.periods import fmt_bssy, period_status

from .accounts import permissions
from .accounts.permissions import Action

DEADLINE_DAYS = 45  # a closing collection period shows on Home this many days ahead


@dataclass(frozen=True)
class Task:
    kind: str      # uploads | certify | deadline | prior_requests
    text: str
    url: str = ""
    items: tuple = ()  # (label, url) pairs listed under the text


def to_do(user, bssy: int, today: dt.date) -> list[Task]:
    tasks = []
    if permissions.can(user, Action.UPLOAD):
        tasks += _uploads(user)
    if permissions.can(user, Action.CERTIFY) and not permissions.is_state_staff(user):
        tasks += _certification(user, bssy)
    if permissions.can(user, Action.UPDATE) or permissions.can(user, Action.UPLOAD):
        tasks += _deadline(user, bssy, today)
    tasks += _prior_requests(user, today)
    return tasks


def _uploads(user):
    from uploads.queries import recent_uploads_with_errors

    uploads, count = recent_uploads_with_errors(user)
    if not count:
        return []
    items = tuple((f"#{u.pk} {u.original_name} ({u.created_at:%m/%d/%Y}): {_upload_problem(u)}",
                   reverse("uploads:detail", args=[u.pk])) for u in uploads)
    return [Task("uploads", f"{count} upload{'s' if count != 1 else ''} of the last 14 days "
                            f"{'have' if count != 1 else 'has'} errors to correct", reverse("uploads:history"), items)]


def _upload_problem(upload) -> str:
    if upload.status in ("not_accepted", "failed"):
        return upload.get_status_display()
    students = (upload.result or {}).get("students") or {}
    if students.get("rejected"):
        n = students["rejected"]
        return f"{n} student{'s' if n != 1 else ''} rejected"
    rejected = sum(int(upload.counts.get(f"error_{rt}", 0) or 0) for rt in ("020", "030", "050"))
    return f"{rejected} record{'s' if rejected != 1 else ''} of rejected students"


def _certification(user, bssy):
    from certification.queries import sites_to_certify

    sites = sites_to_certify(user, bssy)
    if not sites:
        return []
    items = tuple((f"{s.code} {s.name}: {state.describe()}", reverse("certification:site", args=[s.code]))
                  for s, state in sites)
    return [Task("certify", f"{len(sites)} site{'s' if len(sites) != 1 else ''} with graduates not certified "
                            f"for {fmt_bssy(bssy)}", reverse("certification:certify"), items)]


def _deadline(user, bssy, today):
    from core_tables.queries import period_closes

    sponsor = user.sponsor.code if user.sponsor_id else None
    if not period_status(bssy, sponsor, today).open:
        return []
    closes = period_closes(bssy)
    days = (closes - today).days
    if not 0 <= days <= DEADLINE_DAYS:
        return []
    when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
    return [Task("deadline", f"The {fmt_bssy(bssy)} collection period closes {when}, on {closes:%m/%d/%Y}: "
                             "changes after that need a Prior Collection Period Access Request.")]


def _prior_requests(user, today):
    from core_tables.queries import open_prior_requests

    requests = open_prior_requests(user, today)
    if not requests:
        return []
    url = reverse("core_tables:prior_requests")
    if permissions.can(user, Action.APPROVE_PRIOR_PERIOD):
        items = tuple((f"{r.sponsor.code} asks for {fmt_bssy(r.bssy)} ({r.requested_at:%m/%d/%Y})", url)
                      for r in requests[:10])
        return [Task("prior_requests", f"{len(requests)} prior collection period request"
                                       f"{'s' if len(requests) != 1 else ''} to decide", url, items)]
    items = tuple((f"{fmt_bssy(r.bssy)}: " + ("waiting for LDOE" if r.status == "pending"
                                               else f"open until {r.access_until:%m/%d/%Y}"), url) for r in requests)
    return [Task("prior_requests", "Your prior collection period requests", url, items)]
