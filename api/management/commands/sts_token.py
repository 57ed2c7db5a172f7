"""API tokens from the command line (issue 21):

    python manage.py sts_token create --user USERID --name NAME [--days N] [--callback-url URL]
    python manage.py sts_token revoke --user USERID --name NAME
    python manage.py sts_token list [--user USERID]

`create` prints the new token once, as the last word of its output.
"""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sts.accounts.models import User

from ...models import ApiToken
from ...tokens import create_token, revoke


def _user(user_id):
    user = User.objects.filter(username=user_id.strip().upper()).first()
    if user is None:
        raise CommandError(f"No user {user_id}.")
    return user


class Command(BaseCommand):
    help = "Create, revoke or list API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--user", required=True)
        create.add_argument("--name", required=True)
        create.add_argument("--days", type=int, default=None)
        create.add_argument("--callback-url", default="")
        rev = sub.add_parser("revoke")
        rev.add_argument("--user", required=True)
        rev.add_argument("--name", required=True)
        lst = sub.add_parser("list")
        lst.add_argument("--user")

    def handle(self, *args, **o):
        getattr(self, o["action"])(o)

    def create(self, o):
        user = _user(o["user"])
        try:
            token, raw = create_token(user, o["name"], days=o["days"], callback_url=o["callback_url"])
        except ValidationError as exc:
            raise CommandError(" ".join(m for ms in exc.message_dict.values() for m in ms)) from None
        if token.callback_secret:
            self.stdout.write(f"Callback signing secret (shown once): {token.callback_secret}")
        self.stdout.write(f"Token {token.name!r} for {user.username}, expires {token.expires_at:%Y-%m-%d}. "
                          f"It is shown once: {raw}")

    def revoke(self, o):
        user = _user(o["user"])
        token = ApiToken.objects.filter(user=user, name=o["name"], revoked_at__isnull=True).first()
        if token is None:
            raise CommandError(f"{user.username} has no active token named {o['name']!r}.")
        revoke(token, by="sts_token")
        self.stdout.write(f"Revoked token {token.name!r} of {user.username}.")

    def list(self, o):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "name", "created_at")
        if o["user"]:
            tokens = tokens.filter(user=_user(o["user"]))
        for t in tokens:
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            self.stdout.write(f"{t.user.username}\t{t.name}\t{t.prefix}…\t{t.state}\texpires {t.expires_at:%Y-%m-%d}"
                              f"\tlast used {used}")
