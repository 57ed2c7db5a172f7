"""Exports and reports rendered by workers. An exporter is a small class that checks permission and
yields a header and rows; one writer per format turns that into CSV, XLSX or PDF (pretix's pattern).

    @register
    class UploadErrors(Exporter):
        name = "upload_errors"
        formats = ("csv", "xlsx", "pdf")
        def check(self, user, params): ...          # raise PermissionDenied
        def title(self, params): ...
        def rows(self, params): yield header; yield row ...

An exporter with its own format overrides `render` (fixed-width .txt, Word). A large export can be
rendered in parts on several workers: `parts(params)` lists JSON-able part descriptors (e.g.
students 1-100, 101-200), `render_part` writes one, and the parts are delivered as one .zip.

Rows hold typed values: int and Decimal stay numbers (a Decimal keeps its places: GPAs 3.500),
dates stay dates, None is an empty cell. Text that a spreadsheet would run as a formula is
neutralised by every writer (`neutralise`).
"""
import copy
import csv
import datetime as dt
import functools
import html
import itertools
import re
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings

EXPORTERS = {}


class Exporter:
    name = ""
    formats = ("csv", "xlsx", "pdf")
    # Columns the PDF prints as a full-width monospace line under each row (a fixed-width record
    # keeps its columns: no collapsed spaces).
    pdf_record_columns = ()

    user = None  # who asks (see `bind`)

    def bind(self, user):
        """This exporter for `user` (None: an operator's command, unscoped). The framework binds
        before `check` and `render`, so exporters whose rows depend on who asks (a school-level
        user sees its own sites' rows, LOSFA and BOR consent-Y students only) read `self.user`."""
        bound = copy.copy(self)
        bound.user = user
        return bound

    def check(self, user, params):
        raise NotImplementedError

    def title(self, params):
        return self.name

    def scope(self, params) -> dict:
        """What the export covers, for its heading: {"Sponsor": "017 ...", "Site": ..., "BSSY": ...}."""
        return {}

    def heading(self, params) -> list[tuple[str, str]]:
        """The lines under a file's title: what it covers, who asked and when (every PDF prints
        them; a workbook keeps them on an "About" sheet, so its first sheet stays a plain table)."""
        from django.utils import timezone

        who = self.user.username if self.user is not None else "an operator's command"
        return [*self.scope(params).items(), ("Prepared by", who),
                ("Prepared", f"{timezone.localtime():%m/%d/%Y %H:%M}")]

    def download_name(self, fmt, params):
        """The file's name for the user, or None for one made from the title."""
        return None

    def rows(self, params):
        raise NotImplementedError

    def count(self, params):
        """How many rows `rows` will yield (the progress bar's total), or None when unknown."""
        return None

    def render(self, fmt, params, path, progress=None):
        """Write the export to `path`, calling `progress(done, total)` now and then. Returns the
        path written (a .zip beside `path` when the export has several parts). Exporters with
        their own format (e.g. fixed-width .txt, a merged PDF) override."""
        parts = self.parts(params)
        if parts and len(parts) > 1:
            return render_in_parts(self, fmt, params, parts, Path(path), progress)
        if parts:
            return self.render_part(fmt, params, parts[0], path, progress) or path
        rows = self.rows(params)
        if progress is not None:
            rows = counted(rows, self.count(params), progress)
        write, heading = WRITERS[fmt], self.heading(params)
        if fmt == "pdf" and self.pdf_record_columns:
            write_pdf(self.title(params), rows, path, record_columns=self.pdf_record_columns, heading=heading)
        else:
            write(self.title(params), rows, path, heading=heading)
        return path

    # --- exports rendered in parts (files of N students, zipped) -----------------------------

    def parts(self, params):
        """JSON-able descriptors of the parts, or None for an export rendered in one go."""
        return None

    def render_part(self, fmt, params, part, path, progress=None):
        raise NotImplementedError

    def part_filename(self, fmt, params, index, part):
        """The name of a part inside the .zip."""
        return f"part-{index + 1:03d}.{fmt}"


def render_in_parts(exporter, fmt, params, parts, path, progress=None):
    """Every part one after the other (the command line; workers render parts in parallel), zipped."""
    done, total = {}, exporter.count(params) if progress is not None else None
    with tempfile.TemporaryDirectory(prefix="sts-export-") as tmp:
        members = []
        for i, part in enumerate(parts):
            target = Path(tmp) / f"part-{i}.{fmt}"

            def part_progress(n, _part_total, i=i):
                done[i] = n
                if progress is not None:
                    progress(sum(done.values()), total)
            exporter.render_part(fmt, params, part, target, part_progress)
            members.append((exporter.part_filename(fmt, params, i, part), target))
        out = zip_path(path)
        write_zip(members, out)
    return out


