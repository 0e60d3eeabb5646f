"""Shifts and attendance: stations, agreements, templates, the week plan and its warnings; clock
in and out; confirming days and recording absences; closing months; the calendar links.

Clock events, attendance entries and month closings are bookings: only ever inserted (the database
refuses UPDATE and DELETE). A correction is a counter-entry that replaces an earlier row, with its
reason and who made it; the history shows both. Planned shifts are plans: they are changed in place,
and every change is in the audit log.
"""

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays as holidays_lib
import sqlalchemy as sa
from babel.dates import format_date, format_skeleton
from flask import current_app
from flask_babel import gettext as _

from store.auth.models import User
from store.core import events
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import ConflictError, NotFoundError, ValidationError
from store.core.i18n import locale_name
from store.core.timeutil import local_today, store_zone, to_local, utcnow
from store.extensions import db
from store.shifts import worktime
from store.shifts.labels import CODE_LABELS
from store.shifts.models import (
    Agreement,
    AttendanceCode,
    AttendanceEntry,
    CalendarToken,
    ClockEvent,
    ClockKind,
    Measure,
    MonthClosing,
    Shift,
    ShiftStatus,
    ShiftTemplate,
    Station,
)

# Codes that say the person was not at work: a shift on such a day is a planning warning.
ABSENT_CODES = frozenset(AttendanceCode) - {AttendanceCode.PRESENT}
# The longest shift and the longest stretch a clock entry may describe.
MAX_SHIFT_MINUTES = 12 * 60
MAX_WEEKLY_MINUTES = 48 * 60


def defaults(app) -> None:
    """Settings of this area (instance/config.py may override them)."""
    app.config.setdefault("STORE_HOLIDAY_STATE", "NI")
    # (worked minutes above which, break minutes): ArbZG §4.
    app.config.setdefault("BREAK_RULES", [(360, 30), (540, 45)])
    # A Kommen without Gehen stays open this long; after that it is a missing clock-out.
    app.config.setdefault("CLOCK_OPEN_HOURS", 12)
    # Minutes after the planned start (or before the planned end) that do not count as late.
    app.config.setdefault("LATE_GRACE_MINUTES", 5)


def _utc(moment: datetime | None) -> datetime:
    """Now (or the given instant) in UTC: two times of one zone subtract by their wall clocks."""
    return (moment or utcnow()).astimezone(UTC)


def break_rules() -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in current_app.config["BREAK_RULES"]]


# ---------------------------------------------------------------- days, weeks, words


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(text: str | None, default: date | None = None) -> tuple[int, int]:
    """'2026-03' → (2026, 3); empty → the month of `default` (today)."""
    if not text:
        day = default or local_today()
        return day.year, day.month
    try:
        year, month = (int(part) for part in text.split("-"))
        date(year, month, 1)
    except (ValueError, TypeError):
        raise ValidationError(
            _("Please give the month as YYYY-MM, e.g. 2026-03."), field="month"
        ) from None
    return year, month


