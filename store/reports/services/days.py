"""The day store: the figures of each closed local day, computed once from the bookings.

A day counts as closed a quarter of an hour after its end (a booking's transaction may still commit
just after midnight). Two reports filling the same day at once do not clash: rows already there are
left as they are (INSERT … ON CONFLICT DO NOTHING on both databases)."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from store.core import queue
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.reports.models import GoodsDay, PaymentsDay, ReceiptsDay, SalesDay, StoredDay
from store.reports.services import bookings
from store.reports.services.period import Period
from store.reports.services.sql import dialect

SETTLE = timedelta(minutes=15)


def last_closed_day(now: datetime | None = None) -> date:
    return local_today(as_utc(now) - SETTLE) - timedelta(days=1)


def _insert(model, rows: list[dict]) -> None:
    if not rows:
        return
    insert = postgresql.insert if dialect() == "postgresql" else sqlite.insert
    for k in range(0, len(rows), 5000):
        db.session.execute(insert(model).on_conflict_do_nothing(), rows[k : k + 5000])


def _runs(days: list[date]) -> list[Period]:
    runs: list[Period] = []
    for day in days:
        if runs and runs[-1].last + timedelta(days=1) == day:
            runs[-1] = Period(runs[-1].first, day)
        else:
            runs.append(Period(day, day))
    return runs


def store_days(run: Period, now: datetime) -> None:
    """Compute and keep the figures of the days of `run` (all closed)."""
    _insert(
        SalesDay,
        [
            {"day": d, "till_id": t, "vat_rate_bp": r, "category_id": c, "gross_cents": g, "quantity": q}
            for d, t, r, c, g, q in bookings.sales_lines(run)
        ],
    )
    _insert(
        ReceiptsDay,
        [
            {"day": d, "branch_id": b, "kind": k, "eligibility": e, "receipts": n, "gross_cents": g}
            for d, k, e, n, g, b in bookings.receipts(run)
        ],
    )
    _insert(
        PaymentsDay,
        [
            {"day": d, "branch_id": b, "method": m, "amount_cents": a}
            for d, m, a, b in bookings.payments(run)
        ],
    )
    _insert(
        GoodsDay,
        [
            {"day": d, "category_id": c, "branch_id": b, **fields}
            for (d, c, b), fields in bookings.goods(run).items()
        ],
    )
    days = [run.first + timedelta(days=n) for n in range(run.days)]
    _insert(StoredDay, [{"day": d, "stored_at": now} for d in days])


def split(period: Period, now: datetime | None = None) -> tuple[Period | None, Period | None]:
    """The period's stored part (closed days, filled now where missing) and its live part."""
    now = as_utc(now)
    upto = min(period.last, last_closed_day(now))
    if upto < period.first:
        return None, period
    stored = Period(period.first, upto)
    # the days this session saw stored already (a dashboard asks for the same days several times)
    known: set[date] = db.session.info.setdefault("reports_stored_days", set())
    wanted = {stored.first + timedelta(days=n) for n in range(stored.days)}
    if wanted <= known:
        return stored, _live(period, upto)
    have = set(
        db.session.scalars(
            sa.select(StoredDay.day).where(StoredDay.day >= stored.first, StoredDay.day <= stored.last)
        )
    )
    if len(have) < stored.days:
        missing = [
            d for d in (stored.first + timedelta(days=n) for n in range(stored.days)) if d not in have
        ]
        for run in _runs(missing):
            store_days(run, now)
    known |= wanted
    return stored, _live(period, upto)


# How far back the worker keeps the day store filled: a year and the year before it (the comparison).
KEEP_FILLED_DAYS = 2 * 366
_filled_on: date | None = None  # this process's last fill (the worker fills once a day)


def fill_closed_days(now: datetime | None = None) -> int:
    """Store every closed day of the last two years that is not stored yet, so that no one waits
    for it at the dashboard. Returns the number of days stored now."""
    now = as_utc(now)
    last = last_closed_day(now)
    first = last - timedelta(days=KEEP_FILLED_DAYS - 1)
    have = db.session.scalar(
        sa.select(sa.func.count()).select_from(StoredDay).where(StoredDay.day >= first)
    )
    missing = KEEP_FILLED_DAYS - int(have or 0)
    if missing > 0:
        split(Period(first, last), now)
    return max(missing, 0)


def fill_once_a_day(now: datetime | None = None) -> int:
    """The worker's step: fill the closed days once per local day and process (a no-op otherwise)."""
    global _filled_on
    now = as_utc(now)
    if _filled_on == last_closed_day(now):
        return 0
    if not queue.exclusive("reports fill days"):  # another worker fills; this one looks next round
        db.session.commit()
        return 0
    stored = fill_closed_days(now)
    db.session.commit()  # the worker's own step (a worker has no request transaction around it)
    _filled_on = last_closed_day(now)
    return stored


def _live(period: Period, upto: date) -> Period | None:
    return Period(upto + timedelta(days=1), period.last) if upto < period.last else None


def between(model, part: Period, branches: frozenset[int] | None = None):
    """The stored rows of the days of `part` (of these branches; None: all)."""
    days = sa.and_(model.day >= part.first, model.day <= part.last)
    if branches is None:
        return days
    if hasattr(model, "branch_id"):
        return sa.and_(days, model.branch_id.in_(sorted(branches)))
    return sa.and_(days, model.till_id.in_(bookings.tills_of(branches)))


def overlap(a: Period | None, b: Period) -> Period | None:
    if a is None:
        return None
    first, last = max(a.first, b.first), min(a.last, b.last)
    return Period(first, last) if first <= last else None


def forget_days() -> int:
    """Empty the day store (derived data); returns how many days were stored."""
    count = db.session.scalar(sa.select(sa.func.count()).select_from(StoredDay)) or 0
    for model in (SalesDay, ReceiptsDay, PaymentsDay, GoodsDay, StoredDay):
        db.session.execute(sa.delete(model))
    db.session.info.pop("reports_stored_days", None)
    return int(count)
