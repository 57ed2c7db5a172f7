"""The callback: when an upload submitted with a token that names a callback URL ends, STS POSTs
the upload's status JSON there, signed: header X-STS-Signature: sha256=<hex HMAC-SHA256 of the
body with the token's callback secret>. Retried with backoff by a Celery task; the upload never
waits for it."""
import datetime as dt
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
LOST_AFTER_SECONDS = 300  # a pending callback untouched this long past its backoff was lost


def due_callbacks(upload_ids=None) -> list[int]:
    """The callbacks to deliver now: created for finished uploads that have none yet (`upload_ids`:
    only those), and pending ones whose delivery was lost (a worker died holding it)."""
    from uploads.models import FINISHED

    due = SubmittedWith.objects.filter(upload__status__in=FINISHED).exclude(token__callback_url="").select_related(
        "token").exclude(upload__in=Callback.objects.values("upload"))
    if upload_ids is not None:
        due = due.filter(upload_id__in=upload_ids)
    due_ids = []
    for submitted in due:
        try:
            with transaction.atomic():
                callback = Callback.objects.create(upload_id=submitted.upload_id, token=submitted.token,
                                                   url=submitted.token.callback_url)
        except IntegrityError:
            continue  # created meanwhile by the other path
        due_ids.append(callback.pk)
    if upload_ids is None:
        lost = timezone.now() - dt.timedelta(seconds=LOST_AFTER_SECONDS)
        for callback in Callback.objects.filter(status="pending", updated_at__lt=lost):
            if timezone.now() - callback.updated_at > dt.timedelta(seconds=_backoff(callback.attempts)
                                                                   + LOST_AFTER_SECONDS):
                due_ids.append(callback.pk)
    return due_ids


def _backoff(attempts):
    return settings.STS_API_CALLBACK_BACKOFF * 2 ** max(0, attempts - 1)


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
    callback.save(update_fields=["attempts", "status", "delivered_at", "last_error", "updated_at"])
