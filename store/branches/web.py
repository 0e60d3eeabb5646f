"""The branch of the request: what the header's switcher chose (kept in the session), for views."""

from collections.abc import Callable

from flask import Blueprint, has_request_context, request, session
from flask_login import current_user

from store.branches import services
from store.branches.models import Branch

SESSION_KEY = "branch_id"


def chosen_id() -> int | None:
    """The branch chosen in the switcher; None: all the user may see."""
    if not has_request_context():
        return None
    value = session.get(SESSION_KEY)
    return value if isinstance(value, int) else None


def current_branch() -> Branch:
    """The branch the signed-in user works in now (new items, intake, transfers start here)."""
    return services.current(current_user, chosen_id())


def scope_ids() -> set[int]:
    """The branches a per-branch list shows now: the chosen one, or all the user may see."""
    return services.scope(current_user, chosen_id())


def guard(bp: Blueprint, arg: str, branch_of: Callable[[int], int | None]) -> None:
    """Refuse (404) every route of `bp` whose URL names a thing (`arg`, e.g. till_id) of a branch the
    signed-in user does not see. `branch_of(value)` is the thing's branch id (None: no such thing)."""

    @bp.before_request
    def _branch_guard():
        value = (request.view_args or {}).get(arg)
        if value is None or not current_user.is_authenticated:
            return
        services.check_visible(current_user, branch_of(value))
