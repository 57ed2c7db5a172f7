from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApiToken(models.Model):
    """A user's API token: acts with exactly the user's rights. Only the SHA-256 of the token is
    stored (it is 256 random bits, so a fast hash is enough); the token itself is shown once."""
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to recognise it")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=150, blank=True)
    callback_url = models.URLField(max_length=500, blank=True)
    # The HMAC key of the callback signature: the server must sign with it, so it is kept (it
    # grants no access to the API).
    callback_secret = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["user__username", "name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], condition=Q(revoked_at__isnull=True),
                                               name="uniq_live_token_name")]

    def __str__(self):
        return f"{self.user.username}/{self.name}"

    @property
    def expired(self):
        return self.expires_at <= timezone.now()

    @property
    def state(self):
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expired else "active"


class ApiCall(models.Model):
    """One API request, for state staff's call log."""
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    token = models.ForeignKey(ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls")
    token_name = models.CharField(max_length=60, blank=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField()

    class Meta:
        ordering = ["-at", "-id"]


class IdempotentSubmission(models.Model):
    """An Idempotency-Key a user sent with POST /api/v1/uploads/ and the upload it created: the
    same key again returns that upload, never a second one."""
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    upload = models.ForeignKey("uploads.Upload", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_key")]


class Callback(models.Model):
    """The signed status POST to a token's callback URL when an upload submitted with it ends."""
    STATUSES = [("pending", "Pending"), ("delivered", "Delivered"), ("failed", "Failed")]
    upload = models.ForeignKey("uploads.Upload", on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="callbacks")
    url = models.URLField(max_length=500)
    status = models.CharField(max_length=10, choices=STATUSES, default="pending")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["upload", "token"], name="uniq_upload_callback")]


class SubmittedWith(models.Model):
    """Which token submitted an upload (the callback goes to that token's URL)."""
    upload = models.OneToOneField("uploads.Upload", on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
