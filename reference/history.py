"""Recording what state staff changed: the values a screen shows, before and after."""
import datetime as dt
import decimal

from .models import TableChange


def shown(obj, name) -> str:
    """A field's value as a screen shows it: choices by their label, related rows by their name."""
    field = obj._meta.get_field(name)
    if field.choices:
        value = getattr(obj, f"get_{name}_display")()
    else:
        value = getattr(obj, name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value:%m/%d/%Y}"
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")  # 4.0 and 4 are the same units
    return str(value)


def values(obj, names) -> dict[str, str]:
    """{the screen's label: the value shown} of `names`."""
    from .tables import label

    return {label(type(obj), n): shown(obj, n) for n in names}


def diff(before: dict, after: dict) -> dict[str, list[str]]:
    """{label: [old, new]} of the values that differ (every value, for a row just added)."""
    return {k: [before.get(k, ""), v] for k, v in after.items() if before.get(k, "") != v}


def record(table: str, obj, user, changes: dict, action: str = "changed") -> TableChange | None:
    """Write one history entry; nothing when nothing changed."""
    if not changes:
        return None
    return TableChange.objects.create(table=table, object_pk=obj.pk, object_label=str(obj)[:200], action=action,
                                      changes=changes, changed_by=user)


def rows_history(table: str, pk=None):
    changes = TableChange.objects.filter(table=table).select_related("changed_by")
    return changes.filter(object_pk=pk) if pk is not None else changes
