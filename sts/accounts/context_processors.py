from core_tables.periods import fmt_bssy

from .permissions import Action, can, is_state_staff


def shell(request):
    """What the page shell (tabs, BSSY selector) needs on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    bssy = getattr(request, "bssy", None)
    current = getattr(request, "current_bssy", bssy)
    return {
        "bssy": bssy,
        "bssy_label": fmt_bssy(bssy) if bssy else "",
        "bssy_choices": [(y, fmt_bssy(y)) for y in range(current, current - 6, -1)],
        "nav": {
            "update": can(user, Action.UPDATE) or can(user, Action.CERTIFY),
            "certify": can(user, Action.CERTIFY),
            "update_records": can(user, Action.UPDATE),
            "upload": can(user, Action.UPLOAD),
            "security": can(user, Action.MANAGE_SITE_SECURITY),
            "state_staff": is_state_staff(user),
            "admin": can(user, Action.EDIT_REFERENCE) or can(user, Action.EDIT_CORE_TABLES),
            "prior_request": can(user, Action.REQUEST_PRIOR_PERIOD),
            "approve_prior": can(user, Action.APPROVE_PRIOR_PERIOD),
            "statewide": can(user, Action.STATEWIDE),
            "harvest": can(user, Action.HARVEST),
            "extracts": can(user, Action.EXTRACT_LOSFA) or can(user, Action.EXTRACT_BOR),

            "rollover": can(user, Action.ROLLOVER),
            "recalculate": can(user, Action.RECALCULATE),
        },
    }
