"""Opening an uploaded batch file safely: a .txt, or a .zip of one or more .txt files.

Rejected with a clear message, never a crash: empty file, bad name, file over the size limit,
a zip bomb (total or ratio), nested archives, members that are not .txt.
"""
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

# Guide: "The name of the file is not critical": any name is accepted; one that is not letters and
# digits with .txt or .zip gets a notice on the report (some SIS exports and LEAs expect such names).
PLAIN_NAME = re.compile(r"[A-Za-z0-9]+\.(txt|zip)", re.IGNORECASE)
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_RATIO = 200  # fixed-width text compresses ~10-30x; far beyond that is a bomb


class FileRejected(Exception):
    def __init__(self, code, message):
        self.code, self.message = code, message
        super().__init__(message)


@dataclass(frozen=True)
class Member:
    name: str
    open: callable  # () -> binary file object
    plain: bool = False  # the uploaded file itself (not a zip member)


def is_zip(path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) in (b"PK\x03\x04", b"PK\x05\x06")  # a zip's local header, or an empty zip


def base_name(name) -> str:
    """The file's own name, without any folder a browser or a zip sent with it."""
    return Path(str(name).replace("\\", "/")).name.replace("\x00", "") or "upload"


def name_notice(name) -> str:
    """A notice for a name that is not letters and digits ending in .txt or .zip ('' otherwise)."""
    base = base_name(name)
    if PLAIN_NAME.fullmatch(base):
        return ""
    return (f"The file name {base!r} is not letters and digits ending in .txt or .zip. STS accepts it (the name "
            "of the file is not critical), but some LEAs' procedures expect such names.")


def storage_name(name) -> str:
    """A name safe to keep on disk (the original stays on the Upload record)."""
    return UNSAFE.sub("_", base_name(name))[-100:].lstrip(".") or "upload"


def members(path, original_name, *, max_bytes, max_unzipped_bytes):
    """The .txt files to process, in order."""
    path = Path(path)
    name = base_name(original_name)
    size = path.stat().st_size
    if size == 0:
        raise FileRejected("EMPTY", f"{name} is empty.")
    if size > max_bytes:
        raise FileRejected("SIZE", f"{name} is {size:,} bytes; the limit is {max_bytes:,}.")
    # The content decides, not the name: a zip is a zip whatever it is called.
    if not is_zip(path):
        if name.lower().endswith(".zip"):
            raise FileRejected("ZIP", f"{name} is not a readable zip archive.")
        return [Member(name, lambda: open(path, "rb"), plain=True)]
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise FileRejected("ZIP", f"{name} is not a readable zip archive.") from None
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if not infos:
        raise FileRejected("EMPTY", f"{name} holds no files.")
    total = 0
    result = []
    for info in infos:
        inner = Path(info.filename).name
        if inner.lower().endswith((".zip", ".gz", ".7z", ".rar", ".tar", ".tgz", ".bz2", ".xz")):
            raise FileRejected("NESTED", f"{name} contains another archive ({inner}); put the .txt files in the zip directly.")
        if inner.startswith(".") or inner.startswith("__MACOSX"):
            continue  # what archivers add (.DS_Store, resource forks): not data
        if not inner.lower().endswith(".txt"):
            raise FileRejected("MEMBER", f"{name} contains {inner}: only .txt files are accepted in a zip.")
        total += info.file_size
        if total > max_unzipped_bytes or (info.compress_size and info.file_size / info.compress_size > MAX_RATIO
                                          and info.file_size > 1024 * 1024):
            raise FileRejected("BOMB", f"{name} expands to more than allowed ({max_unzipped_bytes:,} bytes or "
                                       f"{MAX_RATIO}x compression): not processed.")
        result.append(Member(f"{name}/{inner}", lambda info=info: _LimitedReader(archive.open(info), info.file_size)))
    if not result:
        raise FileRejected("EMPTY", f"{name} holds no .txt file.")
    return result


class _LimitedReader:
    """Reads a zip member but refuses to go past the size its header declared (a lying header is a bomb)."""

    def __init__(self, raw, declared):
        self.raw, self.left = raw, declared

    def read(self, n=-1):
        data = self.raw.read(n if n >= 0 else self.left + 1)
        self.left -= len(data)
        if self.left < 0:
            raise FileRejected("BOMB", "A zip member is larger than its header declares: not processed.")
        return data

    def readline(self, limit=-1):
        data = self.raw.readline(limit)
        self.left -= len(data)
        if self.left < 0:
            raise FileRejected("BOMB", "A zip member is larger than its header declares: not processed.")
        return data

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def close(self):
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


HEAD_BYTES = 4 << 20  # the first record is on the first line of any real file


def declared_sponsor(fileobj, name) -> str | None:
    """The sponsor code (columns 11-13) of the first STS record of an uploaded .txt, or of the first
    .txt in a .zip; None when there is none to read (the pipeline then says what is wrong). Read
    before the file is stored, so a file of another sponsor never enters that sponsor's history."""
    from .validation import file_identity

    try:
        fileobj.seek(0)
        if Path(name).name.lower().endswith(".zip"):
            with zipfile.ZipFile(fileobj) as archive:
                info = next((i for i in archive.infolist() if i.filename.lower().endswith(".txt")), None)
                if info is None:
                    return None
                with archive.open(info) as member:
                    head = member.read(HEAD_BYTES)
        else:
            head = fileobj.read(HEAD_BYTES)
        identity = file_identity(io.BytesIO(head))
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        return None
    finally:
        fileobj.seek(0)
    return identity[1] if identity else None
