"""Small SQL pieces that differ between SQLite and PostgreSQL."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from store.core.timeutil import store_zone
from store.extensions import db


def dialect() -> str:
    return db.session.get_bind().dialect.name


def replica() -> sa.Engine | None:
    """The read-only copy the reports read from, if REPORTS_DATABASE_URL names one (the bind
    "reports"); None: they read the store's own database."""
    if current_app.config.get("REPORTS_DATABASE_URL"):
        return db.engines["reports"]
    return None


def read(statement) -> sa.Result:
    """Run a report's query where reports read (the replica, if there is one). Only for reading:
    the day store is written to the store's own database."""
    engine = replica()
    return db.session.execute(statement, bind_arguments={"bind": engine} if engine else None)


def read_scalar(statement):
    """The first column of the first row of a report's query, read where reports read."""
    engine = replica()
    return db.session.scalar(statement, bind_arguments={"bind": engine} if engine else None)


def _offset(moment: datetime, zone) -> int:
    """Minutes the zone is ahead of UTC at an instant."""
    return int(moment.astimezone(zone).utcoffset().total_seconds() // 60)


def offset_spans(start: datetime, end: datetime) -> list[tuple[datetime, datetime, int]]:
    """[start, end) cut where the store's zone changes its offset (summer time): (from, to, minutes)."""
    zone = store_zone()
    spans, left, offset = [], start, _offset(start, zone)
    probe = start
    while probe < end:
        nxt = min(probe + timedelta(hours=6), end)
        if _offset(nxt, zone) != offset and nxt <= end:
            low, high = probe, nxt  # the change is in (low, high]: find the first minute of it
            while high - low > timedelta(minutes=1):
                mid = low + (high - low) / 2
                if _offset(mid, zone) == offset:
                    low = mid
                else:
                    high = mid
            cut = high.replace(second=0, microsecond=0)
            spans.append((left, cut, offset))
            left, offset = cut, _offset(cut, zone)
        probe = nxt
    spans.append((left, end, offset))
    return spans


def local_day(column, start: datetime, end: datetime):
    """The local calendar day of a timestamp, computed by the database (for rows in [start, end)).

    PostgreSQL converts with the zone itself; SQLite knows no zones, so the period is cut where the
    offset changes and each part shifts by its own offset (exact, and a few spans a year)."""
    if dialect() == "postgresql":
        return sa.cast(sa.func.timezone(store_zone().key, column), sa.Date)
    spans = offset_spans(start, end)
    if len(spans) == 1:
        return sa.func.date(column, f"{spans[0][2]:+d} minutes")
    return sa.case(
        *[(column >= a, sa.func.date(column, f"{m:+d} minutes")) for a, _b, m in reversed(spans[1:])],
        else_=sa.func.date(column, f"{spans[0][2]:+d} minutes"),
    )


def as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def seconds_between(later, earlier):
    if dialect() == "postgresql":
        return sa.func.extract("epoch", later - earlier)
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0


def week_key(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
