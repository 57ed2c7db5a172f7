"""Where issued transcripts live: under settings.PRIVATE_MEDIA_ROOT, never in the web root."""
from pathlib import Path

from django.conf import settings


def file_of(transcript) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / transcript.path
