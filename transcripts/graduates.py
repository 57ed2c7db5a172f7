"""When graduate data of a site last changed, per BSSY.

Certifying a site vouches for its graduates' transcripts; "this must be done each time data is
changed for a specific school" (guide, Certify Graduate Transcript). Every write that touches a
graduate (online entry, batch upload, reassignment, restore) calls `mark_graduate_change`, and
certification compares `last_graduate_change` with the time the site was certified.

A graduate is a student with a graduation date before or after the change: removing a date, or
deleting a graduate, changes the site's graduates too.
"""
from django.utils import timezone

from .models import GraduateDataChange


def mark_graduate_change(site_ids, bssy, *, by="", source="", at=None):
    """Record that graduate data of these sites changed in `bssy` (now, or `at`)."""
    at = at or timezone.now()
    rows = [GraduateDataChange(site_id=site_id, bssy=bssy, changed_at=at, changed_by=by[:150], source=source[:20])
            for site_id in sorted(set(site_ids))]
    if rows:
        GraduateDataChange.objects.bulk_create(rows, update_conflicts=True, unique_fields=["site", "bssy"],
                                               update_fields=["changed_at", "changed_by", "source"])


def last_graduate_change(site_id, bssy):
    """When graduate data of the site last changed in `bssy`, or None."""
    return GraduateDataChange.objects.filter(site_id=site_id, bssy=bssy).values_list("changed_at", flat=True).first()


def needs_recertification(site_id, bssy, certified_at) -> bool:
    """True when graduate data changed after `certified_at` (or the site was never certified and
    has graduate changes)."""
    changed = last_graduate_change(site_id, bssy)
    return changed is not None and (certified_at is None or changed > certified_at)


def is_graduate(student) -> bool:
    """A stored student counts as a graduate with a graduation date, kept or removed by a failed
    check (a removed date still belongs to the site's graduates to certify once corrected)."""
    return bool(student.graduation_date or student.removed_graduation_date)


def graduates(students):
    """The graduates of a Student queryset (with a graduation date, kept or removed)."""
    from django.db.models import Q

    return students.filter(Q(graduation_date__isnull=False) | Q(removed_graduation_date__isnull=False))


def graduate_sites_on_file(sponsor, bssy, state_ids) -> set:
    """Site ids of the students among `state_ids` that are graduates on file now (before a batch
    replaces their records)."""
    from .models import Student

    on_file = Student.objects.filter(sponsor=sponsor, bssy=bssy, state_id__in=list(state_ids))
    return set(graduates(on_file).values_list("site_id", flat=True).distinct())


def overridden_dates(sponsor, bssy) -> set:
    """{(state_id, graduation date)} kept by a graduation override for the sponsor's BSSY: a batch
    upload of the same graduate and date keeps the date instead of removing it again."""
    from .models import GraduationOverride

    return set(GraduationOverride.objects.filter(student__sponsor=sponsor, student__bssy=bssy)
               .values_list("student__state_id", "graduation_date"))
