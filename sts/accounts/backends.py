"""Sign-in with lockout: five failed sign-ins lock the user ID until a security coordinator unlocks it."""
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Case, F, Value, When

from .models import User


class LockoutBackend(ModelBackend):
    """The lock is decided by single UPDATE statements on the user's row, so parallel sign-ins
    cannot count past the limit or slip a success in after the lock: each wrong password adds one
    only while the row is unlocked, and the one that reaches the limit locks it in the same
    statement; a right password succeeds only while the row is still unlocked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.locked:
            return None  # the sign-in form tells the user why
        unlocked = User.objects.filter(pk=user.pk, locked=False)
        if user.check_password(password) and self.user_can_authenticate(user):
            if not unlocked.update(failed_signins=0):
                return None  # locked by a parallel attempt meanwhile
            user.failed_signins = 0
            return user
        limit = settings.STS_MAX_FAILED_SIGNINS
        unlocked.update(failed_signins=F("failed_signins") + 1,
                        locked=Case(When(failed_signins__gte=limit - 1, then=Value(True)), default=Value(False)))
        return None

    def get_user(self, user_id):
        # Every page shows the user's sponsor (navbar, scope): read it with the user, one query.
        user = User._default_manager.select_related("sponsor").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
