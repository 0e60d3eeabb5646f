"""Time: stored as aware UTC, shown in the store's zone (Europe/Berlin by default)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


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
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return local_day_bounds(first)[0], local_day_bounds(following)[0]
