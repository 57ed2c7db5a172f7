"""Request hygiene for every page: a Content-Security-Policy without inline script, and a 400 for
text no page can store (NUL bytes: PostgreSQL refuses them in any string)."""
from django.conf import settings
from django.core.exceptions import BadRequest


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response that does not set its own (a credential PDF sets
    `sandbox`). Scripts come from static/ only: no inline script, no eval."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.STS_CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


class RejectNulMiddleware:
    """A NUL byte in the path, a query parameter or a form field answers 400, naming the parameter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise BadRequest("The address holds a NUL character.")
        for source in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
            for key, values in source.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    raise BadRequest(f"The parameter {key.replace(chr(0), '')!r} holds a NUL character.")
        return self.get_response(request)
