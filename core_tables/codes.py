"""The guide's fixed code lists as stored (state staff may edit them in the admin)."""


def ensure_code_lists():
    """Insert any code from core_tables.codelists that the table lacks; never overwrite edits."""
    from .codelists import CODE_LISTS
    from .models import CodeValue

    have = set(CodeValue.objects.values_list("list_name", "code"))
    CodeValue.objects.bulk_create(
        [CodeValue(list_name=name, code=c.code, name=c.name, attrs=dict(c.attrs))
         for name, codes in CODE_LISTS.items() for c in codes if (name, c.code) not in have]
    )


def code_choices(list_name):
    """[(code, "code name"), ...] of the active codes of a list, for drop-downs."""
    from .models import CodeValue

    return [(v.code, f"{v.code} {v.name}")
            for v in CodeValue.objects.filter(list_name=list_name, active=True).order_by("code")]


def active_code_sets():
    """{list_name: frozenset(codes)} of the active codes, for the edit catalog's snapshot."""
    from .models import CodeValue

    sets = {}
    for list_name, code in CodeValue.objects.filter(active=True).values_list("list_name", "code"):
        sets.setdefault(list_name, set()).add(code)
    return {k: frozenset(v) for k, v in sets.items()}
