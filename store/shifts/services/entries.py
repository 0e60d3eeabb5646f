"""Attendance entries as they count: the newest entry of each (person, day) after corrections, a
day's history, and the absences recorded over a span of days. Entries are bookings: only ever
inserted; a correction replaces an earlier row."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from store.extensions import db
from store.shifts.labels import CODE_LABELS
from store.shifts.models import AttendanceCode, AttendanceEntry
from store.shifts.services.common import ABSENT_CODES


def code_label(code: AttendanceCode | str) -> str:
    return str(CODE_LABELS[AttendanceCode(code)])


def resolve_entries(entries: Iterable[AttendanceEntry]) -> dict[tuple[int, date], AttendanceEntry]:
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
    return resolve_entries(db.session.execute(query) if rows else db.session.scalars(query))


def entry_history(user_id: int, day: date) -> list[AttendanceEntry]:
    """Every entry of the day, oldest first (the last one counts)."""
    return list(
        db.session.scalars(
            sa.select(AttendanceEntry)
            .where(AttendanceEntry.user_id == user_id, AttendanceEntry.day == day)
            .order_by(AttendanceEntry.id)
        )
    )


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
