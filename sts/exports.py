"""Exports and reports rendered by workers. An exporter is a small class that checks permission and
yields a header and rows; one writer per format turns that into CSV, XLSX or PDF (pretix's pattern).

    @register
    class UploadErrors(Exporter):
        name = "upload_errors"
        formats = ("csv", "xlsx", "pdf")
        def check(self, user, params): ...          # raise PermissionDenied
        def title(self, params): ...
        def rows(self, params): yield header; yield row ...
"""
import csv
import html
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

    def render(self, fmt, params, path):
        """Write the export to `path`. Exporters with their own format (e.g. fixed-width .txt) override."""
        WRITERS[fmt](self.title(params), self.rows(params), path)


def register(cls):
    EXPORTERS[cls.name] = cls()
    return cls


def write_csv(title, rows, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        for row in rows:
            writer.writerow(row)


def write_xlsx(title, rows, path):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31] or "Export")
    for i, row in enumerate(rows):
        if i == 0:
            cells = []
            from openpyxl.cell import WriteOnlyCell
            for value in row:
                cell = WriteOnlyCell(ws, value=value)
                cell.font = Font(bold=True)
                cells.append(cell)
            ws.append(cells)
        else:
            ws.append(list(row))
    wb.save(path)


PDF_ROW_LIMIT = 5000  # WeasyPrint's memory grows with the document (docs/benchmarks.md)


def write_pdf(title, rows, path):
    from weasyprint import HTML

    parts = [f"<h1>{html.escape(title)}</h1><table><thead>"]
    extra = 0
    for i, row in enumerate(rows):
        if i > PDF_ROW_LIMIT:
            extra += 1
            continue
        cells = "".join(f"<{'th' if i == 0 else 'td'}>{html.escape(str(v))}</{'th' if i == 0 else 'td'}>" for v in row)
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
