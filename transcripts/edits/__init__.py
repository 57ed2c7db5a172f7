"""The STS edit catalog: every edit code of the guide defined once, with its check.

    CATALOG["304"].message  -> "INVALID SEMESTER CODE"
    check_student(student, transcripts, ibcs, EditContext(snapshot, bssy=2019, today=date.today()))

Codes: U01-U08 (Secure ID match), 200-242 (020), 300-350 (030), 500-515 (050), and the
file-level codes of the batch scan (EMPTY, SYSTEM, RECORD_TYPE, LENGTH, BSSY, SPONSOR).
"""

from . import file, ibc, student, transcript  # noqa: F401  (registering the edits)
from .engine import Verdict, assess_student, check_field, check_student, finding
from .model import REGISTRY, REJECT, REMOVE_GRAD_DATE, Edit, EditContext, Finding, StudentView

CATALOG: dict[str, Edit] = {e.code: e for e in sorted(REGISTRY, key=lambda e: e.code)}

# Graduation-date removal reasons (guide, "Graduation Date Removal Codes"): what the
# injected graduation check returns, with the guide's problem and solution.
GRAD_DATE_REMOVAL_REASONS: dict[str, tuple[str, str]] = {
    "2": ("Credits", "Student does not have at least 23 credits (TU: 24). Check transcripts and course part numbers."),
    "3": ("Core Progress", "Student is missing at least 1 category in his/her diploma path. Run student diploma "
                           "calculation and see which category is not met."),
    "4": ("Pass GEE/EOC", "Student does not have a Y (or E, A, G) in the GEE/EOC flag."),
    "5": ("CDV", "Student on CD diploma pathway requires a CDV in career option code drop down."),
    "6": ("IBC", "CA student does not have an IBC loaded correctly into eScholar and therefore is missing the "
                 "required IBC in STS (and a J1-J4 Career/Tech endorsement, and the Jumpstart credential "
                 "uploaded to STS online)."),
}

__all__ = [
    "CATALOG", "GRAD_DATE_REMOVAL_REASONS", "Edit", "EditContext", "Finding", "StudentView", "Verdict",
    "REJECT", "REMOVE_GRAD_DATE", "assess_student", "check_field", "check_student", "finding",
]
