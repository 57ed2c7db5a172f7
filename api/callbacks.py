"""The callback: when an upload submitted with a token that names a callback URL ends, STS POSTs
the upload's status JSON there, signed: header X-STS-Signature: sha256=<hex HMAC-SHA256 of the
body with the token's callback secret>. Retried with backoff by a Celery task; the upload never
waits for it."""
import hashlib
import hmac
import json

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Callback, SubmittedWith

TIMEOUT_SECONDS = 10


def callback_due(upload):
    """The Callback row to deliver for a finished upload (created once), else None."""
    submitted = SubmittedWith.objects.select_related("token").filter(upload=upload).first()
    if submitted is None or not submitted.token.callback_url:
        return None
    try:
        with transaction.atomic():
            return Callback.objects.create(upload=upload, token=submitted.token, url=submitted.token.callback_url)
    except IntegrityError:
        return None  # already queued (an upload saved twice after it ended)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does (docs/api.md shows it in Python)."""
    return hmac.compare_digest(sign(secret, body), header or "")


def body_of(callback) -> bytes:
    from .representation import upload_json

    upload = callback.upload
    base = settings.STS_PUBLIC_URL.rstrip("/")
    data = {"event": "upload.finished", "upload": upload_json(callback.token.user, upload, lambda p: base + p)}
    return json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True).encode()


def attempt(callback) -> str:
    """POST once; '' when delivered (2xx), else why not."""
    body = body_of(callback)
    headers = {"Content-Type": "application/json", "User-Agent": "STS-callback/1",
               "X-STS-Signature": sign(callback.token.callback_secret, body), "X-STS-Upload": str(callback.upload_id)}
    try:
        response = requests.post(callback.url, data=body, headers=headers, timeout=TIMEOUT_SECONDS,
                                 allow_redirects=False)
    except requests.RequestException as exc:
        return f"{type(exc).__name__}: {exc}"[:300]
    if 200 <= response.status_code < 300:
        return ""
    return f"HTTP {response.status_code}"


def record(callback, problem, *, final):
    callback.attempts += 1
    if not problem:
        callback.status, callback.delivered_at, callback.last_error = "delivered", timezone.now(), ""
    else:
        callback.last_error = problem
        if final:
            callback.status = "failed"
    callback.save(update_fields=["attempts", "status", "delivered_at", "last_error"])
