"""What apps built on transcripts add to its pages and reports without transcripts importing them
(no import circle): the certification app registers its providers in its AppConfig.ready().

    extensions.provide(extensions.SITE_CERTIFICATIONS, states_of)
    extensions.call(extensions.SITE_CERTIFICATIONS, site_ids, bssy, default={})
"""
from typing import Callable

SITE_CERTIFICATIONS = "site_certifications"  # (site_ids, bssy) -> {site id: state with .is_certified, .certified_at}
OFFICIAL_TRANSCRIPTS = "official_transcripts"  # (student) -> the Official Transcript History lines
OTS_COUNTS = "ots_counts"  # (site_ids, bssy) -> {site id: students with a current official transcript}
GRADUATES_RECOMPUTED = "graduates_recomputed"  # (student_ids) -> None: progress was stored for them
ROLLED_MARKER = "rolled_marker"  # (student) -> "Rolled over from ..." or None
ROLLED_FILTER = "rolled_filter"  # (students queryset, value) -> the queryset cut to rolled students
ROLLED_CHOICES = "rolled_choices"  # () -> {value: label} of the Student List's Rolled filter

_PROVIDERS: dict[str, Callable] = {}


def provide(name: str, provider: Callable) -> None:
    _PROVIDERS[name] = provider


def call(name: str, *args, default=None):
    """The provider's answer, or `default` when no app provides it."""
    provider = _PROVIDERS.get(name)
    return default if provider is None else provider(*args)