def month_days(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return [first + timedelta(days=n) for n in range((following - first).days)]


def following_month(key: str) -> str:
    year, month = (int(p) for p in key.split("-"))
    return f"{year + (month == 12):04d}-{month % 12 + 1:02d}"


def local_instant(day: date, moment: time) -> datetime:
    """A local date and time of day as an aware UTC instant."""
    return datetime.combine(day, moment, tzinfo=store_zone()).astimezone(UTC)


def shift_bounds(day: date, starts: time, ends: time) -> tuple[datetime, datetime]:
    """The UTC start and end of a shift; an end at or before the start is on the next day."""
    start = local_instant(day, starts)
    end = local_instant(day + timedelta(days=1) if ends <= starts else day, ends)
    return start, end


def day_label(day: date) -> str:
    """'Mo., 2. März' / 'Mon, Mar 2'."""
    return format_skeleton("MMMEd", day, locale=locale_name())


def long_day_label(day: date) -> str:
    """'Montag, 2. März' / 'Monday, March 2': the weekday in full, as people say it."""
    locale = locale_name()
    pattern = "EEEE, d. MMMM" if locale.startswith("de") else "EEEE, MMMM d"
    return format_date(day, pattern, locale=locale)


def clock_time(moment: datetime | None) -> str:
    """'8:58' in the store's zone."""
    if moment is None:
        return ""
    local = to_local(moment)
    return f"{local.hour}:{local.minute:02d}"


def hours_text(minutes: int | None) -> str:
    return worktime.format_minutes(minutes)


def hours_plain(minutes: int) -> str:
    """1200 → '20', 1230 → '20:30': hours as people say them."""
    return str(minutes // 60) if minutes % 60 == 0 else worktime.format_minutes(minutes)


def parse_hours(text: str | None, *, limit: int = MAX_SHIFT_MINUTES, field: str = "hours") -> int | None:
    """'4:30', '4,5', '4.5' or '4' hours → minutes; empty → None."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    try:
        if ":" in text:
            hours, minutes = text.split(":", 1)
            if not minutes.isdigit() or len(minutes) != 2 or int(minutes) > 59:
                raise ValueError
            value = int(hours or 0) * 60 + int(minutes)
        else:
            value = round(float(text.replace(",", ".")) * 60)
    except ValueError:
        raise ValidationError(_("Please enter hours such as 4:30 or 4,5."), field=field) from None
    if value < 0 or value > limit:
        raise ValidationError(_("Please enter between 0 and %(n)s hours.", n=limit // 60), field=field)
    return value


def parse_hours_per_week(text: str | None) -> int | None:
    return parse_hours(text, limit=MAX_WEEKLY_MINUTES, field="weekly_hours")


def parse_time(text: str | None, field: str) -> time:
    text = (text or "").strip().replace(".", ":")
    try:
        hours, _sep, minutes = text.partition(":")
        return time(int(hours), int(minutes or 0))
    except ValueError:
        raise ValidationError(_("Please enter a time such as 9:00."), field=field) from None


# ---------------------------------------------------------------- public holidays


@lru_cache(maxsize=64)
def _holidays(state: str, year: int, language: str) -> dict[date, str]:
    return dict(holidays_lib.country_holidays("DE", subdiv=state, years=year, language=language))


def holiday_name(day: date) -> str | None:
    """The public holiday on `day` in the store's state (STORE_HOLIDAY_STATE), in the UI language."""
    language = "de" if locale_name().startswith("de") else "en_US"
    return _holidays(current_app.config["STORE_HOLIDAY_STATE"], day.year, language).get(day)


# ---------------------------------------------------------------- people


def list_trainees(include_inactive: bool = False) -> list[User]:
    query = sa.select(User).where(User.role == Role.TRAINEE).order_by(User.first_name, User.last_name)
    if not include_inactive:
        query = query.where(User.is_active_account.is_(True))
    return list(db.session.scalars(query))


def get_trainee(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.TRAINEE:
        raise NotFoundError(_("There is no participant with this number."))
    return user


def trainee_by_badge(badge: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.badge == (badge or "").strip()))
    if user is None or user.role != Role.TRAINEE or not user.is_active_account:
        raise NotFoundError(_("This card is not known. Please ask your supervisor."))
    return user


# ---------------------------------------------------------------- stations


def list_stations(include_inactive: bool = False) -> list[Station]:
    query = sa.select(Station).order_by(Station.sort, Station.name)
    if not include_inactive:
        query = query.where(Station.is_active.is_(True))
    return list(db.session.scalars(query))


def get_station(station_id: int | None) -> Station:
    station = db.session.get(Station, station_id) if station_id else None
    if station is None:
        raise NotFoundError(_("This station does not exist."))
    return station


def _weekdays(values: Iterable, field: str, *, required: bool) -> list[int]:
    try:
        days = sorted({int(v) for v in values or []})
    except (TypeError, ValueError):
        days = [-1]
    if any(d < 0 or d > 6 for d in days):
        raise ValidationError(_("Please choose weekdays from Monday to Sunday."), field=field)
    if required and not days:
        raise ValidationError(_("Please choose at least one weekday."), field=field)
    return days


def save_station(
    actor: Actor,
    station: Station | None,
    *,
    name: str,
    staffed_weekdays: Iterable = (),
    sort: int = 0,
    is_active: bool = True,
) -> Station:
    """Create or change a station; the name must be free."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Please give the station a name."), field="name")
    other = db.session.scalar(sa.select(Station.id).where(Station.name == name))
    if other and (station is None or other != station.id):
        raise ValidationError(_("A station with this name exists already."), field="name")
    days = _weekdays(staffed_weekdays, "staffed_weekdays", required=False)
    if station is None:
        station = Station()
        db.session.add(station)
    station.name, station.staffed_weekdays = name[:60], days
    station.sort, station.is_active = int(sort or 0), bool(is_active)
    audit(
        actor,
        "station.save",
        station,
        {"name": station.name, "staffed_weekdays": days, "is_active": station.is_active},
    )
    return station


# ---------------------------------------------------------------- agreements


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
    now = _utc(now)
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
    days = _weekdays(workdays, "workdays", required=True)
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


def months_after(start: date, months: int) -> date:
    """The day `months` calendar months after `start` (clamped to the month's end)."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    month += 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# ---------------------------------------------------------------- templates


def list_templates(include_inactive: bool = True) -> list[ShiftTemplate]:
    query = (
        sa.select(ShiftTemplate)
        .join(Station)
        .order_by(Station.sort, Station.name, ShiftTemplate.starts_at)
    )
    if not include_inactive:
        query = query.where(ShiftTemplate.is_active.is_(True))
    return list(db.session.scalars(query))


def get_template(template_id: int) -> ShiftTemplate:
    template = db.session.get(ShiftTemplate, template_id)
    if template is None:
        raise NotFoundError(_("This template does not exist."))
    return template


def _check_times(starts: time | None, ends: time | None) -> None:
    if starts is None:
        raise ValidationError(_("Please give the start time."), field="starts_at")
    if ends is None:
        raise ValidationError(_("Please give the end time."), field="ends_at")
    if starts == ends:
        raise ValidationError(_("The shift ends when it starts."), field="ends_at")


def save_template(
    actor: Actor,
    template: ShiftTemplate | None,
    *,
    station_id: int | None,
    weekdays: Iterable,
    starts_at: time | None,
    ends_at: time | None,
    member_ids: Iterable[int] = (),
    is_active: bool = True,
) -> ShiftTemplate:
    """Create or change a weekly pattern and the trainees who usually work it."""
    station = get_station(station_id)
    days = _weekdays(weekdays, "weekdays", required=True)
    _check_times(starts_at, ends_at)
    probe = date(2026, 1, 5)  # any Monday: only the length matters here
    start, end = shift_bounds(probe, starts_at, ends_at)
    if worktime.minutes_between(start, end) > MAX_SHIFT_MINUTES:
        raise ValidationError(_("A shift can be at most 12 hours long."), field="ends_at")
    members = [get_trainee(int(uid)) for uid in dict.fromkeys(member_ids or [])]
    if template is None:
        template = ShiftTemplate()
        db.session.add(template)
    template.station_id, template.weekdays = station.id, days
    template.starts_at, template.ends_at = starts_at, ends_at
    template.members = members
    template.is_active = bool(is_active)
    audit(
        actor,
        "shift_template.save",
        template,
        {
            "station": station.name,
            "weekdays": days,
            "starts_at": starts_at.isoformat("minutes"),
            "ends_at": ends_at.isoformat("minutes"),
            "members": [m.username for m in members],
            "is_active": template.is_active,
        },
    )
    return template


# ---------------------------------------------------------------- shifts


def get_shift(shift_id: int) -> Shift:
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        raise NotFoundError(_("This shift does not exist."))
    return shift


def shifts_between(
    first: date, last: date, *, user_ids: Iterable[int] | None = None, include_cancelled: bool = False
) -> list[Shift]:
    query = sa.select(Shift).where(Shift.day >= first, Shift.day <= last)
    if user_ids is not None:
        query = query.where(Shift.user_id.in_(list(user_ids)))
    if not include_cancelled:
        query = query.where(Shift.status == ShiftStatus.PLANNED)
    return list(db.session.scalars(query.order_by(Shift.day, Shift.starts_at, Shift.id)))


def planned_minutes(shift: Shift) -> int:
    """The work a shift plans: its length less the break the rule asks for (as when clocked)."""
    return planned_work(shift.starts_at, shift.ends_at)


def planned_work(starts_at: datetime, ends_at: datetime, rules=None) -> int:
    length = worktime.minutes_between(starts_at, ends_at)
    return length - worktime.break_deduction(length, 0, rules or break_rules())


def _shift_data(shift: Shift) -> dict:
    return {
        "user_id": shift.user_id,
        "station_id": shift.station_id,
        "day": shift.day.isoformat(),
        "starts_at": shift.starts_at.isoformat(),
        "ends_at": shift.ends_at.isoformat(),
        "status": shift.status.value,
    }


def _check_shift(
    user_id: int, station_id: int | None, day: date | None, starts: time | None, ends: time | None
) -> tuple[User, Station, datetime, datetime]:
    user = get_trainee(user_id)
    if not user.is_active_account:
        raise ValidationError(_("This account is switched off."), field="user_id")
    station = get_station(station_id)
    if not station.is_active:
        raise ValidationError(_("This station is not in use."), field="station_id")
    if day is None:
        raise ValidationError(_("Please choose the day."), field="day")
    _check_times(starts, ends)
    start, end = shift_bounds(day, starts, ends)
    if worktime.minutes_between(start, end) > MAX_SHIFT_MINUTES:
        raise ValidationError(_("A shift can be at most 12 hours long."), field="ends_at")
    return user, station, start, end


def assign_shift(
    actor: Actor,
    *,
    user_id: int,
    station_id: int | None,
    day: date | None,
    starts_at: time | None,
    ends_at: time | None,
    template_id: int | None = None,
    now: datetime | None = None,
) -> Shift:
    """Plan a trainee at a station on a day. Warnings are shown, not enforced: see plan_warnings."""
    now = _utc(now)
    user, station, start, end = _check_shift(user_id, station_id, day, starts_at, ends_at)
    same = db.session.scalar(
        sa.select(Shift).where(
            Shift.user_id == user.id,
            Shift.station_id == station.id,
            Shift.day == day,
            Shift.starts_at == start,
            Shift.ends_at == end,
        )
    )
    if same is not None and same.is_planned:
        raise ConflictError(_("%(name)s is planned for this shift already.", name=user.short_name))
    if same is not None:  # a cancelled shift comes back: the calendar sees the same event again
        same.status, same.sequence, same.updated_at = ShiftStatus.PLANNED, same.sequence + 1, now
        audit(actor, "shift.restore", same, _shift_data(same), now=now)
        return same
    shift = Shift(
        user_id=user.id,
        station_id=station.id,
        day=day,
        starts_at=start,
        ends_at=end,
        status=ShiftStatus.PLANNED,
        template_id=template_id,
        sequence=0,
        created_at=now,
        updated_at=now,
    )
    db.session.add(shift)
    audit(actor, "shift.assign", shift, _shift_data(shift), now=now)
    return shift


def change_shift(
    actor: Actor,
    shift: Shift,
    *,
    station_id: int | None,
    day: date | None,
    starts_at: time | None,
    ends_at: time | None,
    now: datetime | None = None,
) -> Shift:
    """Move a planned shift; the calendar feed shows the change (SEQUENCE goes up)."""
    now = _utc(now)
    if not shift.is_planned:
        raise ConflictError(_("This shift is cancelled. Plan a new one instead."))
    _user, station, start, end = _check_shift(shift.user_id, station_id, day, starts_at, ends_at)
    before = _shift_data(shift)
    shift.station_id, shift.day, shift.starts_at, shift.ends_at = station.id, day, start, end
    if _shift_data(shift) != before:
        shift.sequence += 1
        shift.updated_at = now
        audit(actor, "shift.change", shift, {"before": before, "after": _shift_data(shift)}, now=now)
    return shift


def cancel_shift(actor: Actor, shift: Shift, *, now: datetime | None = None) -> Shift:
    """Unassign: the shift stays as cancelled, so phones that subscribed remove it."""
    now = _utc(now)
    if not shift.is_planned:
        raise ConflictError(_("This shift is cancelled already."))
    shift.status, shift.sequence, shift.updated_at = ShiftStatus.CANCELLED, shift.sequence + 1, now
    audit(actor, "shift.cancel", shift, _shift_data(shift), now=now)
    return shift


@dataclass
class FillResult:
    created: list[Shift] = field(default_factory=list)
    existing: int = 0
    holidays: list[tuple[date, str]] = field(default_factory=list)


def plan_week(actor: Actor, monday: date, *, now: datetime | None = None) -> FillResult:
    """Create the week's shifts from the active templates for their trainees.

    Shifts that exist already are left alone (filling twice changes nothing); public holidays
    are skipped and reported.
    """
    now = _utc(now)
    monday = week_start(monday)
    result = FillResult()
    existing = {
        (s.user_id, s.station_id, s.starts_at, s.ends_at): s
        for s in shifts_between(monday, monday + timedelta(days=6), include_cancelled=True)
    }
    for template in list_templates(include_inactive=False):
        if not template.station.is_active:
            continue
        for weekday in template.weekdays:
            day = monday + timedelta(days=weekday)
            name = holiday_name(day)
            if name:
                if (day, name) not in result.holidays:
                    result.holidays.append((day, name))
                continue
            start, end = shift_bounds(day, template.starts_at, template.ends_at)
            for member in template.members:
                if not member.is_active_account:
                    continue
                if (member.id, template.station_id, start, end) in existing:
                    result.existing += 1
                    continue
                shift = Shift(
                    user_id=member.id,
                    station_id=template.station_id,
                    day=day,
                    starts_at=start,
                    ends_at=end,
                    status=ShiftStatus.PLANNED,
                    template_id=template.id,
                    sequence=0,
                    created_at=now,
                    updated_at=now,
                )
                db.session.add(shift)
                existing[(member.id, template.station_id, start, end)] = shift
                result.created.append(shift)
    db.session.flush()
    audit(
        actor,
        "shift.plan_week",
        None,
        {"week": monday.isoformat(), "created": [s.id for s in result.created]},
        now=now,
    )
    return result


# ---------------------------------------------------------------- planning warnings


@dataclass(frozen=True)
class PlanWarning:
    kind: str  # over_hours | off_day | overlap | absence | empty_station | holiday |
    #            no_agreement | outside_agreement | max_duration
    message: str
    day: date | None = None
    user_id: int | None = None
    station_id: int | None = None
    shift_ids: tuple[int, ...] = ()


def absences_between(
    user_ids: Iterable[int] | None, first: date, last: date
) -> dict[int, list[tuple[date, date, AttendanceEntry]]]:
    """Recorded absences touching [first, last], as (from, until, entry) by user. A sick note
    with a certificate covers the days up to its until-date."""
    horizon = first - timedelta(days=366)
    entries = effective_entries(user_ids, horizon, last)
    found: dict[int, list] = defaultdict(list)
    for (user_id, day), entry in entries.items():
        if entry.code not in ABSENT_CODES or entry.code == AttendanceCode.PUBLIC_HOLIDAY:
            continue
        until = max(day, entry.certificate_until or day)
        if until >= first:
            found[user_id].append((day, until, entry))
    return found


def plan_warnings(
    first: date, last: date, *, shifts: list[Shift] | None = None, user_ids: Iterable[int] | None = None
) -> list[PlanWarning]:
    """Everything the planner should look at in [first, last] (normally one week)."""
    if shifts is None:
        shifts = shifts_between(first, last, user_ids=user_ids)
    people = {s.user_id for s in shifts}
    agreements = agreements_between(people, first, last) if people else {}
    absences = absences_between(people, first, last) if people else {}
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(people)))}
    warnings: list[PlanWarning] = []

    by_user: dict[int, list[Shift]] = defaultdict(list)
    for shift in shifts:
        by_user[shift.user_id].append(shift)
    for user_id, own in by_user.items():
        name = users[user_id].short_name
        mine = agreements.get(user_id, [])
        for shift in own:
            agreement = covering(mine, shift.day)
            label = day_label(shift.day)
            holiday = holiday_name(shift.day)
            if holiday:
                warnings.append(
                    PlanWarning(
                        "holiday",
                        _(
                            "%(name)s: planned on a public holiday (%(holiday)s, %(day)s).",
                            name=name,
                            holiday=holiday,
                            day=label,
                        ),
                        shift.day,
                        user_id,
                        shift.station_id,
                        (shift.id,),
                    )
                )
            if agreement is None:
                outside = [
                    a for a in mine if a.starts_on > shift.day or (a.ends_on and a.ends_on < shift.day)
                ]
                if outside or agreements_for(user_id):
                    warnings.append(
                        PlanWarning(
                            "outside_agreement",
                            _("%(name)s: %(day)s is outside the agreement.", name=name, day=label),
                            shift.day,
                            user_id,
                            shift.station_id,
                            (shift.id,),
                        )
                    )
                else:
                    warnings.append(
                        PlanWarning(
                            "no_agreement",
                            _(
                                "%(name)s has no agreement yet (hours, days). Please ask the "
                                "coordination.",
                                name=name,
                            ),
                            shift.day,
                            user_id,
                            shift.station_id,
                            (shift.id,),
                        )
                    )
                continue
            if shift.day.weekday() not in agreement.workdays:
                warnings.append(
                    PlanWarning(
                        "off_day",
                        _("%(name)s: %(day)s is not an agreed workday.", name=name, day=label),
                        shift.day,
                        user_id,
                        shift.station_id,
                        (shift.id,),
                    )
                )
            if agreement.max_months:
                limit = months_after(agreement.starts_on, agreement.max_months)
                if shift.day >= limit:
                    warnings.append(
                        PlanWarning(
                            "max_duration",
                            _(
                                "%(name)s: on %(day)s the measure is longer than %(months)s months "
                                "(started %(start)s).",
                                name=name,
                                day=label,
                                months=agreement.max_months,
                                start=day_label(agreement.starts_on),
                            ),
                            shift.day,
                            user_id,
                            shift.station_id,
                            (shift.id,),
                        )
                    )
            for start, until, entry in absences.get(user_id, []):
                if start <= shift.day <= until:
                    warnings.append(
                        PlanWarning(
                            "absence",
                            _(
                                "%(name)s: planned on %(day)s, but recorded as absent (%(code)s).",
                                name=name,
                                day=label,
                                code=code_label(entry.code),
                            ),
                            shift.day,
                            user_id,
                            shift.station_id,
                            (shift.id,),
                        )
                    )
                    break
        ordered = sorted(own, key=lambda s: s.starts_at)
        for a, b in zip(ordered, ordered[1:], strict=False):
            if b.starts_at < a.ends_at:
                warnings.append(
                    PlanWarning(
                        "overlap",
                        _(
                            "%(name)s: two shifts at the same time on %(day)s.",
                            name=name,
                            day=day_label(b.day),
                        ),
                        b.day,
                        user_id,
                        b.station_id,
                        (a.id, b.id),
                    )
                )
        # weekly hours, week by week (Monday to Sunday)
        weeks: dict[date, int] = defaultdict(int)
        for shift in own:
            weeks[week_start(shift.day)] += planned_minutes(shift)
        for monday, minutes in sorted(weeks.items()):
            week = [s for s in own if week_start(s.day) == monday]
            agreement = next((a for s in week if (a := covering(mine, s.day))), None)
            if agreement and minutes > agreement.weekly_minutes:
                warnings.append(
                    PlanWarning(
                        "over_hours",
                        _(
                            "%(name)s: %(planned)s h planned in the week of %(day)s, only %(agreed)s h "
                            "agreed.",
                            name=name,
                            planned=hours_text(minutes),
                            agreed=hours_text(agreement.weekly_minutes),
                            day=day_label(monday),
                        ),
                        None,
                        user_id,
                        None,
                        tuple(s.id for s in week),
                    )
                )
    # stations without anyone
    staffed = {(s.station_id, s.day) for s in shifts}
    if user_ids is None:
        for station in list_stations():
            day = first
            while day <= last:
                if (
                    day.weekday() in station.staffed_weekdays
                    and (station.id, day) not in staffed
                    and not holiday_name(day)
                ):
                    warnings.append(
                        PlanWarning(
                            "empty_station",
                            _(
                                "%(station)s: nobody planned on %(day)s.",
                                station=station.name,
                                day=day_label(day),
                            ),
                            day,
                            None,
                            station.id,
                        )
                    )
                day += timedelta(days=1)
    order = [
        "over_hours",
        "overlap",
        "absence",
        "off_day",
        "max_duration",
        "outside_agreement",
        "no_agreement",
        "holiday",
        "empty_station",
    ]
    return sorted(
        warnings,
        key=lambda w: (
            order.index(w.kind),
            w.day or first,
            users[w.user_id].short_name if w.user_id else "",
        ),
    )


