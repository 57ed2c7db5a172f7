"""Saving a row of a state staff table: the change recorded, its consequences applied, in one
transaction (nothing half-written)."""
from django.db import transaction

from core_tables.models import CollectionPeriod, SecureId, SecureIdChange

from . import history


def lock_row(table, pk):
    """The row, locked until the transaction ends, so the history's "before" is what was replaced."""
    return table.model._default_manager.select_for_update().get(pk=pk)


def save_row(table, form, before: dict, user):
    """Save a valid form of `table`; `before` is `history.values` of the row before the form
    changed it ({} for a new row). Call inside a transaction with the row locked."""
    adding = form.instance.pk is None
    old_registry = _registry_values(form.instance) if table.model is SecureId and not adding else None
    obj = form.save(commit=False)
    if table.model._meta.model_name == "announcement" and adding:
        obj.posted_by = user.username
    obj.save()
    form.save_m2m()
    changes = history.diff(before, history.values(obj, table.fields))
    history.record(table.slug, obj, user, changes, "added" if adding else "changed")
    if isinstance(obj, CollectionPeriod) and obj.is_current:
        _one_current(table, obj, user)
    if old_registry is not None:
        _registry_history(obj, old_registry, user)
    if table.recalculates and changes:
        from transcripts.signals import reference_tables_changed

        # Stored progress results read these tables: every one is recalculated after commit.
        reference_tables_changed.send(sender=table.model)
    return obj


def _one_current(table, period, user):
    """Only one year is current: marking one unmarks the others (each change recorded)."""
    for other in CollectionPeriod.objects.select_for_update().filter(is_current=True).exclude(pk=period.pk):
        before = history.values(other, ["is_current"])
        other.is_current = False
        other.save(update_fields=["is_current"])
        history.record(table.slug, other, user, history.diff(before, history.values(other, ["is_current"])))


def _registry_values(entry):
    fresh = SecureId.objects.get(pk=entry.pk)
    return {f: getattr(fresh, f) for f in SecureId.TRACKED}


def _registry_history(entry, old, user):
    """The registry's own history (read where a student's demographics are shown) as well."""
    changed = {f: [str(old[f]), str(getattr(entry, f))] for f in SecureId.TRACKED if old[f] != getattr(entry, f)}
    if changed:
        SecureIdChange.objects.create(secure_id=entry, changed_by=user.username, changes=changed)


def atomic():
    return transaction.atomic()
