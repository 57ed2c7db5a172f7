"""Sign-in with lockout: five failed sign-ins lock the user ID until a security coordinator unlocks it."""
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import F

from .models import User


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.locked:
            return None  # the sign-in form tells the user why
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_signins:
                User.objects.filter(pk=user.pk).update(failed_signins=0)
            return user
        User.objects.filter(pk=user.pk).update(failed_signins=F("failed_signins") + 1)
        user.refresh_from_db(fields=["failed_signins"])
        if user.failed_signins >= settings.STS_MAX_FAILED_SIGNINS:
            User.objects.filter(pk=user.pk).update(locked=True)
        return None