@dataclass
class WeekPlan:
    monday: date
    days: list[date]
    holidays: dict[date, str]
    stations: list[Station]
    cells: dict[tuple[int, date], list[Shift]]
    warnings: list[PlanWarning]
    hours: list[tuple[User, int, Agreement | None]]  # planned minutes per trainee

    @property
    def flagged(self) -> dict[int, list[str]]:
        """Warnings by shift id, to mark the shifts in the grid."""
        found: dict[int, list[str]] = defaultdict(list)
        for warning in self.warnings:
            for shift_id in warning.shift_ids:
                found[shift_id].append(warning.message)
        return found

    @property
    def empty_cells(self) -> set[tuple[int, date]]:
        return {(w.station_id, w.day) for w in self.warnings if w.kind == "empty_station"}

    @property
    def over_hours(self) -> set[int]:
        return {w.user_id for w in self.warnings if w.kind == "over_hours"}


def week_plan(monday: date) -> WeekPlan:
    monday = week_start(monday)
    days = [monday + timedelta(days=n) for n in range(7)]
    shifts = shifts_between(days[0], days[-1])
    stations = list_stations()
    known = {s.id for s in stations}
    for shift in shifts:  # a station switched off after planning still shows its shifts
        if shift.station_id not in known:
            stations.append(shift.station)
            known.add(shift.station_id)
    for weekend_day in (6, 5):  # the weekend only when someone works or should work then
        if (
            days[-1].weekday() == weekend_day
            and not any(s.day.weekday() == weekend_day for s in shifts)
            and not any(weekend_day in st.staffed_weekdays for st in stations)
        ):
            days = days[:-1]
    cells: dict[tuple[int, date], list[Shift]] = defaultdict(list)
    minutes: dict[int, int] = defaultdict(int)
    for shift in shifts:
        cells[(shift.station_id, shift.day)].append(shift)
        minutes[shift.user_id] += planned_minutes(shift)
    trainees = list_trainees()
    agreements = agreements_between([t.id for t in trainees], days[0], days[-1])
    hours = [
        (
            t,
            minutes.get(t.id, 0),
            covering(agreements.get(t.id, []), days[0]) or next(iter(agreements.get(t.id, [])), None),
        )
        for t in trainees
    ]
    return WeekPlan(
        monday=monday,
        days=days,
        holidays={d: h for d in days if (h := holiday_name(d))},
        stations=stations,
        cells=cells,
        warnings=plan_warnings(monday, monday + timedelta(days=6), shifts=shifts),
        hours=hours,
    )


