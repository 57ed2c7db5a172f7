"""The reference data the edits consult, as one plain in-memory snapshot.

The lead's loader builds a `ReferenceSnapshot` from the database once per file (or per
online request); the edits never touch the ORM. `ReferenceSnapshot.for_tests()` gives a
small, internally consistent snapshot for unit tests and the benchmark.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Mapping

from core_tables.codelists import CODE_LISTS, codes

SPONSOR_KINDS = ("public", "charter", "nonpublic", "postsecondary")
SITE_KINDS = ("school", "postsecondary")


@dataclass(frozen=True)
class SiteRef:
    code: str
    sponsor: str
    kind: str = "school"  # school | postsecondary


@dataclass(frozen=True)
class CourseCodeRef:
    """One version of a state course code, valid for course BSSYs first_bssy..last_bssy."""

    code: str
    name: str
    first_bssy: int
    last_bssy: int | None = None  # None = still valid
    requires_course_name: bool = False
    ap_type_allowed: str = ""  # '' (AP type not allowed) | 'optional' | 'required'
    five_point_eligible: bool = False
    experience_only: bool = False

    def valid_in(self, course_bssy: int) -> bool:
        return self.first_bssy <= course_bssy and (self.last_bssy is None or course_bssy <= self.last_bssy)


@dataclass(frozen=True)
class SecureIdRef:
    """One student of the Secure ID (eScholar) registry: the columns of secure_ids.csv."""

    unique_id: str
    sponsor: str
    site: str
    local_id: str
    first_name: str
    last_name: str
    birth_date: dt.date
    sex: str
    hispanic: bool = False
    american_indian: bool = False
    asian: bool = False
    black: bool = False
    pacific_islander: bool = False
    white: bool = False
    laa1: bool = False
    act833: bool = False


def _default_code_lists() -> Mapping[str, frozenset[str]]:
    return {name: codes(name) for name in CODE_LISTS}


@dataclass
class ReferenceSnapshot:
    sponsors: Mapping[str, str] = field(default_factory=dict)  # code -> kind
    sites: Mapping[str, SiteRef] = field(default_factory=dict)
    course_codes: Mapping[str, tuple[CourseCodeRef, ...]] = field(default_factory=dict)
    secure_ids: Mapping[str, SecureIdRef] = field(default_factory=dict)
    ibc_codes: frozenset[str] = frozenset()
    test_vendors: frozenset[str] = frozenset()
    code_lists: Mapping[str, frozenset[str]] = field(default_factory=_default_code_lists)

    def __post_init__(self):
        # A list missing from the stored code tables falls back to the guide's list.
        self.code_lists = MappingProxyType({**_default_code_lists(), **self.code_lists})

    def course(self, code: str, course_bssy: int | None) -> CourseCodeRef | None:
        """The version of a course code valid in that course BSSY (any version when the
        year is unknown), or None."""
        versions = self.course_codes.get(code, ())
        for ref in versions:
            if course_bssy is None or ref.valid_in(course_bssy):
                return ref
        return None

    def sites_of(self, sponsor: str) -> frozenset[str]:
        return frozenset(code for code, ref in self.sites.items() if ref.sponsor == sponsor)

    @classmethod
    def build(
        cls,
        *,
        sponsors: Mapping[str, str] = (),
        sites: Iterable[SiteRef] = (),
        courses: Iterable[CourseCodeRef] = (),
        secure_ids: Iterable[SecureIdRef] = (),
        ibc_codes: Iterable[str] = (),
        test_vendors: Iterable[str] = (),
        code_lists: Mapping[str, Iterable[str]] = (),
    ) -> "ReferenceSnapshot":
        """A snapshot from flat rows (what the ORM builder has at hand)."""
        by_code: dict[str, list[CourseCodeRef]] = {}
        for ref in courses:
            by_code.setdefault(ref.code, []).append(ref)
        return cls(
            sponsors=dict(sponsors),
            sites={s.code: s for s in sites},
            course_codes={code: tuple(sorted(refs, key=lambda r: r.first_bssy)) for code, refs in by_code.items()},
            secure_ids={s.unique_id: s for s in secure_ids},
            ibc_codes=frozenset(ibc_codes),
            test_vendors=frozenset(test_vendors),
            code_lists={name: frozenset(values) for name, values in dict(code_lists).items()},
        )

    @classmethod
    def for_tests(cls, **overrides) -> "ReferenceSnapshot":
        """A small consistent snapshot: public sponsor 001 (sites 001001, 001002), charter
        301 (301001), nonpublic 900 (900001), postsecondary 401 (401001); a handful of
        course codes; three registry students; IBC codes 001-003 and vendors V01, V02.
        Keyword arguments replace whole `build` arguments."""
        args = dict(
            sponsors={"001": "public", "002": "public", "301": "charter", "900": "nonpublic", "401": "postsecondary"},
            sites=[
                SiteRef("001001", "001"), SiteRef("001002", "001"), SiteRef("002001", "002"),
                SiteRef("301001", "301"), SiteRef("900001", "900"), SiteRef("900002", "900"),
                SiteRef("401001", "401", "postsecondary"),
            ],
            courses=TEST_COURSES,
            secure_ids=TEST_SECURE_IDS,
            ibc_codes={"001", "002", "003"},
            test_vendors={"V01", "V02"},
        )
        args.update(overrides)
        return cls.build(**args)


TEST_COURSES = (
    CourseCodeRef("120101", "English I", 2000),
    CourseCodeRef("120102", "English II", 2000),
    CourseCodeRef("160321", "Algebra I", 2000, five_point_eligible=False),
    CourseCodeRef("160323", "Geometry", 2000),
    CourseCodeRef("220501", "Civics - 1st semester", 2000),
    CourseCodeRef("150401", "Biology I", 2000, five_point_eligible=True, ap_type_allowed="optional"),
    CourseCodeRef("150490", "AP Biology", 2005, ap_type_allowed="required", five_point_eligible=True),
    CourseCodeRef("240001", "General Elective", 2000, requires_course_name=True),
    CourseCodeRef("500051", "Applied ELA I (NO CREDIT)", 2014, experience_only=True),
    CourseCodeRef("199999", "Retired Course", 2000, last_bssy=2010),
    CourseCodeRef("188888", "New Course", 2018),
)

TEST_SECURE_IDS = (
    SecureIdRef("1000000001", "001", "001001", "L0001", "Ann", "Smithers", dt.date(2002, 2, 14), "F",
                white=True),
    SecureIdRef("1000000002", "001", "001001", "L0002", "bo", "Li", dt.date(2001, 11, 3), "M",
                black=True, laa1=True),
    SecureIdRef("1000000003", "301", "301001", "C0003", "Cy", "de la Cruz", dt.date(2002, 7, 30), "M",
                hispanic=True, white=True, act833=True),
)
