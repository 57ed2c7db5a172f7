"""One sortable, paginated list for every screen: the Student List, View Uploads, the upload error
report (its errors and its errors by code), the STSQ report pages and the student search.

A screen names its columns; the request's `sort`, `dir`, `page` and `per_page` (with an optional
prefix, for a second list on the same page) choose the order and the page. Every other parameter
of the URL (filters, searches) is kept in the links the list builds, so a sorted, filtered page
is a URL that can be bookmarked or sent to a colleague.
"""
import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import F

from .exports import is_number

ASC, DESC = "asc", "desc"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    order: tuple = ()  # ORM fields the column sorts on (querysets); () and no `index`: not sortable
    first: str = ASC  # the direction of the first click (newest first for dates, most first for counts)
    numeric: bool = False  # right-aligned
    index: int | None = None  # the cell of a row (lists of rows rather than querysets)

    @property
    def sortable(self) -> bool:
        return bool(self.order) or self.index is not None


@dataclass(frozen=True)
class Header:
    column: Column
    url: str
    active: bool
    direction: str  # the current direction when active

    @property
    def aria_sort(self) -> str:
        return ("descending" if self.direction == DESC else "ascending") if self.active else ""

    @property
    def title(self) -> str:
        if not self.column.sortable:
            return ""
        going = (ASC if self.direction == DESC else DESC) if self.active else self.column.first
        return f"Sort by {self.column.label.lower()}, {'descending' if going == DESC else 'ascending'}"


def ordering(fields, descending=False) -> list:
    """order_by() arguments: the first field either way (empty values last), the others breaking
    ties in ascending order, then the primary key."""
    first, *ties = fields
    return [F(first).desc(nulls_last=True) if descending else F(first).asc(nulls_last=True), *ties, "pk"]


def row_columns(header, numeric=()) -> list[Column]:
    """Columns of a report's header row: each sorts on its cell."""
    return [Column(str(i), str(h), index=i, numeric=i in numeric) for i, h in enumerate(header)]


def sorted_rows(rows, index: int, descending: bool):
    """Rows sorted on one cell either way; empty cells last both ways, text without case (a column
    mixing numbers, dates and text sorts each kind together rather than failing)."""
    def has(r):
        return index < len(r) and r[index] not in (None, "")

    def key(r):
        value = r[index]
        if is_number(value):
            return (0, value, "")
        if isinstance(value, (dt.date, dt.datetime)):
            return (1, 0, value.isoformat())
        return (2, 0, str(value).lower())
    present = sorted((r for r in rows if has(r)), key=key, reverse=descending)
    return present + [r for r in rows if not has(r)]


class Listing:
    """The order and page of one list on a screen.

    >>> listing = Listing(request, COLUMNS, default="name")
    >>> students = listing.order(queryset)      # or listing.order_rows(rows)
    >>> listing.paginate(students)              # listing.page, listing.headers, listing.url(...)
    """

    def __init__(self, request, columns, *, default, default_dir=None, per_page=50, page_sizes=(25, 50, 100, 200),
                 prefix="", noun="rows"):
        self.request, self.columns, self.prefix, self.noun = request, list(columns), prefix, noun
        self.by_key = {c.key: c for c in self.columns if c.sortable}
        get = request.GET
        key = get.get(self._p("sort"), "")
        self.sort = key if key in self.by_key else default
        fallback = default_dir or (self.by_key[self.sort].first if self.sort in self.by_key else ASC)
        wanted = get.get(self._p("dir"), "")
        self.dir = wanted if key in self.by_key and wanted in (ASC, DESC) else fallback
        self.page_sizes = tuple(page_sizes)
        size = get.get(self._p("per_page"), "")
        self.per_page = int(size) if size.isdigit() and int(size) in self.page_sizes else per_page
        self.page = None

    def _p(self, name):
        return self.prefix + name

    @property
    def descending(self) -> bool:
        return self.dir == DESC

    @property
    def signed(self) -> str:
        """The sort as one value, "-" first when descending ("-updated"): what an export of the
        list is given to print the rows in the same order."""
        return ("-" if self.descending else "") + self.sort

    # --- ordering -------------------------------------------------------------------------------

    def order(self, queryset):
        """The queryset in the chosen order (nulls last both ways; the primary key breaks ties)."""
        column = self.by_key.get(self.sort)
        if column is None or not column.order:
            return queryset
        return queryset.order_by(*ordering(column.order, self.descending))

    def order_rows(self, rows):
        column = self.by_key.get(self.sort)
        if column is None or column.index is None:
            return list(rows)
        return sorted_rows(list(rows), column.index, self.descending)

    def paginate(self, items):
        self.page = Paginator(items, self.per_page).get_page(self.request.GET.get(self._p("page")))
        return self.page

    # --- links ----------------------------------------------------------------------------------

    def url(self, **changes) -> str:
        """This page's query string with `changes` (None drops a parameter); names are unprefixed."""
        params = self.request.GET.copy()
        for name, value in changes.items():
            key = self._p(name)
            if value is None:
                params.pop(key, None)
            else:
                params[key] = str(value)
        return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"

    @property
    def headers(self) -> list[Header]:
        out = []
        for c in self.columns:
            active = c.key == self.sort and c.sortable
            if not c.sortable:
                url = ""
            else:
                going = (ASC if self.descending else DESC) if active else c.first
                url = self.url(sort=c.key, dir=going, page=None)
            out.append(Header(c, url, active, self.dir if active else ""))
        return out

    def page_url(self, number) -> str:
        return self.url(page=number)

    @property
    def kept(self) -> list[tuple[str, str]]:
        """Parameters the page-size form carries along (everything but the page and its size)."""
        drop = {self._p("page"), self._p("per_page")}
        return [(k, v) for k, values in sorted(self.request.GET.lists()) if k not in drop for v in values]

    @property
    def per_page_name(self) -> str:
        return self._p("per_page")


def row_listing(request, header, rows, *, per_page=200, page_sizes=(50, 100, 200, 500), noun="rows") -> Listing:
    """A report's rows on a page: every column sorts, in the exporter's order until one is chosen."""
    rows = list(rows)
    numeric = {i for i in range(len(header)) if _numeric(rows, i)}
    listing = Listing(request, row_columns(header, numeric), default="", per_page=per_page, page_sizes=page_sizes,
                      noun=noun)
    listing.paginate(listing.order_rows(rows))
    return listing


def _numeric(rows, index) -> bool:
    return is_number(next((r[index] for r in rows if index < len(r) and r[index] not in (None, "")), None))