# ---------------------------------------------------------------- clock in and out


def _recent_events(user_id: int, since: datetime) -> list[ClockEvent]:
    events = list(
        db.session.scalars(
            sa.select(ClockEvent).where(ClockEvent.user_id == user_id, ClockEvent.at >= since)
        )
    )
    ids = [e.id for e in events]
    if ids:
        events += db.session.scalars(
            sa.select(ClockEvent).where(ClockEvent.replaces_id.in_(ids), ClockEvent.at < since)
        ).all()
    return events


def open_clock_in(user_id: int, now: datetime | None = None) -> ClockEvent | None:
    """The Kommen without Gehen of the last CLOCK_OPEN_HOURS, if there is one."""
    now = _utc(now)
    limit = timedelta(hours=current_app.config["CLOCK_OPEN_HOURS"])
    for pair in reversed(worktime.pairs(_recent_events(user_id, now - 2 * limit))):
        if pair.start is None or pair.start.at > now:
            continue
        if pair.end is None and now - pair.start.at <= limit:
            return pair.start
        return None
    return None


def last_clock_event(user_id: int, now: datetime | None = None) -> ClockEvent | None:
    now = _utc(now)
    events = [
        e for e in worktime.effective(_recent_events(user_id, now - timedelta(days=2))) if e.at <= now
    ]
    return events[-1] if events else None