def zip_path(path):
    return Path(path).with_suffix(".zip")


def write_zip(members, out):
    """A .zip of (name inside, file) pairs, compressed, written to a temporary name first."""
    partial = Path(out).with_suffix(".zip.tmp")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, file in members:
            zf.write(file, arcname=name)
    partial.replace(out)
    return out


def counted(rows, total, progress, every=200):
    """`rows` passed through, reporting (data rows done, total) every `every` rows and at the end."""
    progress(0, total)
    done = -1  # the header is not a record
    for row in rows:
        yield row
        done += 1
        if done and done % every == 0:
            progress(done, total)
    progress(max(done, 0), total if total is not None else max(done, 0))


def register(cls):
    EXPORTERS[cls.name] = cls()
    return cls


# Text that a spreadsheet would read as a formula or a command (OWASP CSV injection): =, +, -, @,
# tab and CR. Such text is written with a leading apostrophe, which Excel and LibreOffice show as
# text and do not evaluate.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell made safe for a spreadsheet; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def cell_value(value):
    """What a writer puts in a cell: numbers stay numbers (Decimal as float for .xlsx), dates stay
    dates, None is empty, text is neutralised."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return local_time(value).replace(tzinfo=None)  # spreadsheets hold no zone: Louisiana time
    if isinstance(value, (int, float, dt.date)):
        return value
    return neutralise(str(value))


def local_time(value: dt.datetime) -> dt.datetime:
    """An aware time as people in Louisiana read it (TIME_ZONE), as the pages show it."""
    from django.utils import timezone

    return timezone.localtime(value) if timezone.is_aware(value) else value


def as_text(value):
    """A value as printed (PDF, pages): dates as MM/DD/YYYY, None as empty, the rest as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.datetime):
        return local_time(value).strftime("%m/%d/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%m/%d/%Y")
    return str(value)


def shown(value):
    """A CSV field: as printed, text neutralised (numbers are not text: -1.5 stays -1.5)."""
    if is_number(value):
        return value
    return neutralise(as_text(value))


def write_csv(title, rows, path, heading=()):
    """Data only (a CSV is read by programs): the heading is for the PDF and the workbook."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        for row in rows:
            writer.writerow([shown(v) for v in row])


def write_xlsx(title, rows, path, widths=None, heading=()):
    """Streaming .xlsx (openpyxl write-only): bold frozen header with an autofilter, column widths
    from the header and the first rows (or `widths`), numbers as numbers, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(title))
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        wb.save(path)
        return
    sample = [header, *itertools.islice(rows, 200)]
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths or _widths(sample), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    bold = Font(bold=True)
    count = 0
    for i, row in enumerate(itertools.chain(sample, rows)):
        if i == 0:
            cells = []
            for value in row:
                cell = WriteOnlyCell(ws, value=cell_value(value))
                cell.font = bold
                cells.append(cell)
            ws.append(cells)
            continue
        out = []
        for value in row:
            number_format = _number_format(value)
            value = cell_value(value)
            if number_format:
                value = WriteOnlyCell(ws, value=value)
                value.number_format = number_format
            out.append(value)
        ws.append(out)
        count = i
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(header)))}{count + 1}"
    _about_sheet(wb, title, heading)
    wb.save(path)


def _about_sheet(wb, title, heading):
    """The title and heading on a second sheet, "About" (the first stays a table that sorts and filters)."""
    if not heading:
        return
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    about = wb.create_sheet("About")
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 80
    cell = WriteOnlyCell(about, value=neutralise(title))
    cell.font = Font(bold=True)
    about.append([cell])
    for label, value in heading:
        about.append([neutralise(label), neutralise(str(value))])


def _number_format(value):
    """Dates print as MM/DD/YYYY; a Decimal keeps its places (a GPA of 3.500 shows 3.500)."""
    if isinstance(value, dt.datetime):
        return "mm/dd/yyyy hh:mm"
    if isinstance(value, dt.date):
        return "mm/dd/yyyy"
    if isinstance(value, Decimal) and value.is_finite() and (places := -value.as_tuple().exponent) > 0:
        return "0." + "0" * places
    return None


