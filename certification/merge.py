"""Many transcript PDFs as one, written as it goes (bulk downloads of a site's or a search's transcripts).

pypdf's PdfWriter keeps every page of the result in memory until it writes; a site's 500
transcripts would all be held at once. Here pypdf reads one input at a time and its objects are
written straight to the output file (renumbered); only the byte offsets and the page object
numbers stay in memory. The pages tree, catalog and cross-reference table are written at the end.

The merged file carries no signatures (a signature covers one file's bytes): every page still
prints its transcript's verification code, which the verification page checks.
"""
from __future__ import annotations

from pypdf import PdfReader
from pypdf.generic import (ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject, StreamObject,
                           TextStringObject)

# Page keys not carried over: the signature widget (and any form field) belongs to its own file.
_DROP_PAGE_KEYS = ("/Annots", "/Parent")


class StreamingMerger:
    def __init__(self, out, title: str = ""):
        self.out = out
        self.offsets: list[int | None] = [None]  # object number -> byte offset (0 is the free head)
        self.pages: list[int] = []
        self.title = title
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.pages_number = self._reserve()
        self.catalog_number = self._reserve()

    def _write(self, data: bytes):
        self.out.write(data)

    def _reserve(self) -> int:
        self.offsets.append(None)
        return len(self.offsets) - 1

    def _emit(self, number: int, obj):
        self.offsets[number] = self.out.tell()
        self._write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.out)
        self._write(b"\nendobj\n")

    def append(self, source) -> int:
        """Append every page of `source` (a path or a binary file); returns its page count."""
        reader = PdfReader(source, strict=False)
        numbers: dict[tuple[int, int], int] = {}
        pending: list[tuple[int, object]] = []

        def renumber(ref: IndirectObject) -> IndirectObject:
            key = (ref.idnum, ref.generation)
            if key not in numbers:
                numbers[key] = self._reserve()
                pending.append((numbers[key], ref))
            return IndirectObject(numbers[key], 0, None)

        def convert(value):
            if isinstance(value, IndirectObject):
                return renumber(value)
            if isinstance(value, StreamObject):
                copy = value.__class__()
                copy._data = value._data  # the encoded bytes as read, filters unchanged
                for k, v in value.items():
                    copy[NameObject(k)] = convert(v)
                return copy
            if isinstance(value, DictionaryObject):
                return DictionaryObject({NameObject(k): convert(v) for k, v in value.items()})
            if isinstance(value, ArrayObject):
                return ArrayObject(convert(v) for v in value)
            return value

        count = 0
        for page in reader.pages:
            number = self._reserve()
            copy = DictionaryObject({NameObject(k): convert(v) for k, v in page.items() if k not in _DROP_PAGE_KEYS})
            copy[NameObject("/Parent")] = IndirectObject(self.pages_number, 0, None)
            # Inherited attributes live on the source's pages tree, which is not copied.
            for key in ("/MediaBox", "/Resources", "/CropBox", "/Rotate"):
                if key not in copy and key in page:
                    copy[NameObject(key)] = convert(page[key])
            self._emit(number, copy)
            self.pages.append(number)
            count += 1
            while pending:  # what this page refers to, written now and forgotten
                target, ref = pending.pop()
                self._emit(target, convert(ref.get_object()))
        return count

    def close(self):
        kids = ArrayObject(IndirectObject(n, 0, None) for n in self.pages)
        self._emit(self.pages_number, DictionaryObject({NameObject("/Type"): NameObject("/Pages"),
                                                        NameObject("/Kids"): kids,
                                                        NameObject("/Count"): NumberObject(len(self.pages))}))
        self._emit(self.catalog_number, DictionaryObject({NameObject("/Type"): NameObject("/Catalog"),
                                                          NameObject("/Pages"): IndirectObject(self.pages_number, 0, None)}))
        info = self._reserve()
        self._emit(info, DictionaryObject({NameObject("/Title"): TextStringObject(self.title or "Transcripts"),
                                           NameObject("/Producer"): TextStringObject("Student Transcript System")}))
        xref = self.out.tell()
        lines = [f"xref\n0 {len(self.offsets)}\n".encode(), b"0000000000 65535 f \n"]
        for offset in self.offsets[1:]:
            lines.append(f"{offset or 0:010d} 00000 n \n".encode() if offset is not None else b"0000000000 65535 f \n")
        self._write(b"".join(lines))
        self._write(f"trailer\n<< /Size {len(self.offsets)} /Root {self.catalog_number} 0 R /Info {info} 0 R >>\n"
                    f"startxref\n{xref}\n%%EOF\n".encode())
