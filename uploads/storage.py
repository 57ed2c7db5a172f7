"""Keeping the original file of an upload (outside the web root) with its Upload record: the one
way in for the Upload screen, `sts_upload` and the demo loader."""
import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from sts import jobs

from .files import storage_name
from .models import Upload


def storage_dir(upload_id):
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "uploads" / str(upload_id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_chunks(path, size=1 << 20):
    with open(path, "rb") as f:
        while chunk := f.read(size):
            yield chunk


def store_upload(user, name, chunks, *, mode, bssy=None, today=None):
    """Create the Upload and write its original file; returns the Upload (status queued)."""
    with transaction.atomic():
        upload = Upload.objects.create(user=user, mode=mode, bssy=bssy, original_name=name, stored_path="",
                                       today=today, **jobs.queued_fields(Upload))
        path = storage_dir(upload.pk) / storage_name(name)
        digest, size = hashlib.sha256(), 0
        with open(path, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        upload.stored_path, upload.sha256, upload.size = str(path), digest.hexdigest(), size
        upload.save(update_fields=["stored_path", "sha256", "size"])
    return upload
