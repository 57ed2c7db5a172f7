import time

from django.db import connection, transaction

from .models import ApiCall

API_PREFIX = "/api/v1/"
UNLOGGED = ("/api/v1/schema/", "/api/v1/docs/")


class ApiCallLogMiddleware:
    """Every call to /api/v1/ is logged: user, token name, method, path, status, duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX) or request.path.startswith(UNLOGGED):
            return self.get_response(request)
        started = time.monotonic()
        response = self.get_response(request)
        token = getattr(request, "auth", None)
        user = getattr(request, "user", None)
        call = ApiCall(user=user if getattr(user, "is_authenticated", False) else None,
                       token=token if hasattr(token, "digest") else None, token_name=getattr(token, "name", ""),
                       method=request.method[:8], path=request.get_full_path()[:300], status=response.status_code,
                       duration_ms=int((time.monotonic() - started) * 1000))
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # A log line need not wait for the disk: PostgreSQL flushes it a moment later (a
                # crash in that moment loses the line, never the data the call touched).
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            call.save()
        return response