def _next_seq(user_id: int) -> int:
    # Unique with user_id: two tills pressing at once cannot both book (IntegrityError).
    return (
        db.session.scalar(sa.select(sa.func.max(ClockEvent.seq)).where(ClockEvent.user_id == user_id))
        or 0
    ) + 1


def clock(actor: Actor, user: User, action: str, *, now: datetime | None = None) -> ClockEvent:
    """Kommen ("in") or Gehen ("out"), pressed now. Refuses Gehen without Kommen, and Kommen twice."""
    now = _utc(now)
    if action not in ("in", "out"):
        raise ValidationError(_("Please press “Clock in” or “Clock out”."), field="action")
    if user.role != Role.TRAINEE:
        raise ValidationError(_("Only participants clock in and out."))
    if not user.is_active_account:
        raise ValidationError(_("This account is switched off."))
    open_in = open_clock_in(user.id, now)
    if action == "in" and open_in is not None:
        raise ConflictError(
            _(
                "You clocked in already at %(time)s. To leave, press “Clock out”.",
                time=clock_time(open_in.at),
            )
        )
    if action == "out" and open_in is None:
        last = last_clock_event(user.id, now)
        if last is not None and last.kind == ClockKind.IN:
            raise ConflictError(
                _(
                    "Your last clock-in (%(day)s, %(time)s) is too long ago. Please tell your "
                    "supervisor.",
                    day=day_label(to_local(last.at).date()),
                    time=clock_time(last.at),
                )
            )
        raise ConflictError(_("You have not clocked in. Press “Clock in” first."))
    event = ClockEvent(
        user_id=user.id,
        seq=_next_seq(user.id),
        kind=ClockKind(action),
        at=now,
        recorded_at=now,
        recorded_by_id=actor.user_id,
        till_id=actor.till_id,
        source=actor.source,
        address=actor.address,
    )
    db.session.add(event)
    audit(
        actor,
        f"clock.{action}",
        event,
        {"user": user.username, "at": now.isoformat(), "till_id": actor.till_id},
        now=now,
    )
    return event


def get_clock_event(event_id: int) -> ClockEvent:
    event = db.session.get(ClockEvent, event_id)
    if event is None:
        raise NotFoundError(_("This clock entry does not exist."))
    return event


def _reason(reason: str | None) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Please give a reason for the correction."), field="reason")
    return reason[:200]


def add_clock_event(
    actor: Actor, user: User, kind: str, at: datetime | None, reason: str, *, now: datetime | None = None
) -> ClockEvent:
    """A supervisor enters a forgotten Kommen or Gehen: a new entry with reason and who."""
    now = _utc(now)
    reason = _reason(reason)
    if kind not in ("in", "out"):
        raise ValidationError(_("Please choose clock-in or clock-out."), field="kind")
    if user.role != Role.TRAINEE:
        raise ValidationError(_("Only participants clock in and out."))
    if at is None:
        raise ValidationError(_("Please enter a time such as 9:00."), field="time")
    at = at.astimezone(UTC)
    if at > now:
        raise ValidationError(_("This time has not come yet."), field="time")
    event = ClockEvent(
        user_id=user.id,
        seq=_next_seq(user.id),
        kind=ClockKind(kind),
        at=at,
        recorded_at=now,
        recorded_by_id=actor.user_id,
        till_id=actor.till_id,
        source="correction",
        address=actor.address,
        reason=reason,
    )
    db.session.add(event)
    audit(
        actor,
        "clock.add",
        event,
        {"user": user.username, "kind": kind, "at": at.isoformat(), "reason": reason},
        now=now,
    )
    return event


def correct_clock_event(
    actor: Actor,
    event: ClockEvent,
    *,
    at: datetime | None = None,
    void: bool = False,
    reason: str,
    now: datetime | None = None,
) -> ClockEvent:
    """A counter-entry: the event at another time, or (void) it did not happen at all."""
    now = _utc(now)
    reason = _reason(reason)
    if event.kind == ClockKind.VOID:
        raise ValidationError(_("A removal cannot be corrected. Add the right entry instead."))
    if db.session.scalar(sa.select(ClockEvent.id).where(ClockEvent.replaces_id == event.id)):
        raise ConflictError(_("This entry was corrected already. Correct the newest one."))
    if not void:
        if at is None:
            raise ValidationError(_("Please enter a time such as 9:00."), field="time")
        at = at.astimezone(UTC)
        if at > now:
            raise ValidationError(_("This time has not come yet."), field="time")
    new = ClockEvent(
        user_id=event.user_id,
        seq=_next_seq(event.user_id),
        kind=ClockKind.VOID if void else event.kind,
        at=event.at if void else at,
        recorded_at=now,
        recorded_by_id=actor.user_id,
        till_id=actor.till_id,
        source="correction",
        address=actor.address,
        replaces_id=event.id,
        reason=reason,
    )
    db.session.add(new)
    audit(
        actor,
        "clock.correct",
        new,
        {
            "replaces": event.id,
            "kind": event.kind.value,
            "before": event.at.isoformat(),
            "after": None if void else at.isoformat(),
            "reason": reason,
        },
        now=now,
    )
    return new


