"""The export writers: text that a spreadsheet would run is neutralised; numbers and dates keep
their type in .xlsx (OWASP CSV injection; issue 8 item 6)."""
import csv
import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from sts.exports import neutralise, write_csv, write_pdf, write_xlsx

HOSTILE = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
ROWS = [["Name", "GPA", "Credits", "Graduated", "Rank", "Note"],
        ["=1+2", Decimal("3.500"), Decimal("24.50"), dt.date(2026, 5, 20), 3, None],
        ["Smith", Decimal("-1.250"), 0, dt.date(2026, 5, 21), None, "-dash"]]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_formula_trigger_is_neutralised(text):
    assert neutralise(text) == "'" + text
    assert neutralise("Smith") == "Smith" and neutralise(5) == 5


def test_xlsx_keeps_numbers_and_dates_and_neutralises_text(tmp_path):
    path = tmp_path / "x.xlsx"
    write_xlsx("A title: with [odd] chars?", iter(ROWS), path)
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == tuple(ROWS[0])
    assert rows[1][0] == "'=1+2"  # text, not a formula
    assert rows[1][1] == 3.5 and isinstance(rows[1][1], float)
    assert rows[1][2] == 24.5 and rows[1][4] == 3
    assert rows[1][3] == dt.datetime(2026, 5, 20)
    assert rows[2][1] == -1.25  # a negative number stays a number
    assert rows[2][5] == "'-dash"
    assert ws["B2"].number_format == "0.000" and ws["C2"].number_format == "0.00"
    assert ws["D2"].number_format == "mm/dd/yyyy"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:F3"
    assert ws.column_dimensions["A"].width >= 8
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_csv_neutralises_text_and_prints_numbers_and_dates(tmp_path):
    path = tmp_path / "x.csv"
    write_csv("t", iter(ROWS), path)
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1] == ["'=1+2", "3.500", "24.50", "05/20/2026", "3", ""]
    assert rows[2][1] == "-1.250" and rows[2][5] == "'-dash"


def test_pdf_prints_text_as_typed(tmp_path):
    import subprocess

    path = tmp_path / "x.pdf"
    write_pdf("t", iter(ROWS), path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "=1+2" in text and "'=1+2" not in text and "3.500" in text and "05/20/2026" in text


def test_render_reports_progress_of_data_rows(tmp_path):
    from sts.exports import Exporter

    class Three(Exporter):
        name = "three"

        def count(self, params):
            return 3

        def rows(self, params):
            yield ["A"]
            yield from ([i] for i in range(3))

    seen = []
    Three().render("csv", {}, tmp_path / "t.csv", progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert (tmp_path / "t.csv").read_text().splitlines() == ["A", "0", "1", "2"]


def _words(path):
    """(text, xMin, xMax, page) of every word pdftotext finds."""
    import re
    import subprocess

    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words, page = [], 0
    for line in bbox.splitlines():
        if "<page " in line:
            page += 1
        elif m := re.search(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<', line):
            words.append((m[3], float(m[1]), float(m[2]), page))
    return words


LONG = "a value far longer than a column may be, which continues on the lines below it, every word kept in order"


def test_pdf_listing_pages_repeat_the_header_and_keep_every_word(tmp_path):
    rows = [["Student", "Credits", "Note"]] + [[f"S{i:04d}", Decimal(i) / 4 if i % 2 else i, LONG if i % 3 == 0 else "ok"]
                                               for i in range(1, 151)]
    path = tmp_path / "list.pdf"
    write_pdf("A listing", iter(rows), path)
    words = _words(path)
    pages = max(w[3] for w in words)
    assert pages > 1
    for page in range(1, pages + 1):  # the header on every page
        assert {"Student", "Credits", "Note"} <= {w[0] for w in words if w[3] == page}
    text = [w[0] for w in words]
    for i in range(1, 151):
        assert f"S{i:04d}" in text
    # The long value continues under itself, nothing cut or lost: the lines of row S0003.
    import subprocess

    layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    row = layout[layout.index("S0003"):layout.index("S0004")].split()
    assert row[:2] == ["S0003", "0.75"] and " ".join(row[2:]) == LONG
    # Numbers right-aligned: 0.25, 100 and 148 end at the same x; text starts at the same x.
    credits = [w for w in words if w[0] in ("0.25", "100", "148")]
    assert len(credits) == 3 and len({round(w[2], 1) for w in credits}) == 1
    notes = {round(w[1], 1) for w in words if w[0] == "ok"}
    assert len(notes) == 1 and min(w[1] for w in words if w[0] == "a") == pytest.approx(notes.pop(), abs=0.1)


def test_pdf_listing_of_many_columns_shows_them_all_within_the_page(tmp_path):
    header = [f"Column {i}" for i in range(30)]
    path = tmp_path / "wide.pdf"
    write_pdf("Wide", iter([header, [f"value{i:05d}" for i in range(30)]]), path)
    words = _words(path)
    assert all(f"value{i:05d}" in {w[0] for w in words} for i in range(30))
    assert max(w[2] for w in words) <= 792 - 28.3  # within the right margin of a landscape letter page


def test_pdf_listing_stops_at_the_row_limit_and_says_so(tmp_path, monkeypatch):
    import sts.exports

    monkeypatch.setattr(sts.exports, "PDF_ROW_LIMIT", 10)
    path = tmp_path / "cut.pdf"
    write_pdf("t", iter([["N"]] + [[f"row{i}"] for i in range(13)]), path)
    text = [w[0] for w in _words(path)]
    assert "row9" in text and "row10" not in text
    assert " ".join(text).find("3 more rows are not printed") > 0


@pytest.mark.parametrize("rows", [[], [["Name", "Note"]], [["Input record"], ["STS020 2025"]]])
def test_pdf_listing_of_nothing_or_only_a_record_column(tmp_path, rows):
    import subprocess

    path = tmp_path / "empty.pdf"
    write_pdf("Nothing here", iter(rows), path, record_columns=("Input record",))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "Nothing here" in text and all(str(v) in text for row in rows[1:] for v in row)
