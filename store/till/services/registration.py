"""A till's dates for the tax office: when it went into service and out of it (§146a Abs. 4 AO); the
report itself is made in store.fiscal.registration."""

from datetime import date

from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import ConflictError, ValidationError
from store.core.timeutil import local_today
from store.till.models import Till


def put_into_service(actor: Actor, till: Till, on: date) -> Till:
    """Record when the till went into service (reported to the tax office within a month)."""
    if on is None:
        raise ValidationError(_("Please give the date."), field="on")
    if till.out_of_service_on is not None and on < till.out_of_service_on:
        raise ValidationError(
            _("A till cannot go back into service before the day it went out of service."), field="on"
        )
    till.in_service_on, till.out_of_service_on, till.is_active = on, None, True
    audit(
        actor, "till.in_service", till, {"till": till.name, "serial": till.serial, "on": on.isoformat()}
    )
    return till


def take_out_of_service(actor: Actor, till: Till, on: date, *, today: date | None = None) -> Till:
    """Decommission a till: it sells no more; the tax office is told within a month."""
    today = today or local_today()
    if on is None:
        raise ValidationError(_("Please give the date."), field="on")
    if on > today:
        raise ValidationError(_("The date cannot be in the future."), field="on")
    if till.in_service_on is not None and on < till.in_service_on:
        raise ValidationError(
            _("A till cannot go out of service before it went into service."), field="on"
        )
    if till.current_session_id is not None:
        raise ConflictError(_("This till is still open. Please close it first."))
    till.out_of_service_on, till.is_active = on, False
    audit(
        actor,
        "till.out_of_service",
        till,
        {"till": till.name, "serial": till.serial, "on": on.isoformat()},
    )
    return till
