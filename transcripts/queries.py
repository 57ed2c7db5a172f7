"""Named queries other apps and the shell use; each is scoped by `permissions`."""
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from core_tables.codelists import GRADE_PLACEMENT
from core_tables.models import Site, Sponsor
from sts.accounts.permissions import Action, is_school_level, require, scope_students, sites_for
from sts.lists import Column, ordering

from .models import Ibc, Student

STATE_ID_LENGTH = Student._meta.get_field("state_id").max_length


def search_students(user, q, bssy, sort="name"):
    """Every page's search: the students of `bssy` the user may see whose State ID or name
    starts with `q` (as the Student List's search), in a list order."""
    students = scope_students(user, Student.objects.filter(bssy=bssy)).filter(search_filter(q))
    return ordered_students(students.select_related("site"), sort)


def with_registry_names(user, students) -> list:
    """The students (a page of a list) with `full_name` from the Secure ID registry where the user
    may see it (`permissions.may_see_registry_name`), else their partial name: public and charter
    records carry only "SMI, J", so two students could not be told apart. One query a page."""
    from core_tables.models import SecureId

    from sts.accounts.permissions import may_see_registry_name

    students = list(students)
    entries = {sid: (last, first, site) for sid, last, first, site in SecureId.objects.filter(
        unique_id__in=[s.state_id for s in students]).values_list("unique_id", "last_name", "first_name", "site__code")}
    for s in students:
        entry = entries.get(s.state_id)
        s.full_name = s.display_name
        if entry and may_see_registry_name(user, s, entry[2]):
            s.full_name = f"{entry[0]}, {entry[1]}".strip(", ")
    return students


def site_list(user, bssy):
    """The Site List: sites the user may view with students and graduates counted for `bssy`."""
    return sites_for(user, Action.VIEW).annotate(
        student_count=Count("students", filter=Q(students__bssy=bssy)),
        # Graduates as certification counts them (`graduates.is_graduate`): a graduation date kept or
        # removed by the graduation check, so the Site List and the Certify screen agree.
        graduate_count=Count("students", filter=Q(students__bssy=bssy) & (
            Q(students__graduation_date__isnull=False) | Q(students__removed_graduation_date__isnull=False))),
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
    # A correlated count, not a JOIN + GROUP BY over the whole site: ordered by name and cut to a
    # page, PostgreSQL counts for the page's rows only (3,000-student site: 120 ms -> a few ms).
    passed = (Ibc.objects.filter(student=OuterRef("pk"), pass_fail="P").order_by()
              .values("student").annotate(n=Count("pk")).values("n"))
    return students.annotate(ibc_count=Coalesce(Subquery(passed, output_field=IntegerField()), 0))


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


def param_bssy(params) -> int:
    """An export's or a command's BSSY parameter, or BadRequest naming it."""
    try:
        return int(params["bssy"])
    except (KeyError, TypeError, ValueError):
        raise BadRequest("Choose a school year (BSSY).") from None


def sponsor_and_site(params, *, required: bool = True) -> tuple[str, str]:
    """(sponsor code, site code) the params name, checked, with a message naming the bad one; a
    site alone brings its sponsor. Unless `required`, naming neither is allowed (the state)."""
    site = str(params.get("site", "")).strip()
    sponsor = str(params.get("sponsor", "")).strip().upper()
    if site:
        owner = Site.objects.filter(code=site).values_list("sponsor__code", flat=True).first()
        if owner is None:
            raise BadRequest(f"No site {site!r}.")
        if sponsor and sponsor != owner:
            raise BadRequest(f"Site {site} is not a site of sponsor {sponsor}.")
        return owner, site
    if sponsor or required:
        if not Sponsor.objects.filter(code=sponsor).exists():
            raise BadRequest(f"No sponsor {sponsor!r}." if sponsor else "Choose a site or a sponsor.")
    return sponsor, ""


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
        bssy = param_bssy(params)
        sponsor_code, site_code = sponsor_and_site(params)
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

    def describe(self, user=None) -> str:
        """The filters, for titles and headings: "017001, grade 12, search 'SMI'". A sponsor-wide
        selection of a school-level `user` covers only its sites: "my sites (017001, 017002)"."""
        parts = [self.site or f"sponsor {self.sponsor}"]
        if not self.site and user is not None and is_school_level(user):
            codes = sites_for(user).filter(sponsor__code=self.sponsor).order_by("code").values_list("code", flat=True)
            parts = [f"my sites ({', '.join(codes)})"]
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
