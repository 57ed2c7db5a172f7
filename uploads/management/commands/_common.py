import datetime as dt
import json

from django.core.management.base import CommandError


def parse_today(value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be YYYY-MM-DD, not {value!r}") from None


def dump(command, result):
    command.stdout.write(json.dumps(result, indent=2, default=str))
