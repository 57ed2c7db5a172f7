"""Named queries other apps and the shell use; each is scoped by `permissions`."""
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.db.models import Count, Q

from core_tables.codelists import GRADE_PLACEMENT
from core_tables.models import Site, Sponsor
from sts.accounts.permissions import Action, require, scope_students, sites_for
from sts.lists import Column, ordering

from .models import Student

STATE_ID_LENGTH = Student._meta.get_field("state_id").max_length


def search_students(user, q, bssy, sort="name"):
    """Every page's search: the students of `bssy` the user may see whose State ID or name
    starts with `q` (as the Student List's search), in a list order."""
    students = scope_students(user, Student.objects.filter(bssy=bssy)).filter(search_filter(q))
    return ordered_students(students.select_related("site"), sort)


def site_list(user, bssy):
    """The Site List: sites the user may view with students and graduates counted for `bssy`."""
    return sites_for(user, Action.VIEW).annotate(
        student_count=Count("students", filter=Q(students__bssy=bssy)),
        graduate_count=Count("students", filter=Q(students__bssy=bssy, students__graduation_date__isnull=False)),
    ).order_by("code")


# --- the students a list shows (the Student List and its Print & Export) ----------------------

# The Student List's orders, by column (its exports print the students in the same order). A
# leading "-" in an export's `sort` reverses the order, as the list's second click does.
SORTS = {"name": ("last_name", "first_name", "state_id"), "grade": ("grade", "last_name", "first_name", "state_id"),
         "path": ("diploma_path", "last_name", "first_name", "state_id"), "state_id": ("state_id",),
         "credits": ("progress__total_credits", "last_name", "first_name", "state_id"),
         "ibcs": ("ibc_count", "last_name", "first_name", "state_id"),
         "awards": ("progress__award_eligible", "last_name", "first_name", "state_id"),
         "updated": ("updated_at", "state_id"), "site": ("site__code", "last_name", "first_name", "state_id")}


# The search results' columns (every page's search box).
SEARCH_COLUMNS = [Column("state_id", "State ID", SORTS["state_id"]), Column("name", "Name", SORTS["name"]),
                  Column("site", "Site", SORTS["site"]), Column("grade", "Grade", SORTS["grade"]),
                  Column("path", "Diploma Path", SORTS["path"])]


def with_passed_ibcs(students):
    """Students with `ibc_count`: the IBCs passed (the guide's IBC Count: "how many IBCs are
    earned by each student"; a failed attempt earns none)."""
    return students.annotate(ibc_count=Count("ibcs", filter=Q(ibcs__pass_fail="P"), distinct=True))


def ordered_students(students, sort: str):
    """`students` in the order of a list sort key ("name", "-updated", ...)."""
    descending, key = sort.startswith("-"), sort.lstrip("-")
    fields = SORTS.get(key, SORTS["name"])
    if key == "ibcs":
        students = with_passed_ibcs(students)
    return students.order_by(*ordering(fields, descending))


def search_filter(q: str) -> Q:
    """The Student List's search, from the start of a State ID or a last name ("last, first" for
    both names), or the local ID. Public/charter students carry the first 3 letters of the last
    name: "Smithers" finds "SMI"."""
    q = q.strip()
    if "," in q:
        last, first = (part.strip() for part in q.split(",", 1))
        return _name(last, "last_name", 3) & _name(first, "first_name", 1) if first else _name(last, "last_name", 3)
    return Q(state_id__startswith=q) | _name(q, "last_name", 3) | Q(local_id=q)


def _name(q: str, field: str, kept: int) -> Q:
    """A name from its start, or the `kept` letters a public/charter record carries of it."""
    partial = Q(**{f"{field}__iexact": q[:kept]}) if len(q) > kept else Q()
    return Q(**{f"{field}__istartswith": q}) | partial


@dataclass(frozen=True)
class Selection:
    """Which students an export or report covers: a sponsor's students of a BSSY, or one site's,
    optionally one grade, a search (as the Student List's) or one student (State ID). Built from
    an export's params (text), validated with a message naming the bad parameter."""
    bssy: int
    sponsor: str
    site: str = ""
    grade: str = ""
    q: str = ""
    student: str = ""
    sort: str = "name"

    @classmethod
    def from_params(cls, params) -> "Selection":
        try:
            bssy = int(params.get("bssy", ""))
        except (TypeError, ValueError):
            raise BadRequest("Choose a school year (BSSY).") from None
        site_code = str(params.get("site", "")).strip()
        sponsor_code = str(params.get("sponsor", "")).strip().upper()
        if site_code:
            site = Site.objects.filter(code=site_code).values_list("sponsor__code", flat=True).first()
            if site is None:
                raise BadRequest(f"No site {site_code!r}.")
            if sponsor_code and sponsor_code != site:
                raise BadRequest(f"Site {site_code} is not a site of sponsor {sponsor_code}.")
            sponsor_code = site
        elif not Sponsor.objects.filter(code=sponsor_code).exists():
            raise BadRequest(f"No sponsor {sponsor_code!r}." if sponsor_code else "Choose a site or a sponsor.")
        grade = str(params.get("grade", "")).strip().upper()
        if grade and grade not in {c.code for c in GRADE_PLACEMENT}:
            raise BadRequest(f"No grade {grade!r}.")
        sort = str(params.get("sort", "name"))
        student = str(params.get("student", "")).strip()
        if len(student) > STATE_ID_LENGTH:  # a State ID; a longer value would also overflow the file's name
            raise BadRequest(f"No student {student[:20]!r}: a State ID is at most {STATE_ID_LENGTH} characters.")
        return cls(bssy=bssy, sponsor=sponsor_code, site=site_code, grade=grade, q=str(params.get("q", "")).strip(),
                   student=student,
                   sort=sort if sort.removeprefix("-") in SORTS else "name")

    def check(self, user, action=Action.VIEW):
        """PermissionDenied unless `user` may see the site (or the sponsor, whose students are then
        cut to the user's sites)."""
        if self.site:
            require(user, action, site=self.site)
        else:
            require(user, action, sponsor=self.sponsor)

    def students(self, user=None, action=Action.VIEW):
        """The students, in the list's order. `user` None: an operator's command, unscoped."""
        students = Student.objects.filter(bssy=self.bssy, sponsor__code=self.sponsor)
        if self.site:
            students = students.filter(site__code=self.site)
        if user is not None:
            students = scope_students(user, students, action)
        students = filter_student_list(students, self.q, self.grade)
        if self.student:
            students = students.filter(state_id=self.student)
        return ordered_students(students, self.sort)

    def describe(self) -> str:
        """The filters, for titles and headings: "017001, grade 12, search 'SMI'"."""
        parts = [self.site or f"sponsor {self.sponsor}"]
        if self.grade:
            parts.append(f"grade {self.grade}")
        if self.q:
            parts.append(f"search '{self.q}'")
        if self.student:
            parts.append(f"student {self.student}")
        return ", ".join(parts)

    def as_params(self) -> dict:
        return {k: str(v) for k, v in (("bssy", self.bssy), ("sponsor", "" if self.site else self.sponsor),
                                       ("site", self.site), ("grade", self.grade), ("q", self.q),
                                       ("student", self.student), ("sort", "" if self.sort == "name" else self.sort))
                if v}


def filter_student_list(students, q="", grade=""):
    """The Student List's search box and grade filter (its exports print the same students)."""
    q = (q or "").strip()
    if q:
        students = students.filter(search_filter(q))
    if grade:
        students = students.filter(grade=grade)
    return students
