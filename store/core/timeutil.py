"""Time: stored as aware UTC, shown in the store's zone (Europe/Berlin by default)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from flask import current_app


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


def as_utc(moment: datetime | None = None) -> datetime:
    """The given instant (default: now) as an aware UTC datetime. Services take `now=None` and
    start with `now = as_utc(now)`; two instants in UTC subtract by real time, not wall clocks."""
    return (moment or utcnow()).astimezone(UTC)


def store_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["STORE_TIMEZONE"])


def to_local(moment: datetime) -> datetime:
    """An aware UTC datetime in the store's zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(store_zone())


def local_today(now: datetime | None = None) -> date:
    return to_local(now or utcnow()).date()


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC start and end of a calendar day in the store's zone (23, 24 or 25 hours)."""
    zone = store_zone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The UTC start and end of a calendar month in the store's zone."""
    first, last = month_days_range(year, month)
    return local_day_bounds(first)[0], local_day_bounds(last)[1]


# ---------------------------------------------------------------- months (calendar arithmetic)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's end: 31 Jan + 1 → 28/29 Feb."""
    return day + relativedelta(months=months)


def month_days_range(year: int, month: int) -> tuple[date, date]:
    """The first and the last day of a month."""
    first = date(year, month, 1)
    return first, first + relativedelta(months=1, days=-1)


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """Every (year, month) from the month of `first` to the month of `last`, both included."""
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append((day.year, day.month))
        day += relativedelta(months=1)
    return months


def month_key(year: int, month: int) -> str:
    """(2026, 3) → '2026-03'."""
    return f"{year:04d}-{month:02d}"


def following_month(year: int, month: int) -> tuple[int, int]:
    day = date(year, month, 1) + relativedelta(months=1)
    return day.year, day.month
