from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from core_tables.models import Site

from . import permissions
from .forms import NewPasswordForm, NewUserForm, SignInForm
from .groups import GROUPS
from .models import SiteAccess, User
from .permissions import Action
from .services import create_user, initial_password, reset_password, set_active, unlock


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = NewPasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password was changed.")
        return response


def _managed_users(request):
    """Users a security coordinator may manage: their sponsor's, or everyone's for LDOE."""
    users = User.objects.select_related("sponsor").order_by("username")
    if permissions.is_state_staff(request.user):
        return users
    return users.filter(sponsor=request.user.sponsor)


def assignable_groups(coordinator):
    """The groups a security coordinator may give: an LEA's coordinator its LEA and school groups,
    LDOE every group."""
    if permissions.is_state_staff(coordinator):
        return list(GROUPS.values())
    return [g for g in GROUPS.values() if g.scope in ("lea", "school")]


@login_required
def security(request):
    permissions.require(request.user, Action.MANAGE_SITE_SECURITY)
    users = list(_managed_users(request).prefetch_related("site_access__site"))
    form = NewUserForm(request.POST or None, groups=assignable_groups(request.user),
                       sites=permissions.sites_for(request.user, Action.MANAGE_SITE_SECURITY),
                       sponsor=request.user.sponsor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = data["password"] or initial_password()
        try:
            user = create_user(data["user_id"], data["group"], password, sponsor=data["sponsor"],
                               sites=data["sites"], first_name=data["first_name"], last_name=data["last_name"],
                               email=data["email"], must_change_password=True, new_only=True)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            shown = "" if data["password"] else f" Its initial password is {password} (give it to the user in confidence)."
            messages.success(request, f"User {user.username} was created ({user.group.label}); the password must be "
                                      f"changed at the first sign-in.{shown}")
            return redirect("accounts:security")
    return render(request, "accounts/security.html", {
        "users": users, "groups": GROUPS, "form": form,
        "sites": permissions.sites_for(request.user, Action.MANAGE_SITE_SECURITY),
        "without_sites": [u for u in users if u.group.scope == "school" and not u.site_access.all()],
    })


def _managed_user_or_404(request, pk):
    permissions.require(request.user, Action.MANAGE_SITE_SECURITY)
    return get_object_or_404(_managed_users(request), pk=pk)


@login_required
@require_POST
def unlock_user(request, pk):
    user = _managed_user_or_404(request, pk)
    unlock(user)
    messages.success(request, f"{user.username} was unlocked.")
    return redirect("accounts:security")


@login_required
@require_POST
def set_site_access(request, pk):
    """Maintain the site-level security table for a school-level user."""
    user = _managed_user_or_404(request, pk)
    if user.group.scope != "school":
        messages.error(request, f"{user.username} is an LEA-level user: LEA users have every site; "
                                "do not put them on the site table.")
        return redirect("accounts:security")
    codes = request.POST.getlist("sites")
    sites = list(Site.objects.filter(code__in=codes, sponsor=user.sponsor))
    for site in sites:
        permissions.require(request.user, Action.MANAGE_SITE_SECURITY, site=site)
    SiteAccess.objects.filter(user=user).delete()
    SiteAccess.objects.bulk_create([SiteAccess(user=user, site=s) for s in sites])
    messages.success(request, f"{user.username} now has sites: {', '.join(s.code for s in sites) or 'none'}.")
    return redirect("accounts:security")


@login_required
@require_POST
def reset_user_password(request, pk):
    """A new initial password, shown once here; the user changes it at the next sign-in."""
    user = _managed_user_or_404(request, pk)
    password = reset_password(user)
    messages.success(request, f"{user.username} has a new initial password: {password} (it must be changed at the "
                              "next sign-in; give it to the user in confidence).")
    return redirect("accounts:security")


@login_required
@require_POST
def set_user_active(request, pk):
    """Disable a user ID (it can no longer sign in) or enable it again."""
    user = _managed_user_or_404(request, pk)
    active = request.POST.get("active") == "1"
    if user.pk == request.user.pk and not active:
        messages.error(request, "You cannot disable your own user ID.")
        return redirect("accounts:security")
    set_active(user, active)
    messages.success(request, f"{user.username} was {'enabled' if active else 'disabled'}.")
    return redirect("accounts:security")
