"""Exports and reports rendered by workers. An exporter is a small class that checks permission and
yields a header and rows; one writer per format turns that into CSV, XLSX or PDF (pretix's pattern).

    @register
    class UploadErrors(Exporter):
        name = "upload_errors"
        formats = ("csv", "xlsx", "pdf")
        def check(self, user, params): ...          # raise PermissionDenied
        def title(self, params): ...
        def rows(self, params): yield header; yield row ...

Rows hold typed values: int and Decimal stay numbers (a Decimal keeps its places: GPAs 3.500),
dates stay dates, None is an empty cell. Text that a spreadsheet would run as a formula is
neutralised by every writer (`neutralise`).
"""
import csv
import datetime as dt
import html
import itertools
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings

EXPORTERS = {}


class Exporter:
    name = ""
    formats = ("csv", "xlsx", "pdf")

    def check(self, user, params):
        raise NotImplementedError

    def title(self, params):
        return self.name

    def rows(self, params):
        raise NotImplementedError

    def count(self, params):
        """How many rows `rows` will yield (the progress bar's total), or None when unknown."""
        return None

    def render(self, fmt, params, path, progress=None):
        """Write the export to `path`, calling `progress(done, total)` now and then. Exporters with
        their own format (e.g. fixed-width .txt, a merged PDF) override."""
        rows = self.rows(params)
        if progress is not None:
            rows = counted(rows, self.count(params), progress)
        WRITERS[fmt](self.title(params), rows, path)


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


def with_viewer(params, user):
    """The params an exporter sees: the request's, with `viewer` set to the requesting user's pk by
    the framework (never taken from the request), so rows can be scoped to what that user sees."""
    return {**params, "viewer": user.pk}


def viewer_of(params):
    """The requesting user of an export (see `with_viewer`), or None outside a request."""
    from django.contrib.auth import get_user_model

    pk = params.get("viewer")
    return get_user_model().objects.filter(pk=pk).first() if pk is not None else None


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
    if isinstance(value, (int, float, dt.date)):
        return value
    return neutralise(str(value))


def as_text(value):
    """A value as printed (PDF, pages): dates as MM/DD/YYYY, None as empty, the rest as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.datetime):
        return value.strftime("%m/%d/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%m/%d/%Y")
    return str(value)


def shown(value):
    """A CSV field: as printed, text neutralised (numbers are not text: -1.5 stays -1.5)."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    return neutralise(as_text(value))


def write_csv(title, rows, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        for row in rows:
            writer.writerow([shown(v) for v in row])


def write_xlsx(title, rows, path, widths=None):
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
    wb.save(path)


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


PDF_ROW_LIMIT = 5000  # WeasyPrint's memory grows with the document (docs/benchmarks.md)


def write_pdf(title, rows, path):
    from weasyprint import HTML

    parts = [f"<h1>{html.escape(title)}</h1><table><thead>"]
    extra = 0
    for i, row in enumerate(rows):
        if i > PDF_ROW_LIMIT:
            extra += 1
            continue
        cells = "".join(f"<{'th' if i == 0 else 'td'}>{html.escape(as_text(v))}</{'th' if i == 0 else 'td'}>" for v in row)
        parts.append(f"<tr>{cells}</tr>")
        if i == 0:
            parts.append("</thead><tbody>")
    parts.append("</tbody></table>")
    if extra:
        parts.append(f"<p>{extra:,} more rows are not printed: download the CSV or Excel file for all rows.</p>")
    css = ("@page { size: letter landscape; margin: 1.2cm; @bottom-right { content: counter(page) ' / ' counter(pages); "
           "font-size: 8pt } } body { font-family: DejaVu Sans, sans-serif; font-size: 7.5pt } "
           "h1 { font-size: 12pt } table { border-collapse: collapse; width: 100% } "
           "th, td { border: 0.5pt solid #999; padding: 1pt 3pt; text-align: left; vertical-align: top } "
           "thead { display: table-header-group } th { background: #e9ecef }")
    HTML(string=f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>{''.join(parts)}</body></html>").write_pdf(path)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}
CONTENT_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "pdf": "application/pdf", "txt": "text/plain"}


def export_dir():
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path