def _sheet_title(title):
    # Excel refuses []:*?/\ in sheet names and more than 31 characters.
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Export"


def _widths(sample):
    widths = []
    for column in itertools.zip_longest(*sample, fillvalue=""):
        longest = max(len(as_text(v)) for v in column)
        widths.append(min(60, max(8, longest + 2)))
    return widths


@functools.lru_cache(maxsize=1)
def font_config():
    """One WeasyPrint font configuration a process: the fonts are found and loaded once, not per document."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


PDF_ROW_LIMIT = 5000  # past this, the PDF says to download the CSV or Excel file
# Table PDFs are listings in fixed columns of DejaVu Sans Mono, one line of text a row (and a
# line a continued value), never a table of cells: WeasyPrint's time and memory grow with its
# boxes, and a 9-column table of 3,000 rows took 16 s and 590 MB (docs/benchmarks.md).
PDF_FONT_PT = 7.0
PDF_LINE_PT = 9.1  # line height: 1.3 x the font
PDF_TEXT_PT = 735  # the line of a landscape letter page with 1 cm margins
PDF_LINES_PER_PAGE = 52  # of 61 lines a page: room for the title on the first page
PDF_MAX_COLUMN = 40  # a longer value continues on the next line, under itself
PDF_GAP = 2
MONO_ADVANCE = 0.602  # DejaVu Sans Mono's advance width, in ems
PDF_CSS = ("@page { size: letter landscape; margin: 1cm; @bottom-right { content: counter(page) ' / ' counter(pages); "
           "font-family: DejaVu Sans, sans-serif; font-size: 8pt } } "
           "body { margin: 0; font-family: DejaVu Sans, sans-serif; font-size: 7.5pt } h1 { font-size: 12pt } "
           f"pre {{ font-family: DejaVu Sans Mono, monospace; font-size: {PDF_FONT_PT}pt; line-height: {PDF_LINE_PT}pt; "
           "margin: 0 } pre.head { font-weight: bold; background: #e9ecef; border-bottom: 0.5pt solid #999 } "
           ".next { break-before: page } p.heading { margin: 0 0 4pt; font-size: 7.5pt } "
           # 200 columns at 5.9pt fit the line of a landscape page.
           ".record { font-size: 5.9pt }")


def wrapped(text: str, width: int) -> list[str]:
    """`text` in pieces of at most `width` characters, cut at spaces where it can; nothing lost."""
    pieces, text = [], text or ""
    while len(text) > width:
        cut = text.rfind(" ", 1, width + 1)
        cut = cut if cut > 0 else width
        pieces.append(text[:cut])
        text = text[cut:].lstrip()
    return [*pieces, text]


def _one_line(value) -> str:
    return " ".join(as_text(value).split())  # tabs and line breaks would break the columns


def _column_widths(sample, chars):
    """Widths (characters) from the header and the first rows. Until the line fits `chars`:
    headings wrap onto more lines (down to their longest word or the values' width), then long
    values continue on more lines (down to 12 characters), widest first. Room left over goes to
    values longer than PDF_MAX_COLUMN."""
    full = [max((len(v) for v in column[1:]), default=0) for column in zip(*sample)]
    values = [min(PDF_MAX_COLUMN, v) for v in full]
    words = [max([len(w) for w in h.split()] or [1]) for h in sample[0]]
    widths = [max(v, len(h)) for v, h in zip(values, sample[0])]

    def room():
        return chars - sum(widths) - PDF_GAP * (len(widths) - 1)
    for floors in ([max(v, w) for v, w in zip(values, words)], [max(w, min(v, 12)) for v, w in zip(values, words)]):
        while room() < 0:
            widest = max(range(len(widths)), key=lambda i: widths[i] - floors[i])
            if widths[widest] <= floors[widest]:
                break
            widths[widest] -= 1
    while room() > 0:
        short = max(range(len(widths)), key=lambda i: full[i] - widths[i])
        if full[short] <= widths[short]:
            break
        widths[short] += 1
    return widths


def _row_lines(values, widths, right):
    """A row's lines: each value in its column (`right`: right-aligned), long ones continued on
    the lines below."""
    cells = [wrapped(v, w) for v, w in zip(values, widths)]
    lines = []
    for n in range(max((len(c) for c in cells), default=1)):
        pieces = [c[n] if n < len(c) else "" for c in cells]
        lines.append((" " * PDF_GAP).join(p.rjust(w) if r else p.ljust(w)
                                          for p, w, r in zip(pieces, widths, right)).rstrip())
    return lines


def is_number(value) -> bool:
    """A number cell (an int, a float, a Decimal; not a bool): right-aligned, never neutralised."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def write_pdf(title, rows, path, record_columns=(), heading=()):
    """A paginated listing in fixed columns, the header repeated on every page; numbers right-
    aligned. `record_columns` (header names) print as a full-width line under each row, spaces kept."""
    from weasyprint import HTML

    rows = iter(rows)
    header = list(next(rows, None) or [])
    records = [j for j, h in enumerate(header) if h in record_columns]
    shown = [j for j in range(len(header)) if j not in records]
    sample = list(itertools.islice(rows, 200))
    chars = int(PDF_TEXT_PT / (PDF_FONT_PT * MONO_ADVANCE))
    texts = [[_one_line(header[j]) for j in shown]] + [[_one_line(r[j] if j < len(r) else None) for j in shown]
                                                       for r in sample]
    widths = _column_widths(texts, chars) if shown else []
    line_chars = sum(widths) + PDF_GAP * max(len(widths) - 1, 0)
    # Too many columns for the line even at their narrowest: a smaller font (all of them shown).
    font = f" style='font-size: {PDF_TEXT_PT / (line_chars * MONO_ADVANCE):.2f}pt'" if line_chars > chars else ""
    # A column of numbers (in the first rows) is right-aligned, its heading too.
    right = []
    for j in shown:
        column = [r[j] for r in sample if j < len(r) and r[j] is not None]
        right.append(bool(column) and all(is_number(v) for v in column))
    head = "\n".join(_row_lines(texts[0], widths, right))
    head_lines = head.count("\n") + 1

    pages, page, used, extra = [], [], head_lines, 0
    for i, row in enumerate(itertools.chain(sample, rows), start=1):
        if i > PDF_ROW_LIMIT:
            extra += 1
            continue
        lines = [html.escape(line) for line in _row_lines(
            [_one_line(row[j] if j < len(row) else None) for j in shown], widths, right)]
        lines += [f"<span class='record'>{html.escape(as_text(row[j]))}</span>" for j in records
                  if j < len(row) and row[j] not in (None, "")]
        if page and used + len(lines) > PDF_LINES_PER_PAGE:
            pages.append(page)
            page, used = [], head_lines
        page.extend(lines)
        used += len(lines)
    pages.append(page)
    body = [f"<h1>{html.escape(title)}</h1>", _heading_html(heading)]
    for n, lines in enumerate(pages):
        body.append(f"<div{' class=next' if n else ''}><pre class='head'{font}>{html.escape(head)}</pre>"
                    f"<pre{font}>{chr(10).join(lines)}</pre></div>")
    if extra:
        body.append(f"<p>{extra:,} more rows are not printed: download the CSV or Excel file for all rows.</p>")
    HTML(string=f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>{PDF_CSS}</style>"
                f"</head><body>{''.join(body)}</body></html>").write_pdf(path, font_config=font_config())


def _heading_html(heading) -> str:
    """The heading as one line under the title: "Sponsor: 017 ... · BSSY: 2025-26 · Prepared by: ..."."""
    if not heading:
        return ""
    return "<p class='heading'>" + " &middot; ".join(
        f"<b>{html.escape(str(label))}:</b> {html.escape(str(value))}" for label, value in heading) + "</p>"


def write_docx(title, rows, path, heading=()):
    """A Word document: the title as a heading and the rows as a real table (header row repeated)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.styles["Normal"].font.size = Pt(8)
    doc.add_heading(title, level=1)
    if heading:
        doc.add_paragraph(" · ".join(f"{label}: {value}" for label, value in heading))
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        doc.save(path)
        return
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header):
        cell.text = as_text(value)
        cell.paragraphs[0].runs[0].bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = as_text(value)
    doc.save(path)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf, "docx": write_docx}
CONTENT_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "pdf": "application/pdf", "txt": "text/plain",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "zip": "application/zip"}
FORMAT_LABELS = {"xlsx": "Excel", "csv": "CSV", "pdf": "PDF", "docx": "Word", "txt": "Text"}


def content_type(filename):
    return CONTENT_TYPES.get(Path(filename).suffix.lstrip(".").lower(), "application/octet-stream")


def export_dir():
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path
