"""The students a replace-mode upload deleted: listed on its report, restorable one by one by
state staff (the deleted-set mechanism of transcripts/deleted.py) or undone as a whole while no
later change has touched those students."""
from django.db import transaction

from sts.accounts import permissions
from sts.accounts.permissions import Action
from transcripts import deleted
from transcripts.models import DeletedStudentSet, StudentChange

from .queries import may_see_upload, row_sites


def deleted_by(user, upload):
    """The deleted sets of `upload` the user may see (school-level users: their sites')."""
    sets = DeletedStudentSet.objects.filter(upload_number=upload.pk).select_related("site").order_by(
        "site__code", "display_name", "state_id")
    sites = row_sites(user, upload)
    return sets if sites is None else sets.filter(site__code__in=sites)


def may_undo(user, upload) -> bool:
    """State staff who restore deleted records, and users who may upload for every site the
    upload deleted at (they could have sent those students again)."""
    sets = DeletedStudentSet.objects.filter(upload_number=upload.pk)
    if permissions.can(user, Action.RESTORE_DELETED, sponsor=upload.sponsor):
        return True
    sites = set(sets.values_list("site__code", flat=True).distinct())
    return bool(sites) and may_see_upload(user, upload) and all(
        permissions.can(user, Action.UPLOAD, site=code) for code in sites)


def undo_refusal(upload) -> str:
    """Why the upload's deletions cannot be undone as a whole ('' when they can)."""
    pending = DeletedStudentSet.objects.filter(upload_number=upload.pk, restored_at__isnull=True)
    if not pending.exists():
        return "Nothing to undo: every student this upload deleted has been restored."
    state_ids = list(pending.values_list("state_id", flat=True))
    touched = sorted(set(StudentChange.objects.filter(
        sponsor_id=upload.sponsor_id, bssy=upload.bssy, state_id__in=state_ids, at__gt=upload.finished_at,
    ).values_list("state_id", flat=True)))
    if touched:
        shown = ", ".join(touched[:10]) + (f" and {len(touched) - 10} more" if len(touched) > 10 else "")
        return (f"Students deleted by this upload were changed since ({shown}): undo is only possible while no later "
                "change has touched them. State staff can still restore the others one by one.")
    return ""


def undo_deletions(upload, *, by) -> list[int]:
    """Restore every student the upload deleted (all or nothing); returns the restored student pks."""
    from transcripts.progress_store import recompute

    refusal = undo_refusal(upload)
    if refusal:
        raise deleted.RestoreRefused(refusal)
    with transaction.atomic():
        restored = [deleted.restore(kept, by=by, source=f"undo upload #{upload.pk}").pk for kept in
                    DeletedStudentSet.objects.select_for_update().filter(upload_number=upload.pk,
                                                                        restored_at__isnull=True)]
    recompute(restored)
    return restored
