"""Who confirms at the till: a supervisor with a badge scan or a PIN, for large discounts and voids."""

from flask_babel import gettext as _

from store.auth import services as auth
from store.auth.models import User
from store.core.access import Role
from store.core.errors import PermissionDeniedError

CONFIRMING_ROLES = (Role.SUPERVISOR, Role.ADMIN)


def confirms_alone(user: User | None) -> bool:
    """Whether this user needs nobody's card or PIN for a discount above the store's limit."""
    return user is not None and user.role in CONFIRMING_ROLES


def confirming_supervisor(
    *,
    badge: str | None = None,
    user_id: int | None = None,
    pin: str | None = None,
    address: str | None = None,
) -> User:
    """A supervisor confirms at the till with a badge scan or their PIN."""
    if badge:
        user = auth.authenticate_badge(badge, address=address)
    elif user_id and pin:
        user = auth.authenticate_pin(user_id, pin, address=address)
    else:
        raise PermissionDeniedError(_("A supervisor must confirm this with card or PIN."))
    if user.role not in CONFIRMING_ROLES:
        raise PermissionDeniedError(_("Only a supervisor can confirm this."))
    return user
