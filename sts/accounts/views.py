from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from core_tables.models import Site

from . import permissions
from .forms import NewPasswordForm, SignInForm
from .groups import GROUPS
from .models import SiteAccess, User
from .permissions import Action
from .services import unlock


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


@login_required
def security(request):
    permissions.require(request.user, Action.MANAGE_SITE_SECURITY)
    users = list(_managed_users(request).prefetch_related("site_access__site"))
    return render(request, "accounts/security.html", {
        "users": users, "groups": GROUPS,
        "sites": permissions.sites_for(request.user, Action.MANAGE_SITE_SECURITY),
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
