"""Reading a batch file as numbered lines, in constant memory.

A file is read in binary, in blocks of complete lines, and split on LF; a CR before the LF
is part of the terminator (CR LF or LF: "permitted to exceed record length by 2 bytes").
Lines are decoded as UTF-8, falling back to Windows-1252 for lines that are not UTF-8
(bytes Windows-1252 leaves undefined become U+FFFD), so no content can make decoding fail.
A UTF-8 byte order mark at the start of the file is dropped. Blank lines hold no record
and are skipped by the readers; line numbers count them.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from contextlib import contextmanager
from typing import BinaryIO, Iterator

BOM = b"\xef\xbb\xbf"
BLOCK_BYTES = 4 << 20
MAX_LINE = 1 << 20


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
        with open(source, "rb") as f:
            yield f
        return
    if _seekable(source):
        yield source
        return
    with tempfile.TemporaryFile() as spool:
        shutil.copyfileobj(source, spool, BLOCK_BYTES)
        spool.seek(0)
        yield spool


def _seekable(f) -> bool:
    try:
        return f.seekable() and isinstance(f.read(0), bytes)
    except (AttributeError, OSError, io.UnsupportedOperation):
        return False


def read_blocks(f: BinaryIO, size: int = BLOCK_BYTES) -> Iterator[bytes]:
    """The file from the start in blocks of whole lines (terminators kept; the last block
    may end without one), the UTF-8 byte order mark dropped. A line ends at LF, CR LF or a
    lone CR, as `bytes.splitlines` has it (old Mac files read as lines; a CR inside a
    record makes it too short). A line longer than MAX_LINE (no record is) is passed on as
    its first MAX_LINE + 1 bytes and the rest of it is dropped, so it stays one line with
    bounded memory and a 50 MB line is one LENGTH error, not one per block."""
    f.seek(0)
    carry, first, skipping, drop_lf = b"", True, False, False
    while True:
        data = f.read(size)
        if data and drop_lf:
            data, drop_lf = data.removeprefix(b"\n"), False
        if data and skipping:
            end = min((i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0), default=-1)
            if end < 0:
                continue  # still inside the overlong line
            drop_lf = data[end:end + 1] == b"\r" and end == len(data) - 1  # its LF may start the next read
            data = data[end + 1 + (data[end:end + 2] == b"\r\n"):]
            skipping = False
            if not data:
                continue
        if data:
            block = carry + data
            cut = block.rfind(b"\n") + 1 or block.rfind(b"\r") + 1
            if cut == 0 or (cut == len(block) and block[-1:] == b"\r"):
                if len(block) <= MAX_LINE:
                    carry = block  # no complete line yet (or a CR whose LF may follow)
                    continue
                if cut == 0:  # no record is this long: its head stands for it, the rest is dropped
                    block, carry, skipping = block[:MAX_LINE + 1] + b"\n", b"", True
                    if first:
                        block, first = block.removeprefix(BOM), False
                    yield block
                    continue
                cut, drop_lf = len(block), True  # a long line ending in CR: its LF may start the next read
            block, carry = block[:cut], block[cut:]
        elif carry:
            block, carry = carry, b""  # the last line, without terminator
        else:
            return
        if first:
            block, first = block.removeprefix(BOM), False
        if block:
            yield block


def blocks(f: BinaryIO, size: int = BLOCK_BYTES) -> Iterator[tuple[int, list[bytes], bool]]:
    """(number of the block's first line, its lines without terminators, whether the block
    is all ASCII). Splitting whole blocks in C keeps the per-line work of the callers'
    loops small."""
    line_no = 1
    for block in read_blocks(f, size):
        lines = block.splitlines()
        yield line_no, lines, block.isascii()
        line_no += len(lines)


def raw_lines(f: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """(1-based line number, bytes without terminator) of each non-blank line."""
    for line_no, lines, _ in blocks(f):
        for line_no, raw in enumerate(lines, line_no):
            if raw and not raw.isspace():
                yield line_no, raw


def text_lines(f: BinaryIO) -> Iterator[tuple[int, str]]:
    """(line number, decoded text) of each non-blank line."""
    for line_no, raw in raw_lines(f):
        yield line_no, decode(raw)
