"""The public verification page's rate limit: a fixed window per client.

Each client may make `limit` look-ups in each window of `window` seconds (windows start at
multiples of `window`). A refused look-up counts but never extends the window: a client retrying
each minute gets through again when its window ends. The count is one cache key per client and
window, created with `add` and counted with `incr` (atomic on Redis, as in production), so
parallel requests of one client let exactly `limit` through.
"""
from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache


def client_of(request) -> str:
    """The client's address: behind our TLS proxy, the address the proxy appended last to
    X-Forwarded-For (earlier entries are whatever the client claimed)."""
    if getattr(settings, "STS_BEHIND_PROXY", False):
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or "unknown"


def take(client: str, *, limit: int, window: int, now: float | None = None) -> int:
    """Count one look-up of `client`. Returns 0 when allowed, else the seconds until its window
    ends (the Retry-After)."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    key = f"verify-rate:{client}:{start}"
    for _ in range(2):
        cache.add(key, 0, timeout=window + 60)  # the key names its window; the timeout only tidies up
        try:
            count = cache.incr(key)
            break
        except ValueError:  # evicted between add and incr: add it again
            continue
    else:
        count = limit + 1
    if count <= limit:
        return 0
    return max(1, math.ceil(start + window - now))
