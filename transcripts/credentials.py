"""Jumpstart credentials: PDF certificates uploaded for a student (training slides, "Uploading
Jumpstart Credential": "The certificate must be saved as an Adobe PDF. If more than one certificate
is earned, please save all to one document before uploading").

A file is accepted by its content, never by its name or declared type: it must start like a PDF,
end like one, stay under the size limit and carry no active content. It is stored under
settings.PRIVATE_MEDIA_ROOT (outside the web root, under a random name) and served only by a
view that checks the user may see the student.
"""
from __future__ import annotations

import hashlib
import os
import re
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
HEADER_WINDOW = 1024  # the PDF header may follow a few bytes of junk (PDF 1.7, annex H)
TRAILER_WINDOW = 2048
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_ACTIVE = (b"/JavaScript", b"/Launch", b"/EmbeddedFile")  # nothing a scanned certificate needs
_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
INFLATE_BUDGET = 20 * 1024 * 1024


class CredentialRejected(ValueError):
    """The file is not an acceptable credential PDF; the message says why."""


@dataclass(frozen=True)
class PdfInfo:
    size: int
    pages: int  # 0 when the page objects sit in compressed object streams
    sha256: str


def max_bytes() -> int:
    return getattr(settings, "STS_CREDENTIAL_MAX_BYTES", DEFAULT_MAX_BYTES)


def inspect_pdf(data: bytes, limit: int | None = None) -> PdfInfo:
    """Check the bytes of an upload are a PDF we accept; raises CredentialRejected."""
    limit = limit or max_bytes()
    if not data:
        raise CredentialRejected("The file is empty.")
    if len(data) > limit:
        raise CredentialRejected(f"The file is {len(data) / 1048576:.1f} MB; credentials may be at most "
                                 f"{limit / 1048576:.0f} MB. Scan at a lower resolution or in black and white.")
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        raise CredentialRejected("The file is not a PDF document. Save the certificate as an Adobe PDF.")
    if b"%%EOF" not in data[-TRAILER_WINDOW:]:
        raise CredentialRejected("The PDF document is incomplete or damaged. Save it again and upload it.")
    # Objects may sit in compressed object streams (PDF 1.5+): look inside those too.
    parts = [data, *_inflated_streams(data)]
    if any(marker in part for part in parts for marker in _ACTIVE):
        raise CredentialRejected("The PDF document contains scripts or attachments; upload a plain scan "
                                 "of the certificate(s).")
    pages = sum(len(_PAGE.findall(part)) for part in parts)
    return PdfInfo(len(data), pages, hashlib.sha256(data).hexdigest())


def _inflated_streams(data: bytes, budget: int = INFLATE_BUDGET):
    """The decompressed content of the document's Flate streams, up to `budget` bytes in all (a
    small file cannot inflate without bound); streams of other encodings (JPEG scans) are skipped."""
    for match in _STREAM_START.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0 or budget <= 0:
            return
        try:
            chunk = zlib.decompressobj().decompress(data[start:end], budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        yield chunk


def read_upload(uploaded, limit: int | None = None) -> bytes:
    """The bytes of a Django UploadedFile, refusing an oversized one before reading it all."""
    limit = limit or max_bytes()
    if uploaded.size is not None and uploaded.size > limit:
        raise CredentialRejected(f"The file is {uploaded.size / 1048576:.1f} MB; credentials may be at most "
                                 f"{limit / 1048576:.0f} MB.")
    data = b"".join(uploaded.chunks())
    return data[: limit + 1]


def private_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def store_pdf(data: bytes, *, bssy: int, sponsor_code: str) -> str:
    """Write the bytes under a random name; returns the path relative to PRIVATE_MEDIA_ROOT."""
    relative = Path("credentials") / str(bssy) / sponsor_code / f"{uuid.uuid4().hex}.pdf"
    target = private_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with open(partial, "wb") as out:
        out.write(data)
    os.chmod(partial, 0o640)
    os.replace(partial, target)
    return relative.as_posix()


def file_of(credential) -> Path:
    """The stored file of a Credential row, refusing a path that leaves the private root."""
    root = private_root().resolve()
    path = (root / credential.path).resolve()
    if root not in path.parents:
        raise FileNotFoundError(credential.path)
    return path


def safe_name(name: str) -> str:
    """A display/download name: the uploaded base name, letters, digits, dot, dash, underscore."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name or "credential.pdf").name).strip("._") or "credential"
    return base if base.lower().endswith(".pdf") else f"{base}.pdf"
