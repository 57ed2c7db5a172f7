"""The browser side of the API: a user's own tokens (profile), revoking (owner or security
coordinator), and the call log for state staff."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sts.accounts import permissions
from sts.lists import DESC, Column, Listing

from .forms import TokenForm
from .models import ApiCall, ApiToken
from .tokens import create_token, may_revoke, revoke


@login_required
def my_tokens(request):
    """Profile -> API tokens: create (shown once), list, revoke."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, raw = create_token(request.user, data["name"], days=data["days"],
                                      callback_url=data["callback_url"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            created = {"token": token, "raw": raw}
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "created": created})


@login_required
@require_POST
def revoke_token(request, pk):
    token = ApiToken.objects.select_related("user").filter(pk=pk).first()
    if token is None or not may_revoke(request.user, token):
        raise Http404("No such token.")
    revoke(token, by=request.user)
    messages.success(request, f"Token {token.name!r} of {token.user.username} was revoked; it no longer works.")
    # Back where the button was: the user's own page, or the Security screen for someone else's token.
    return redirect("api:tokens" if token.user_id == request.user.pk else "accounts:security")


CALL_COLUMNS = [
    Column("at", "When", ("at", "id"), first=DESC), Column("user", "User", ("user__username", "at")),
    Column("token", "Token", ("token_name", "at")), Column("method", "Method", ("method", "at")),
    Column("path", "Path", ("path", "at")), Column("status", "Status", ("status", "at"), numeric=True),
    Column("duration", "ms", ("duration_ms", "at"), first=DESC, numeric=True),
]


@login_required
def call_log(request):
    """Every API call (user, token, method, path, status, duration), for state staff."""
    if not permissions.may_view_api_calls(request.user):
        raise PermissionDenied("The API call log is for state staff.")
    calls = ApiCall.objects.select_related("user")
    user_q, status_q = request.GET.get("user", "").strip(), request.GET.get("status", "").strip()
    if user_q:
        calls = calls.filter(user__username__istartswith=user_q)
    if status_q.isdigit():
        calls = calls.filter(status=int(status_q))
    listing = Listing(request, CALL_COLUMNS, default="at", noun="calls")
    return render(request, "api/calls.html", {"page": listing.paginate(listing.order(calls)), "listing": listing,
                                              "user_q": user_q, "status_q": status_q})
