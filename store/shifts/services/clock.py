"""Clocking in and out (Kommen / Gehen): pressing at a till or by badge, entries a supervisor adds
or corrects (counter-entries with a reason), and reading the clock rows back as worked time per
day, missing clock-outs and lateness. Clock events are bookings: only ever inserted."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from store.auth.models import User
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from store.core.timeutil import as_utc, local_today, store_zone, to_local
from store.extensions import db
from store.shifts import worktime
from store.shifts.models import ClockEvent, ClockKind, Shift
from store.shifts.services.common import break_rules, correction_reason
from store.shifts.services.days import check_range, clock_time, day_label, local_instant
from store.shifts.services.entries import effective_entries
from store.shifts.services.people import trainee_by_badge

# ---------------------------------------------------------------- pressing the buttons


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
    now = as_utc(now)
    limit = timedelta(hours=current_app.config["CLOCK_OPEN_HOURS"])
    for pair in reversed(worktime.pairs(_recent_events(user_id, now - 2 * limit))):
        if pair.start is None or pair.start.at > now:
            continue
        if pair.end is None and now - pair.start.at <= limit:
            return pair.start
        return None
    return None


def last_clock_event(user_id: int, now: datetime | None = None) -> ClockEvent | None:
    now = as_utc(now)
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
    now = as_utc(now)
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


def clock_by_badge(actor: Actor, badge: str, action: str, *, now: datetime | None = None) -> ClockEvent:
    """Kommen or Gehen for the trainee with this badge. A trainee may press only for themselves."""
    user = trainee_by_badge(badge)
    if actor.user is not None and actor.user.role == Role.TRAINEE and user.id != actor.user.id:
        raise PermissionDeniedError("a trainee may clock only with their own badge")
    return clock(actor, user, action, now=now)


# ---------------------------------------------------------------- corrections


def get_clock_event(event_id: int) -> ClockEvent:
    event = db.session.get(ClockEvent, event_id)
    if event is None:
        raise NotFoundError(_("This clock entry does not exist."))
    return event


def add_clock_event(
    actor: Actor, user: User, kind: str, at: datetime | None, reason: str, *, now: datetime | None = None
) -> ClockEvent:
    """A supervisor enters a forgotten Kommen or Gehen: a new entry with reason and who."""
    now = as_utc(now)
    reason = correction_reason(reason)
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
    now = as_utc(now)
    reason = correction_reason(reason)
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


def corrected_time(event: ClockEvent, moment: time | None) -> datetime | None:
    """The instant a time of day typed to correct `event` means: on the event's local day, or on
    the next day when that is more than 12 hours before the event (a night shift's Gehen after
    midnight)."""
    if moment is None:
        return None
    at = local_instant(to_local(event.at).date(), moment)
    if at < event.at - timedelta(hours=12):
        at += timedelta(days=1)
    return at


def added_time(user_id: int, day: date, kind: str, moment: time | None) -> datetime | None:
    """The instant a forgotten Kommen or Gehen typed for `day` means: a Gehen at or before the
    day's open Kommen is after midnight, on the next day."""
    if moment is None:
        return None
    at = local_instant(day, moment)
    if kind == "out":
        clock_day = day_clocks([user_id], day, day).get((user_id, day)) or worktime.DayClock(day)
        open_in = next((p.start for p in clock_day.pairs if p.end is None), None)
        if open_in is not None and at <= open_in.at:
            at += timedelta(days=1)
    return at


# ---------------------------------------------------------------- reading the clock


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
    now = as_utc(now)
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


def clock_event_range(
    first: date | None, last: date | None, *, today: date | None = None
) -> tuple[date, date]:
    """The days a list of clock entries covers: by default today only."""
    first = first or today or local_today()
    last = last or first
    check_range(first, last)
    return first, last


def clock_events_on(user_id: int, first: date, last: date) -> list[ClockEvent]:
    """One person's clock rows of the local days [first, last], with their counter-entries."""
    events: list[ClockEvent] = clock_events([user_id], first, last)
    kept = {e.id for e in events if first <= to_local(e.at).date() <= last}
    return [e for e in events if e.id in kept or e.replaces_id in kept]
