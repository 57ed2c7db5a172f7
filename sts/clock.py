"""The day the system works on: today, unless a command was given `--today`.

Like Django's timezone.override: a command's `--today YYYY-MM-DD` holds for everything that
command does (collection periods, certification and issue dates, progress "as of", purging), so a
script reproduces a run of any day. Code that depends on the date asks `clock.today()` /
`clock.now()`, never `date.today()`.
"""
import contextvars
import datetime as dt
from contextlib import contextmanager

from django.core.management.base import CommandError
from django.utils import timezone

_fixed: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar("sts_today", default=None)


def today() -> dt.date:
    return _fixed.get() or timezone.localdate()


def now() -> dt.datetime:
    """The current time of day on `today()` (the real time when no day is fixed)."""
    current = timezone.now()
    day = _fixed.get()
    if day is None:
        return current
    local = timezone.localtime(current)
    return local.replace(year=day.year, month=day.month, day=day.day)


@contextmanager
def fixed(day: dt.date | None):
    """Work as on `day` inside the block (no-op for None)."""
    token = _fixed.set(day)
    try:
        yield
    finally:
        _fixed.reset(token)


def add_today_argument(parser):
    parser.add_argument("--today", metavar="YYYY-MM-DD", type=parse_today,
                        help="work as on this day (collection periods, dates written); default: today")


def parse_today(value) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date YYYY-MM-DD, not {value!r}.") from None


class DatedCommand:
    """A management command mixin: `--today YYYY-MM-DD` fixes the day for everything the command does.
    Put it before BaseCommand: `class Command(DatedCommand, BaseCommand)`."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        add_today_argument(parser)
        return parser

    def execute(self, *args, **options):
        with fixed(options.get("today")):
            return super().execute(*args, **options)
