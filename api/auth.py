"""Token authentication: `Authorization: Bearer sts_...`. The token acts as its user, and a
disabled or locked user's tokens stop working at once (checked on every request)."""
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .tokens import token_for

USED_EVERY_SECONDS = 60  # last_used_at is written at most this often


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header must be 'Bearer <token>'.")
        token = token_for(header[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid: unknown, revoked or expired.")
        user = token.user
        if not user.is_active or user.locked:
            raise exceptions.AuthenticationFailed(f"User ID {user.username} is disabled or locked; its tokens do "
                                                  "not work until a security coordinator enables or unlocks it.")
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > USED_EVERY_SECONDS:
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'  # makes a missing token 401, not 403


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API token from your profile page "
                                                                   "(Profile -> API tokens) or `sts_token create`."}
