"""Build the edits' in-memory ReferenceSnapshot from the reference tables: once per file (batch)
or per request (online entry), never a query per record."""
from transcripts.reference import CourseCodeRef, ReferenceSnapshot, SecureIdRef, SiteRef

from .codes import active_code_sets
from .models import CourseCode, IbcCode, SecureId, Site, Sponsor, TestVendor

_SECURE_ID_FIELDS = ("unique_id", "sponsor__code", "site__code", "local_id", "first_name", "last_name",
                     "birth_date", "sex", "hispanic", "american_indian", "asian", "black",
                     "pacific_islander", "white", "laa1", "act833")


def secure_id_refs(queryset):
    for row in queryset.values_list(*_SECURE_ID_FIELDS).iterator(chunk_size=5000):
        yield SecureIdRef(*row)


def build_snapshot(sponsor_code=None, state_ids=None):
    """The snapshot for checking records of `sponsor_code` (its Secure IDs only, or those of
    `state_ids` when given: online entry checks one student)."""
    secure_ids = SecureId.objects.all()
    if state_ids is not None:
        secure_ids = secure_ids.filter(unique_id__in=list(state_ids))
    elif sponsor_code:
        secure_ids = secure_ids.filter(sponsor__code=sponsor_code)
    return ReferenceSnapshot.build(
        sponsors=dict(Sponsor.objects.values_list("code", "kind")),
        sites=[SiteRef(*row) for row in Site.objects.values_list("code", "sponsor__code", "kind")],
        courses=[CourseCodeRef(*row) for row in CourseCode.objects.values_list(
            "code", "name", "first_bssy", "last_bssy", "requires_course_name", "ap_type_allowed",
            "five_point_eligible", "experience_only")],
        secure_ids=secure_id_refs(secure_ids),
        ibc_codes=IbcCode.objects.values_list("code", flat=True),
        test_vendors=TestVendor.objects.values_list("code", flat=True),
        code_lists=active_code_sets(),
    )
