"""API tokens: created by their user (profile page or `sts_token`), shown once, stored as a hash,
expiring, revocable by the user and by security coordinators."""
import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ApiToken

PREFIX = "sts_"
MAX_DAYS = 366


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(user, name, *, days=None, callback_url=""):
    """(ApiToken, the token text): the text is never stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the token a name (what uses it, e.g. 'SIS nightly')."})
    if len(name) > 60:
        raise ValidationError({"name": "The name is longer than 60 characters."})
    days = settings.STS_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": f"A token lasts 1 to {MAX_DAYS} days."})
    if callback_url and not callback_url.startswith("https://") and not settings.STS_API_CALLBACK_ALLOW_HTTP:
        raise ValidationError({"callback_url": "The callback URL must start with https://."})
    raw = PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=user, name=name, prefix=raw[:10], digest=digest(raw),
                expires_at=timezone.now() + dt.timedelta(days=days), callback_url=callback_url,
                callback_secret=secrets.token_hex(32) if callback_url else "")
    except IntegrityError:
        raise ValidationError({"name": f"{user.username} already has an active token named {name!r}; revoke it "
                                       "or choose another name."}) from None
    return token, raw


def token_for(raw: str):
    """The live token (not revoked, not expired) with this text, with its user; else None."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.select_related("user", "user__sponsor").filter(digest=digest(raw)).first()
    if token is None or token.revoked_at or token.expired:
        return None
    return token


def revoke(token, *, by):
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), getattr(by, "username", by) or ""
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def tokens_managed_by(user):
    """Tokens a security coordinator sees and may revoke on the Security screen: those of the users
    the screen lists (`permissions.managed_users`)."""
    from sts.accounts import permissions

    return permissions.managed_users(user, ApiToken.objects.select_related("user"), via="user")


def may_revoke(user, token) -> bool:
    from sts.accounts import permissions

    return token.user_id == user.pk or permissions.may_manage_user(user, token.user)
