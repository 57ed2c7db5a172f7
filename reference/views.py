"""State staff's screens: the reference tables, read by who may and edited by LDOE (and LOSFA's
core-table users for the core tables), every change recorded."""
from functools import reduce
from operator import or_

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from sts.accounts import permissions
from sts.accounts.permissions import Action
from sts.lists import Column, Listing

from . import history, services
from .forms import form_class
from .tables import TABLES, label, sections


def _table(user, slug):
    table = TABLES.get(slug)
    if table is None:
        raise Http404(f"No table {slug}.")
    permissions.require_read_table(user, table.readers)
    return table


def _may_edit(user, table) -> bool:
    return permissions.can(user, table.edit_action)


def _optional_url(name):
    """A screen another app provides, when it is installed (harvest deadlines)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@login_required
def index(request):
    user = request.user
    if not permissions.is_state_staff(user):
        permissions.require_read_table(user, "everyone")
    readable = [t for t in TABLES.values() if permissions.can_read_table(user, t.readers)]
    recent = history.TableChange.objects.filter(table__in=[t.slug for t in readable]).select_related("changed_by")
    return render(request, "reference/index.html", {
        "sections": sections(lambda t: t in readable),
        "state_staff": permissions.is_state_staff(user),
        "prior_requests": permissions.can(user, Action.APPROVE_PRIOR_PERIOD),
        # The harvests app (another branch) provides the deadlines screen; its place is kept here.
        "harvest_deadlines": _optional_url("harvests:harvests"),
        "recent": recent[:15], "tables": TABLES,
    })


def _columns(table):
    out = []
    for name in table.columns:
        field = table.model._meta.get_field(name)
        order = (f"{name}__code",) if isinstance(field, ForeignKey) and name != "category" else (name,)
        if name == "category":
            order = ("category__curriculum__code", "category__code")
        out.append(Column(name, label(table.model, name), order=order))
    return out


@login_required
def table_list(request, slug):
    table = _table(request.user, slug)
    rows = table.model._default_manager.all()
    related = [n for n in table.columns if isinstance(table.model._meta.get_field(n), ForeignKey)]
    if related:
        rows = rows.select_related(*related, *(["category__curriculum"] if "category" in related else []))
    q = (request.GET.get("q") or "").strip()
    if q and table.search:
        rows = rows.filter(reduce(or_, (Q(**{f"{f}__istartswith": q}) for f in table.search)))
    listing = Listing(request, _columns(table), default=table.default_sort or table.columns[0],
                      default_dir="desc" if table.newest_first else None,
                      noun=str(table.model._meta.verbose_name_plural))
    page = listing.paginate(listing.order(rows))
    cells = [(row, [history.shown(row, n) for n in table.columns]) for row in page]
    return render(request, "reference/list.html", {
        "table": table, "listing": listing, "page": page, "cells": cells, "q": q,
        "may_edit": _may_edit(request.user, table),
    })


@login_required
def row_edit(request, slug, pk=None):
    """Add (pk None) or change one row. Refused unless the user edits this table."""
    user = request.user
    table = _table(user, slug)
    if not _may_edit(user, table):
        raise PermissionDenied(permissions.refusal(user, table.edit_action))
    if pk is None and not table.addable:
        raise PermissionDenied(f"Rows of the {table.title} are not added here.")
    Form = form_class(table)
    status = 200
    if request.method == "POST":
        with services.atomic():
            obj = _row(table, pk, lock=True)
            before = history.values(obj, table.fields) if obj else {}
            form = Form(request.POST, instance=obj, fixed=table.fixed_on_change)
            if form.is_valid():
                obj = services.save_row(table, form, before, user)
                messages.success(request, f"{table.verbose.capitalize()} {obj} saved.")
                return redirect("reference:table", slug=table.slug)
        status = 400  # the form again, each field's problem next to it
    else:
        obj = _row(table, pk)
        form = Form(instance=obj, fixed=table.fixed_on_change, initial=_initial(table) if obj is None else None)
    return render(request, "reference/form.html", {
        "table": table, "form": form, "obj": obj,
        "changes": history.rows_history(table.slug, obj.pk)[:50] if obj else [],
    }, status=status)


def _initial(table) -> dict:
    """A new collection period starts as the year after the latest, in the guide's normal window."""
    from core_tables.models import CollectionPeriod
    from core_tables.periods import current_bssy, default_window

    if table.model is not CollectionPeriod:
        return {}
    latest = CollectionPeriod.objects.order_by("-bssy").values_list("bssy", flat=True).first()
    bssy = latest + 1 if latest else current_bssy()
    opens, closes = default_window(bssy)
    return {"bssy": bssy, "opens": opens, "closes": closes}


def _row(table, pk, lock=False):
    if pk is None:
        return None
    try:
        return services.lock_row(table, pk) if lock else table.model._default_manager.get(pk=pk)
    except table.model.DoesNotExist:
        raise Http404(f"No such {table.verbose}.") from None


@login_required
def table_history(request, slug):
    table = _table(request.user, slug)
    listing = Listing(request, [Column("changed_at", "When", order=("changed_at",), first="desc"),
                                Column("object_label", "Row", order=("object_label",)),
                                Column("action", "What"), Column("changed_by", "Who", order=("changed_by__username",)),
                                Column("changes", "Changes")],
                      default="changed_at", default_dir="desc", noun="changes")
    page = listing.paginate(listing.order(history.rows_history(table.slug)))
    return render(request, "reference/history.html", {"table": table, "listing": listing, "page": page})