def clock_events(
    user_ids: Iterable[int] | None,
    first: date,
    last: date,
    *,
    as_of: datetime | None = None,
    rows: bool = False,
) -> list:
    """Every clock row (corrections included) that may matter for [first, last]: a day more on
    both sides for night shifts, plus the counter-entries of the rows found.

    `rows`: plain result rows with the columns the working time needs (for many sheets at once,
    where building ORM objects is most of the cost).
    """
    start = local_instant(first - timedelta(days=1), time.min)
    end = local_instant(last + timedelta(days=2), time.min)
    what = (
        sa.select(
            ClockEvent.id,
            ClockEvent.user_id,
            ClockEvent.seq,
            ClockEvent.kind,
            ClockEvent.at,
            ClockEvent.recorded_at,
            ClockEvent.replaces_id,
        )
        if rows
        else sa.select(ClockEvent)
    )
    query = what.where(ClockEvent.at >= start, ClockEvent.at < end)
    if user_ids is not None:
        query = query.where(ClockEvent.user_id.in_(list(user_ids)))
    run = db.session.execute if rows else db.session.scalars
    events = list(run(query))
    ids = {e.id for e in events}
    extra = (
        [e for e in run(what.where(ClockEvent.replaces_id.in_(ids))) if e.id not in ids] if ids else []
    )
    events += extra
    if as_of is not None:
        events = [e for e in events if e.recorded_at <= as_of]
    return sorted(events, key=lambda e: (e.user_id, e.seq))


def day_clocks(
    user_ids: Iterable[int] | None,
    first: date,
    last: date,
    *,
    as_of: datetime | None = None,
    events: list[ClockEvent] | None = None,
) -> dict[tuple[int, date], worktime.DayClock]:
    """Clock pairs, worked minutes and breaks per (user, local day) in [first, last]."""
    if events is None:
        events = clock_events(user_ids, first, last, as_of=as_of)
    zone, rules = store_zone(), break_rules()
    per_user: dict[int, list[ClockEvent]] = defaultdict(list)
    for event in events:
        per_user[event.user_id].append(event)
    found = {}
    for user_id, own in per_user.items():
        for day, clock_day in worktime.by_day(own, zone, rules).items():
            if first <= day <= last:
                found[(user_id, day)] = clock_day
    return found


@dataclass(frozen=True)
class MissingClockOut:
    user: User
    event: ClockEvent

    @property
    def day(self) -> date:
        return to_local(self.event.at).date()


def missing_clock_outs(now: datetime | None = None, days: int = 31) -> list[MissingClockOut]:
    """Kommen without Gehen from an earlier day that nobody has dealt with yet (no Gehen added,
    the day not confirmed). Never filled in automatically."""
    now = _utc(now)
    today = local_today(now)
    limit = timedelta(hours=current_app.config["CLOCK_OPEN_HOURS"])
    first = today - timedelta(days=days)
    clocks = day_clocks(None, first, today)
    if not clocks:
        return []
    confirmed = effective_entries({uid for uid, _d in clocks}, first, today)
    found = []
    for (user_id, day), clock_day in clocks.items():
        if not clock_day.missing_out or (user_id, day) in confirmed:
            continue
        for pair in clock_day.pairs:
            if pair.end is None and day < today and now - pair.start.at > limit:
                found.append((user_id, pair.start))
    users = (
        {
            u.id: u
            for u in db.session.scalars(sa.select(User).where(User.id.in_({uid for uid, _e in found})))
        }
        if found
        else {}
    )
    return sorted(
        (MissingClockOut(users[uid], event) for uid, event in found),
        key=lambda m: (m.event.at, m.user.first_name),
    )


def lateness(shifts: list[Shift], clock_day: worktime.DayClock | None) -> tuple[int, int]:
    """(minutes late, minutes left early) against the day's plan; small deviations do not count."""
    if not shifts or clock_day is None or not clock_day.has_events:
        return 0, 0
    grace = int(current_app.config["LATE_GRACE_MINUTES"])
    plan_start = min(s.starts_at for s in shifts)
    plan_end = max(s.ends_at for s in shifts)
    late = early = 0
    if clock_day.first_in is not None:
        minutes = worktime.minutes_between(plan_start, clock_day.first_in)
        late = minutes if minutes > grace else 0
    if clock_day.last_out is not None and not clock_day.missing_out:
        minutes = worktime.minutes_between(clock_day.last_out, plan_end)
        early = minutes if minutes > grace else 0
    return late, early


# ---------------------------------------------------------------- attendance


def code_label(code: AttendanceCode | str) -> str:
    return str(CODE_LABELS[AttendanceCode(code)])


def _resolve(entries: Iterable[AttendanceEntry]) -> dict[tuple[int, date], AttendanceEntry]:
    """The newest entry of each chain: an entry counts unless a later one replaces it."""
    entries = list(entries)
    replaced = {e.replaces_id for e in entries if e.replaces_id is not None}
    found = {}
    for entry in sorted(entries, key=lambda e: e.id):
        if entry.id not in replaced:
            found[(entry.user_id, entry.day)] = entry
    return found


def effective_entries(
    user_ids: Iterable[int] | None,
    first: date,
    last: date,
    *,
    as_of: datetime | None = None,
    rows: bool = False,
) -> dict[tuple[int, date], AttendanceEntry]:
    """The entry that counts for each (user, day) in [first, last]; `as_of`: as it was then.
    `rows`: plain rows of id, user_id, day, code, minutes and replaces_id instead of ORM objects
    (much faster for a year of many people)."""
    e = AttendanceEntry
    query = (
        sa.select(e.id, e.user_id, e.day, e.code, e.minutes, e.replaces_id)
        if rows
        else sa.select(AttendanceEntry)
    ).where(e.day >= first, e.day <= last)
    if user_ids is not None:
        query = query.where(AttendanceEntry.user_id.in_(list(user_ids)))
    if as_of is not None:
        query = query.where(AttendanceEntry.confirmed_at <= as_of)
    return _resolve(db.session.execute(query) if rows else db.session.scalars(query))


