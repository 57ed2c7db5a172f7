"""Errors as RFC 9457 problem details (application/problem+json): `type`, `title`, `status`,
`detail`, and for bad input `errors`, each naming the field."""
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

CONTENT_TYPE = "application/problem+json"
TITLES = {400: "Bad request", 401: "Not authenticated", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 406: "Not acceptable", 409: "Conflict", 413: "Payload too large",
          415: "Unsupported media type", 429: "Too many requests", 500: "Server error"}


def problem(status, detail, *, errors=None, instance=""):
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return body


def _flatten(data, prefix=""):
    """DRF's nested error dict -> [{"field": "a.b", "message": ...}]."""
    out = []
    if isinstance(data, dict):
        for key, value in data.items():
            out += _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list):
        for value in data:
            out += _flatten(value, prefix)
    else:
        out.append({"field": prefix or "non_field_errors", "message": str(data)})
    return out


def exception_handler(exc, context):
    if isinstance(exc, PermissionDenied) and not isinstance(exc, exceptions.PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    response = drf_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        body = problem(response.status_code, detail, errors=errors, instance=instance)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        body = problem(response.status_code, str(detail), instance=instance)
    headers = {k: v for k, v in response.items() if k in ("Retry-After", "WWW-Authenticate", "Allow")}
    return Response(body, status=response.status_code, headers=headers, content_type=CONTENT_TYPE)


def problem_response(request, status, detail):
    """For Django's own handlers (a NUL byte, an unknown address) on /api/ paths."""
    return JsonResponse(problem(status, detail, instance=request.path), status=status, content_type=CONTENT_TYPE)
