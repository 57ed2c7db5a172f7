from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from reference import history
from sts.accounts import permissions
from sts.accounts.permissions import Action

from .forms import DecisionForm, PriorPeriodRequestForm
from .models import CollectionPeriod, PriorPeriodRequest


@login_required
def prior_requests(request):
    """LEA users file Prior Collection Period Access Requests; LDOE decides them."""
    user = request.user
    approver = permissions.can(user, Action.APPROVE_PRIOR_PERIOD)
    if not approver:
        permissions.require(user, Action.REQUEST_PRIOR_PERIOD, sponsor=user.sponsor)
    form = None
    if not approver:
        form = PriorPeriodRequestForm(request.POST or None, current_bssy=request.current_bssy)
        if request.method == "POST" and form.is_valid():
            req = form.save(commit=False)
            req.sponsor, req.requested_by = user.sponsor, user
            req.save()
            messages.success(request, "Your request was sent to LDOE.")
            return redirect("core_tables:prior_requests")
    requests = PriorPeriodRequest.objects.select_related("sponsor", "requested_by", "decided_by")
    if not approver:
        requests = requests.filter(sponsor=user.sponsor)
    return render(request, "core_tables/prior_requests.html", {
        "form": form, "requests": requests[:200], "approver": approver, "decision_form": DecisionForm(),
        "periods": CollectionPeriod.objects.all()[:10],
    })


@login_required
@require_POST
def decide_prior_request(request, pk):
    permissions.require(request.user, Action.APPROVE_PRIOR_PERIOD)
    req = get_object_or_404(PriorPeriodRequest, pk=pk, status="pending")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errs in form.errors.values() for m in errs))
        return redirect("core_tables:prior_requests")
    with transaction.atomic():
        req = get_object_or_404(PriorPeriodRequest.objects.select_for_update(), pk=pk, status="pending")
        req.status = form.cleaned_data["decision"]
        req.access_until = form.cleaned_data["access_until"] if req.status == "approved" else None
        req.decided_by, req.decided_at = request.user, timezone.now()
        req.save()
        changes = {"Status": ["Pending", req.get_status_display()]}
        if req.access_until:
            changes["Open until"] = ["", f"{req.access_until:%m/%d/%Y}"]
        history.record("prior-requests", req, request.user, changes, "decided")
    messages.success(request, f"Request of {req.sponsor.code} for {req.bssy} {req.status}.")
    return redirect("core_tables:prior_requests")
