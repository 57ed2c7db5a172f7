"""Reading a batch file as numbered lines, in constant memory.

A file is read in binary and split on LF; a CR before the LF is part of the terminator
(CR LF or LF, "permitted to exceed record length by 2 bytes"). Each line is decoded as
UTF-8, falling back to Windows-1252 for lines that are not UTF-8 (bytes Windows-1252 leaves
undefined become U+FFFD), so no content can make decoding fail. A UTF-8 byte order mark
on the first line is dropped. Blank lines are skipped wherever they are (trailing ones are
common; a blank line inside a file holds no record either); line numbers count them.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from contextlib import contextmanager
from typing import BinaryIO, Iterator

BOM = b"\xef\xbb\xbf"
READ_BUFFER = 1 << 20


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


@contextmanager
def opened(source: str | os.PathLike | BinaryIO) -> Iterator[BinaryIO]:
    """A seekable binary file for a path or a file object; a file object that cannot seek
    (an upload stream) is spooled to a temporary file first. Files we open we close."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb", buffering=READ_BUFFER) as f:
            yield f
        return
    if _seekable(source):
        yield source
        return
    with tempfile.TemporaryFile() as spool:
        shutil.copyfileobj(source, spool, READ_BUFFER)
        spool.seek(0)
        yield spool


def _seekable(f) -> bool:
    try:
        return f.seekable() and isinstance(f.read(0), bytes)
    except (AttributeError, OSError, io.UnsupportedOperation):
        return False


def raw_lines(f: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """(1-based line number, bytes without terminator) of each non-blank line, from the start."""
    f.seek(0)
    line_no = 0
    for line_no, raw in enumerate(f, start=1):
        if raw[-1:] == b"\n":
            raw = raw[:-1]
        if raw[-1:] == b"\r":
            raw = raw[:-1]
        if line_no == 1 and raw.startswith(BOM):
            raw = raw[3:]
        if raw and not raw.isspace():
            yield line_no, raw


def text_lines(f: BinaryIO) -> Iterator[tuple[int, str]]:
    """(line number, decoded text) of each non-blank line."""
    for line_no, raw in raw_lines(f):
        yield line_no, decode(raw)