def entry_history(user_id: int, day: date) -> list[AttendanceEntry]:
    """Every entry of the day, oldest first (the last one counts)."""
    return list(
        db.session.scalars(
            sa.select(AttendanceEntry)
            .where(AttendanceEntry.user_id == user_id, AttendanceEntry.day == day)
            .order_by(AttendanceEntry.id)
        )
    )


def closing_for(user_id: int, month: str) -> MonthClosing | None:
    """The closing of `month` that applies to the user (their own, or the one for everybody)."""
    return db.session.scalar(
        sa.select(MonthClosing)
        .where(
            MonthClosing.month == month,
            sa.or_(MonthClosing.user_id == user_id, MonthClosing.user_id.is_(None)),
        )
        .order_by(MonthClosing.closed_at)
        .limit(1)
    )


def closings_of(month: str) -> tuple[MonthClosing | None, dict[int, MonthClosing]]:
    """(the closing for everybody, {user_id: own closing}) of a month."""
    rows = db.session.scalars(sa.select(MonthClosing).where(MonthClosing.month == month)).all()
    everybody = next((c for c in rows if c.user_id is None), None)
    return everybody, {c.user_id: c for c in rows if c.user_id is not None}


def first_open_month_after(user_id: int, month: str) -> str:
    key = following_month(month)
    while closing_for(user_id, key) is not None:
        key = following_month(key)
    return key


