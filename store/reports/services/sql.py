"""Small SQL pieces that differ between SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from store.core.timeutil import store_zone
from store.extensions import db


def dialect() -> str:
    return db.session.get_bind().dialect.name


def hour_bucket(column):
    """The UTC hour of a timestamp as text 'YYYY-MM-DD HH'. The store's zone is a whole number of
    hours off UTC, so every hour belongs to exactly one local day (see `LocalDays`)."""
    if dialect() == "postgresql":
        return sa.func.to_char(sa.func.timezone("UTC", column), "YYYY-MM-DD HH24")
    return sa.func.substr(column, 1, 13)


def seconds_between(later, earlier):
    if dialect() == "postgresql":
        return sa.func.extract("epoch", later - earlier)
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0


class LocalDays:
    """Hour buckets → local dates, each bucket converted once."""

    def __init__(self) -> None:
        self.zone = store_zone()
        self.seen: dict[str, date] = {}

    def __call__(self, bucket: str) -> date:
        day = self.seen.get(bucket)
        if day is None:
            moment = datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=UTC)
            day = self.seen[bucket] = moment.astimezone(self.zone).date()
        return day


def week_key(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
