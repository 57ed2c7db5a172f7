"""The Security screen's token list, rendered by the api app (accounts does not import it)."""
from django import template

from sts.accounts import permissions

from ..tokens import tokens_managed_by

register = template.Library()


@register.inclusion_tag("api/_security_tokens.html", takes_context=True)
def security_tokens(context):
    user = context["request"].user
    return {"tokens": tokens_managed_by(user).order_by("user__username", "revoked_at", "name"),
            "show_calls": permissions.may_view_api_calls(user), "csrf_token": context.get("csrf_token")}
