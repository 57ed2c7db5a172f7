from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class PerTokenThrottle(SimpleRateThrottle):
    """STS_API_RATE requests per token (429 with Retry-After past it)."""
    scope = "token"

    def get_rate(self):
        return settings.STS_API_RATE  # read per request (DRF reads its rates once, at import)

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is None:
            return self.cache_format % {"scope": self.scope, "ident": f"anon-{self.get_ident(request)}"}
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