def confirm_attendance(
    actor: Actor,
    user: User,
    day: date,
    code: AttendanceCode | str,
    *,
    minutes: int | None = None,
    note: str | None = None,
    certificate_until: date | None = None,
    reason: str | None = None,
    source: str | None = None,
    now: datetime | None = None,
) -> AttendanceEntry:
    """Confirm a day (present, with the minutes worked) or record an absence with its code.

    A confirmed day is locked: a second confirmation needs a reason and becomes a counter-entry
    that replaces the first. A day in a closed month likewise, and it is reported as a correction
    on the sheet of the next open month.
    """
    now = _utc(now)
    if user.role != Role.TRAINEE:
        raise ValidationError(_("Attendance is recorded for participants only."))
    if day is None:
        raise ValidationError(_("Please choose the day."), field="date")
    try:
        code = AttendanceCode(code)
    except ValueError:
        raise ValidationError(_("Please choose what applies to the day."), field="code") from None
    today = local_today(now)
    if code in (AttendanceCode.PRESENT, AttendanceCode.UNEXCUSED) and day > today:
        raise ValidationError(_("This day has not come yet."), field="date")
    note = " ".join((note or "").split())[:200] or None
    if code == AttendanceCode.SICK_CERTIFICATE:
        if certificate_until is None:
            raise ValidationError(_("Until when does the certificate hold?"), field="certificate_until")
        if certificate_until < day:
            raise ValidationError(_("The certificate ends before this day."), field="certificate_until")
    elif certificate_until is not None:
        raise ValidationError(
            _("Only “sick with certificate” has an until-date."), field="certificate_until"
        )
    if code == AttendanceCode.PUBLIC_HOLIDAY and not holiday_name(day):
        raise ValidationError(
            _("%(day)s is not a public holiday here.", day=day_label(day)), field="code"
        )
    break_minutes = late = early = 0
    if code == AttendanceCode.PRESENT:
        clock_day = day_clocks([user.id], day, day).get((user.id, day))
        shifts = shifts_between(day, day, user_ids=[user.id])
        if minutes is None:
            if clock_day is None or not clock_day.is_complete:
                raise ValidationError(
                    _(
                        "The clock times of this day are not complete. Please "
                        "enter the hours worked, or correct the clock times."
                    ),
                    field="hours",
                )
            minutes, break_minutes = clock_day.net, clock_day.deducted_break
        if not 0 < minutes <= MAX_SHIFT_MINUTES:
            raise ValidationError(
                _("Please enter between 0 and %(n)s hours.", n=MAX_SHIFT_MINUTES // 60), field="hours"
            )
        late, early = lateness(shifts, clock_day)
    elif minutes:
        raise ValidationError(_("Hours are recorded only for days at work."), field="hours")
    current = effective_entries([user.id], day, day).get((user.id, day))
    month = month_key(day)
    closing = closing_for(user.id, month)
    if current is not None or closing is not None:
        if not (reason or "").strip():
            message = (
                _("This month is closed. Please give a reason for the correction.")
                if closing is not None
                else _("This day is confirmed already. Please give a reason for the change.")
            )
            raise ValidationError(message, field="reason")
        reason = _reason(reason)
    else:
        reason = None
    entry = AttendanceEntry(
        user_id=user.id,
        day=day,
        code=code,
        minutes=minutes or 0,
        break_minutes=break_minutes,
        late_minutes=late,
        early_leave_minutes=early,
        certificate_until=certificate_until,
        note=note,
        confirmed_by_id=actor.user_id,
        confirmed_at=now,
        source=source or actor.source,
        replaces_id=current.id if current else None,
        reason=reason,
        reported_in=first_open_month_after(user.id, month) if closing is not None else None,
    )
    db.session.add(entry)
    audit(
        actor,
        "attendance.correct" if current or closing else "attendance.confirm",
        entry,
        {
            "user": user.username,
            "day": day.isoformat(),
            "code": code.value,
            "minutes": entry.minutes,
            "replaces": entry.replaces_id,
            "reason": reason,
            "reported_in": entry.reported_in,
        },
        now=now,
    )
    events.attendance_confirmed.send(entry, actor=actor)
    return entry


def record_absence(
    actor: Actor,
    user: User,
    first: date,
    last: date | None,
    code: AttendanceCode | str,
    *,
    certificate_until: date | None = None,
    note: str | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> list[AttendanceEntry]:
    """An absence over several days: one entry for each agreed or planned workday in [first,
    last] that has none yet (public holidays are left out)."""
    try:
        code = AttendanceCode(code)
    except ValueError:
        raise ValidationError(_("Please choose what applies to the day."), field="code") from None
    if code == AttendanceCode.PRESENT:
        raise ValidationError(_("Please choose a kind of absence."), field="code")
    last = last or certificate_until or first
    if last < first:
        raise ValidationError(_("The last day is before the first."), field="last")
    if (last - first).days > 62:
        raise ValidationError(_("Please record at most two months at once."), field="last")
    if last == first:
        return [
            confirm_attendance(
                actor,
                user,
                first,
                code,
                certificate_until=certificate_until,
                note=note,
                reason=reason,
                now=now,
            )
        ]
    agreements = agreements_between([user.id], first, last).get(user.id, [])
    planned = {s.day for s in shifts_between(first, last, user_ids=[user.id])}
    existing = effective_entries([user.id], first, last)
    created = []
    day = first
    while day <= last:
        agreement = covering(agreements, day)
        workday = day in planned or (agreement is not None and day.weekday() in agreement.workdays)
        if workday and (user.id, day) not in existing and not holiday_name(day):
            created.append(
                confirm_attendance(
                    actor,
                    user,
                    day,
                    code,
                    certificate_until=certificate_until,
                    note=note,
                    reason=reason,
                    now=now,
                )
            )
        day += timedelta(days=1)
    if not created:
        raise ValidationError(_("There is no open workday in this time."), field="last")
    return created


@dataclass
class DayRow:
    """One trainee on the supervisor's day view."""

    user: User
    shifts: list[Shift]
    clock: worktime.DayClock | None
    events: list[ClockEvent]  # every row, corrections included, oldest first
    entry: AttendanceEntry | None
    history: list[AttendanceEntry]
    agreement: Agreement | None
    late: int
    early: int
    closed: bool

    @property
    def planned(self) -> int:
        return sum(planned_minutes(s) for s in self.shifts)

    @property
    def replaced_ids(self) -> set[int]:
        return {e.replaces_id for e in self.events if e.replaces_id is not None}

    @property
    def replaced_entry_ids(self) -> set[int]:
        return {e.replaces_id for e in self.history if e.replaces_id is not None}

    @property
    def can_confirm_as_clocked(self) -> bool:
        return self.entry is None and self.clock is not None and self.clock.is_complete


def day_overview(day: date, *, now: datetime | None = None) -> list[DayRow]:
    """Everyone with a shift, a clock entry, an entry or an agreed workday on `day`."""
    trainees = list_trainees()
    ids = [t.id for t in trainees]
    shifts = shifts_between(day, day, user_ids=ids)
    events = clock_events(ids, day, day)
    clocks = day_clocks(ids, day, day, events=events)
    entries = effective_entries(ids, day, day)
    history: dict[int, list[AttendanceEntry]] = defaultdict(list)
    for entry in db.session.scalars(
        sa.select(AttendanceEntry).where(AttendanceEntry.day == day).order_by(AttendanceEntry.id)
    ):
        history[entry.user_id].append(entry)
    agreements = agreements_between(ids, day, day)
    everybody, own = closings_of(month_key(day))
    zone = store_zone()
    rows = []
    for trainee in trainees:
        mine = [s for s in shifts if s.user_id == trainee.id]
        clock_day = clocks.get((trainee.id, day))
        agreement = covering(agreements.get(trainee.id, []), day)
        agreed = agreement is not None and day.weekday() in agreement.workdays
        if not (mine or clock_day or (trainee.id, day) in entries or agreed):
            continue
        pair_ids = {
            e.id
            for p in (clock_day.pairs if clock_day else [])
            for e in (p.start, p.end)
            if e is not None
        }
        own_events = [
            e
            for e in events
            if e.user_id == trainee.id and (e.id in pair_ids or e.at.astimezone(zone).date() == day)
        ]
        late, early = lateness(mine, clock_day)
        rows.append(
            DayRow(
                user=trainee,
                shifts=mine,
                clock=clock_day,
                events=sorted(own_events, key=lambda e: e.seq),
                entry=entries.get((trainee.id, day)),
                history=history[trainee.id],
                agreement=agreement,
                late=late,
                early=early,
                closed=everybody is not None or trainee.id in own,
            )
        )
    return rows


def confirm_clocked(actor: Actor, day: date, *, now: datetime | None = None) -> list[AttendanceEntry]:
    """Confirm as clocked everyone of the day whose clock times are complete and not confirmed."""
    done = []
    for row in day_overview(day, now=now):
        if row.can_confirm_as_clocked and not row.closed:
            done.append(confirm_attendance(actor, row.user, day, AttendanceCode.PRESENT, now=now))
    return done


# ---------------------------------------------------------------- months


def close_month(
    actor: Actor, year: int, month: int, *, user: User | None = None, now: datetime | None = None
) -> MonthClosing:
    """Close a month for one trainee or for everybody. It must be over, and every planned day
    confirmed; afterwards it changes only by counter-entries (reported in the next month)."""
    now = _utc(now)
    key = f"{year:04d}-{month:02d}"
    days = month_days(year, month)
    if days[-1] >= local_today(now):
        raise ValidationError(_("The month is not over yet."), field="month")
    if user is not None and user.role != Role.TRAINEE:
        raise ValidationError(_("Months are closed for participants only."))
    if (closing_for(user.id, key) if user is not None else closings_of(key)[0]) is not None:
        raise ConflictError(_("This month is closed already."))
    user_ids = [user.id] if user is not None else None
    planned = {(s.user_id, s.day) for s in shifts_between(days[0], days[-1], user_ids=user_ids)}
    confirmed = set(effective_entries(user_ids, days[0], days[-1]))
    open_days = planned - confirmed
    if open_days:
        raise ValidationError(
            _(
                "%(n)s planned days are not confirmed yet. Please confirm them "
                "(or record the absence) first.",
                n=len(open_days),
            )
        )
    closing = MonthClosing(
        month=key, user_id=user.id if user else None, closed_by_id=actor.user_id, closed_at=now
    )
    db.session.add(closing)
    audit(
        actor,
        "attendance.close_month",
        closing,
        {"month": key, "user": user.username if user else None},
        now=now,
    )
    events.month_closed.send(closing, actor=actor)
    return closing


# ---------------------------------------------------------------- calendar links


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_calendar_token(actor: Actor, user: User, *, now: datetime | None = None) -> str:
    """A new secret calendar link for the user; the old one stops working. Shown once."""
    now = _utc(now)
    if user.role != Role.TRAINEE:
        raise ValidationError(_("Only participants have a shift calendar."))
    revoke_calendar_tokens(actor, user, now=now)
    plain = secrets.token_urlsafe(24)
    token = CalendarToken(user_id=user.id, token_hash=_digest(plain), created_at=now)
    db.session.add(token)
    audit(actor, "calendar.create", token, {"user": user.username}, now=now)
    return plain


def revoke_calendar_tokens(actor: Actor, user: User, *, now: datetime | None = None) -> int:
    now = _utc(now)
    tokens = db.session.scalars(
        sa.select(CalendarToken).where(
            CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None)
        )
    ).all()
    for token in tokens:
        token.revoked_at = now
        audit(actor, "calendar.revoke", token, {"user": user.username}, now=now)
    return len(tokens)


def active_calendar_token(user: User) -> CalendarToken | None:
    return db.session.scalar(
        sa.select(CalendarToken).where(
            CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None)
        )
    )


def user_for_calendar_token(plain: str) -> User | None:
    token = db.session.scalar(
        sa.select(CalendarToken).where(CalendarToken.token_hash == _digest(plain or ""))
    )
    if token is None or token.revoked_at is not None or not token.user.is_active_account:
        return None
    return token.user
