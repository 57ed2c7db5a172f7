"""What apps built on transcripts add to its pages and reports without transcripts importing them
(no import circle): the certification app registers its providers in its AppConfig.ready().

    extensions.provide(extensions.SITE_CERTIFICATIONS, states_of)
    extensions.call(extensions.SITE_CERTIFICATIONS, site_ids, bssy, default={})
"""
from typing import Callable

SITE_CERTIFICATIONS = "site_certifications"  # (site_ids, bssy) -> {site id: state with .is_certified, .certified_at}
OFFICIAL_TRANSCRIPTS = "official_transcripts"  # (student) -> the Official Transcript History lines

_PROVIDERS: dict[str, Callable] = {}


def provide(name: str, provider: Callable) -> None:
    _PROVIDERS[name] = provider


def call(name: str, *args, default=None):
    """The provider's answer, or `default` when no app provides it."""
    provider = _PROVIDERS.get(name)
    return default if provider is None else provider(*args)
