"""The STS security groups of the guide and what each may do. Data only: the decision of whether a
user may do something lives in `permissions`."""
from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    VIEW = "view"                          # inquiry: students, transcripts, reports
    UPDATE = "update"                      # online entry
    UPLOAD = "upload"                      # batch upload and download
    CERTIFY = "certify"                    # certify graduate sites
    MANAGE_SITE_SECURITY = "manage_site_security"  # the site-level security table, unlocking users
    REQUEST_PRIOR_PERIOD = "request_prior_period"
    EDIT_CORE_TABLES = "edit_core_tables"  # curricula, categories, sets (LOSFA)
    EDIT_REFERENCE = "edit_reference"      # every reference table, announcements, periods (LDOE)
    APPROVE_PRIOR_PERIOD = "approve_prior_period"
    RESTORE_DELETED = "restore_deleted"
    HARVEST = "harvest"                    # define harvest deadlines, take snapshots (state staff)
    STATEWIDE = "statewide"                # the statewide dashboard and reports (LDOE, LOSFA, BOR)
    EXTRACT_LOSFA = "extract_losfa"        # STSQ01 and STSQ02
    EXTRACT_BOR = "extract_bor"            # STSQ01 and STSQ03

    # Year end and LDOE's own work (state staff only: the ldoe group has every action).
    ROLLOVER = "rollover"                  # roll non-graduates into the next BSSY, undo it
    RECALCULATE = "recalculate"            # STSQ05 Manual GPA Recalculation
    WITHDRAW_TRANSCRIPT = "withdraw_transcript"  # remove one official transcript from OTS

    BROWSE_REGISTRY = "browse_registry"    # the Secure ID registry as a table (LDOE only)


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    scope: str  # "state": every sponsor; "lea": the user's sponsor; "school": the user's sites
    actions: frozenset
    # LOSFA and the Board of Regents: a student's records only with parental consent Y (guide,
    # 020 Parental Consent: "Must be 'Y' in order for student's transcript to be released to
    # LOSFA and BOR"); counts of the others.
    consent_only: bool = False


A = Action
_LEA_UPDATE = {A.VIEW, A.UPDATE, A.REQUEST_PRIOR_PERIOD}
GROUPS = {g.code: g for g in [
    Group("lea-inquiry", "LEA inquiry only", "lea", frozenset({A.VIEW})),
    Group("lea-update", "LEA with update", "lea", frozenset(_LEA_UPDATE)),
    Group("lea-upload", "LEA with update and upload", "lea", frozenset(_LEA_UPDATE | {A.UPLOAD})),
    Group("lea-gradcert", "LEA with update, upload and grad cert", "lea",
          frozenset(_LEA_UPDATE | {A.UPLOAD, A.CERTIFY})),
    Group("lea-all", "LEA with all", "lea",
          frozenset(_LEA_UPDATE | {A.UPLOAD, A.CERTIFY, A.MANAGE_SITE_SECURITY})),
    # Guide: "LEAs and schools with inquiry only": the school-level half of that group.
    Group("school-inquiry", "School inquiry only", "school", frozenset({A.VIEW})),
    Group("school-update", "School with update", "school", frozenset({A.VIEW, A.UPDATE})),
    Group("school-upload", "School with update and upload", "school", frozenset({A.VIEW, A.UPDATE, A.UPLOAD})),
    Group("losfa-inquiry", "LOSFA inquiry only", "state", frozenset({A.VIEW, A.STATEWIDE, A.EXTRACT_LOSFA}),
          consent_only=True),
    Group("losfa-core-tables", "LOSFA with update (core tables only)", "state",
          frozenset({A.VIEW, A.EDIT_CORE_TABLES, A.STATEWIDE, A.EXTRACT_LOSFA}), consent_only=True),
    Group("ldoe", "LDOE Data Management", "state", frozenset(Action)),
    Group("bor-inquiry", "Board of Regents inquiry only", "state", frozenset({A.VIEW, A.STATEWIDE, A.EXTRACT_BOR}),
          consent_only=True),
]}
