"""The tables state staff keep, as the screens show them: who reads, who edits, what is listed.

Rows are added and changed, never deleted here (a period, sponsor or code that ends gets its end
date or is made inactive): stored student records point at them, and the history must keep
naming them.
"""
from dataclasses import dataclass

from core_tables import models as m
from sts.accounts.groups import Action


@dataclass(frozen=True)
class Table:
    slug: str
    model: type
    title: str
    section: str
    columns: tuple[str, ...]       # listed, in order
    fields: tuple[str, ...]        # on the form
    readers: str = "everyone"      # permissions.can_read_table
    edit_action: Action = Action.EDIT_REFERENCE
    search: tuple[str, ...] = ()   # the list's search box: fields matched from their start
    fixed_on_change: tuple[str, ...] = ()  # keys other rows and stored records name: set once
    recalculates: bool = False     # core tables: a change makes every stored progress result stale
    default_sort: str = ""
    newest_first: bool = False     # years and announcements: the latest on top
    addable: bool = True           # the registry's students come from eScholar's files
    note: str = ""

    @property
    def verbose(self) -> str:
        return str(self.model._meta.verbose_name)


# The screen's words where a field's own name is a code ("bssy") or reads poorly.
LABELS = {
    "bssy": "School year (BSSY)", "is_current": "Current year", "first_bssy": "First BSSY",
    "last_bssy": "Last BSSY", "first_grad_bssy": "First graduation BSSY", "last_grad_bssy": "Last graduation BSSY",
    "effective_grad_bssy": "Effective graduation BSSY", "expiration_grad_bssy": "Expiration graduation BSSY",
    "min_gpa": "Minimum GPA", "ap_type_allowed": "AP type allowed", "list_name": "Code list",
    "unique_id": "State ID", "local_id": "Local ID", "laa1": "LAA1 (SER)", "act833": "Act 833 (SER)",
    "ssn_on_file": "SSN on file in eScholar", "posted_at": "Posted", "posted_by": "Posted by",
    "zip_code": "ZIP code",
}


def label(model, name) -> str:
    return LABELS.get(name) or str(model._meta.get_field(name).verbose_name).capitalize()


SECTIONS = ["Collection", "Sponsors and sites", "Core tables", "Code tables", "Secure ID registry"]

TABLES = {t.slug: t for t in [
    Table("periods", m.CollectionPeriod, "Collection periods", "Collection",
          ("bssy", "opens", "closes", "closed_for_maintenance", "maintenance_message", "is_current"),
          ("bssy", "opens", "closes", "closed_for_maintenance", "maintenance_message", "is_current"),
          readers="state", fixed_on_change=("bssy",), default_sort="bssy", newest_first=True,
          note="When each school year (BSSY) accepts changes. Normally December 1 to September 30 of the next "
               "year. The year marked current is the one users land on."),
    Table("announcements", m.Announcement, "Announcements", "Collection",
          ("title", "posted_at", "posted_by", "active"), ("title", "body", "active"),
          readers="state", search=("title",), default_sort="posted_at", newest_first=True,
          note="Active announcements appear on every user's Home page."),
    Table("sponsors", m.Sponsor, "Sponsors", "Sponsors and sites", ("code", "name", "kind"),
          ("code", "name", "kind"), readers="state", search=("code", "name"), fixed_on_change=("code",)),
    Table("sites", m.Site, "Sites", "Sponsors and sites", ("code", "name", "sponsor", "kind", "city"),
          ("code", "sponsor", "name", "kind", "address", "city", "state", "zip_code", "phone"), readers="state",
          search=("code", "name"), fixed_on_change=("code", "sponsor"),
          note="The address and phone are printed under the school's name on the transcripts issued after "
               "(an issued transcript keeps the one it was printed with); none for a site without a street address."),
    Table("course-codes", m.CourseCode, "Course codes", "Core tables",
          ("code", "name", "first_bssy", "last_bssy", "requires_course_name", "ap_type_allowed",
           "five_point_eligible", "experience_only"),
          ("code", "name", "first_bssy", "last_bssy", "requires_course_name", "ap_type_allowed",
           "five_point_eligible", "experience_only"),
          edit_action=Action.EDIT_CORE_TABLES, search=("code", "name"), fixed_on_change=("code",),
          recalculates=True),
    Table("curricula", m.Curriculum, "Core curricula (diploma paths and TOPS awards)", "Core tables",
          ("code", "name", "kind", "units_required", "min_gpa", "first_grad_bssy", "last_grad_bssy"),
          ("code", "name", "kind", "units_required", "min_gpa", "first_grad_bssy", "last_grad_bssy"),
          edit_action=Action.EDIT_CORE_TABLES, search=("code", "name"), fixed_on_change=("code",),
          recalculates=True),
    Table("categories", m.Category, "Core categories", "Core tables",
          ("curriculum", "code", "description", "units_required"),
          ("curriculum", "code", "description", "units_required"),
          edit_action=Action.EDIT_CORE_TABLES, search=("code", "description"),
          fixed_on_change=("curriculum", "code"), recalculates=True),
    Table("set-courses", m.SetCourse, "Core set courses", "Core tables",
          ("category", "set_code", "course", "units_allowed", "units_required", "effective_grad_bssy",
           "expiration_grad_bssy"),
          ("category", "set_code", "course", "units_allowed", "units_required", "effective_grad_bssy",
           "expiration_grad_bssy"),
          edit_action=Action.EDIT_CORE_TABLES, search=("set_code", "course__code", "course__name"),
          recalculates=True),
    Table("ibc-codes", m.IbcCode, "IBC codes", "Code tables", ("code", "name"), ("code", "name"),
          search=("code", "name"), fixed_on_change=("code",)),
    Table("test-vendors", m.TestVendor, "Test vendors", "Code tables", ("code", "name"), ("code", "name"),
          search=("code", "name"), fixed_on_change=("code",)),
    Table("code-values", m.CodeValue, "Code lists", "Code tables", ("list_name", "code", "name", "active"),
          ("list_name", "code", "name", "active"), search=("list_name", "code", "name"),
          fixed_on_change=("list_name", "code")),
    Table("registry", m.SecureId, "Secure ID registry", "Secure ID registry",
          ("unique_id", "last_name", "first_name", "birth_date", "sponsor", "site", "local_id", "laa1", "act833"),
          ("sponsor", "site", "local_id", "first_name", "last_name", "birth_date", "sex", "hispanic",
           "american_indian", "asian", "black", "pacific_islander", "white", "laa1", "act833", "ssn_on_file"),
          readers="registry", search=("unique_id", "last_name", "local_id"), default_sort="unique_id", addable=False,
          note="The state's master record of public and charter students (names and birth dates). "
               "Only LDOE opens it as a table."),
]}


def sections(readable) -> list[tuple[str, list[Table]]]:
    """The tables `readable` keeps, grouped for the index page."""
    return [(s, [t for t in TABLES.values() if t.section == s and readable(t)]) for s in SECTIONS]
