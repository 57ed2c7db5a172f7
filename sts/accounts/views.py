from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from core_tables.models import Site

from . import permissions
from .forms import NewPasswordForm, NewUserForm, ResetPasswordForm, SignInForm, UserSearchForm
from .groups import GROUPS
from .models import SiteAccess, User
from .permissions import Action
from .services import change_group, create_user, initial_password, reset_password, set_active, unlock


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


class PasswordResetView(auth_views.PasswordResetView):
    """Self-service password reset (the guide's Password Reset System): a link by email to the
    address on the user ID; the page says the same whether or not the address is known."""
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _managed_users(request):
    """Users a security coordinator may manage: their sponsor's, or everyone's for LDOE."""
    return permissions.managed_users(request.user, User.objects.select_related("sponsor").order_by("username"))


def assignable_groups(coordinator):
    return permissions.assignable_groups(coordinator)


SHOWN_USERS = 200  # rows on the Security screen; search or filter to reach the others


@login_required
def security(request):
    permissions.require(request.user, Action.MANAGE_SITE_SECURITY)
    sites = permissions.sites_for(request.user, Action.MANAGE_SITE_SECURITY)
    managed = _managed_users(request)
    search = UserSearchForm(request.GET or None, groups=assignable_groups(request.user), sites=sites,
                            sponsors=(permissions.sponsors_for(request.user, Action.MANAGE_SITE_SECURITY)
                                      if permissions.is_state_staff(request.user) else None))
    found = search.filter(managed) if search.is_valid() else managed
    total = found.count()
    users = list(found.prefetch_related("site_access__site")[:SHOWN_USERS])
    form = NewUserForm(request.POST or None, groups=assignable_groups(request.user), sites=sites,
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
    school_users = managed.filter(sts_group__in=[g.code for g in GROUPS.values() if g.scope == "school"])
    return render(request, "accounts/security.html", {
        "users": users, "total": total, "shown_max": SHOWN_USERS, "groups": GROUPS, "form": form, "search": search,
        "assignable": assignable_groups(request.user), "sites": sites,
        "without_sites": list(school_users.filter(site_access__isnull=True).values_list("username", flat=True)),
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
def set_user_group(request, pk):
    """Modify user access: another security group of the user's level, one the coordinator may give."""
    user = _managed_user_or_404(request, pk)
    group = request.POST.get("group", "")
    if group not in {g.code for g in assignable_groups(request.user)}:
        messages.error(request, f"Choose a security group you may give; {group or 'none'!r} is not one of them.")
        return redirect("accounts:security")
    if user.pk == request.user.pk:
        messages.error(request, "You cannot change your own security group.")
        return redirect("accounts:security")
    try:
        change_group(user, group)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:security")
    note = " Give it its sites in the Sites column: without one it reaches nothing." if (
        user.group.scope == "school" and not user.site_access.exists()) else ""
    messages.success(request, f"{user.username} is now in {user.group.label}.{note}")
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
