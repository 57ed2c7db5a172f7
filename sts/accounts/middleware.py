from django.shortcuts import redirect
from django.urls import reverse

from core_tables.periods import current_bssy


class PasswordChangeRequiredMiddleware:
    """An initial password must be replaced before anything else (guide: "set to expire")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = (reverse("accounts:password_change"), reverse("accounts:logout"))
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:password_change")
        return self.get_response(request)


class SelectedBssyMiddleware:
    """`request.bssy`: the BSSY chosen in the selector for this session, else the current one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/v1/"):  # the API has no session BSSY: each call names its own
            return self.get_response(request)
        request.current_bssy = current_bssy()
        chosen = request.session.get("bssy") if hasattr(request, "session") else None
        request.bssy = chosen or request.current_bssy
        return self.get_response(request)
