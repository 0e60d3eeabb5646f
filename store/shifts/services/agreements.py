"""Agreements: what a trainee's measure agrees (kind, weekly hours, workdays, allowance, longest
duration), and which agreement is in force on a day."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, ValidationError
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.shifts.models import Agreement, Measure
from store.shifts.services.common import MAX_WEEKLY_MINUTES, check_weekdays
from store.shifts.services.days import day_label
from store.shifts.services.people import get_trainee


def agreements_for(user_id: int) -> list[Agreement]:
    return list(
        db.session.scalars(
            sa.select(Agreement).where(Agreement.user_id == user_id).order_by(Agreement.starts_on.desc())
        )
    )


def get_agreement(agreement_id: int) -> Agreement:
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFoundError(_("This agreement does not exist."))
    return agreement


def agreements_between(
    user_ids: Iterable[int] | None, first: date, last: date
) -> dict[int, list[Agreement]]:
    """Agreements overlapping [first, last], by user."""
    query = sa.select(Agreement).where(
        Agreement.starts_on <= last, sa.or_(Agreement.ends_on.is_(None), Agreement.ends_on >= first)
    )
    if user_ids is not None:
        query = query.where(Agreement.user_id.in_(list(user_ids)))
    found: dict[int, list[Agreement]] = defaultdict(list)
    for agreement in db.session.scalars(query.order_by(Agreement.starts_on)):
        found[agreement.user_id].append(agreement)
    return found


def covering(agreements: Iterable[Agreement], day: date) -> Agreement | None:
    """The agreement in force on `day`."""
    for agreement in agreements:
        if agreement.starts_on <= day and (agreement.ends_on is None or day <= agreement.ends_on):
            return agreement
    return None


def agreement_on(user_id: int, day: date) -> Agreement | None:
    return covering(agreements_between([user_id], day, day).get(user_id, []), day)


def current_agreement(user_id: int, today: date | None = None) -> Agreement | None:
    """The agreement in force today, else the next one, else the last one."""
    today = today or local_today()
    agreements = agreements_for(user_id)
    return (
        covering(agreements, today)
        or next((a for a in reversed(agreements) if a.starts_on > today), None)
        or (agreements[0] if agreements else None)
    )


def save_agreement(
    actor: Actor,
    agreement: Agreement | None,
    *,
    user_id: int,
    measure: Measure | str,
    starts_on: date | None,
    ends_on: date | None,
    weekly_minutes: int | None,
    workdays: Iterable,
    hourly_allowance_cents: int | None = None,
    max_months: int | None = None,
    now: datetime | None = None,
) -> Agreement:
    """Create or change a trainee's agreement. Agreements of one person must not overlap."""
    now = as_utc(now)
    user = get_trainee(user_id)
    try:
        measure = Measure(measure)
    except ValueError:
        raise ValidationError(_("Please choose the kind of measure."), field="measure") from None
    if starts_on is None:
        raise ValidationError(_("Please give the first day."), field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("The planned end is before the start."), field="ends_on")
    if weekly_minutes is None or not 0 < weekly_minutes <= MAX_WEEKLY_MINUTES:
        raise ValidationError(
            _("Please give the weekly hours (more than 0, at most 48)."), field="weekly_hours"
        )
    days = check_weekdays(workdays, "workdays", required=True)
    if hourly_allowance_cents is not None and not 0 <= hourly_allowance_cents <= 2000:
        raise ValidationError(
            _("The allowance per hour must be between 0,00 € and 20,00 €."), field="hourly_allowance"
        )
    if max_months is not None and not 1 <= max_months <= 120:
        raise ValidationError(
            _("The longest duration must be between 1 and 120 months."), field="max_months"
        )
    for other in agreements_for(user.id):
        if agreement is not None and other.id == agreement.id:
            continue
        if other.starts_on <= (ends_on or date.max) and starts_on <= (other.ends_on or date.max):
            raise ValidationError(
                _(
                    "This overlaps another agreement of %(name)s (from %(start)s). "
                    "Please end that one first.",
                    name=user.display_name,
                    start=day_label(other.starts_on),
                ),
                field="starts_on",
            )
    if agreement is None:
        agreement = Agreement(user_id=user.id)
        db.session.add(agreement)
    agreement.measure, agreement.starts_on, agreement.ends_on = measure, starts_on, ends_on
    agreement.weekly_minutes, agreement.workdays = weekly_minutes, days
    agreement.hourly_allowance_cents, agreement.max_months = hourly_allowance_cents, max_months
    agreement.updated_at = now
    audit(
        actor,
        "agreement.save",
        agreement,
        {
            "user": user.username,
            "measure": measure.value,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
            "weekly_minutes": weekly_minutes,
            "workdays": days,
            "hourly_allowance_cents": hourly_allowance_cents,
            "max_months": max_months,
        },
        now=now,
    )
    return agreement
