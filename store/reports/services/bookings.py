"""The grouped queries over the bookings themselves, by local day: what the day store keeps for each
closed day and what the reports read live for the days not closed yet (today).

Each row names its branch (sales: their till's; goods: the item's). `branches` narrows a live read
to those branches (None: all)."""

from collections import defaultdict
from datetime import date

import sqlalchemy as sa

from store.goods.models import Item, MovementKind, StockMovement
from store.reports.services.period import Period
from store.reports.services.sql import as_date, local_day, read, seconds_between
from store.till.models import Payment, Sale, SaleLine, Till

Branches = frozenset[int] | None


def _in(period: Period, column):
    return sa.and_(column >= period.start, column < period.end)


def _booked(period: Period, branches: Branches = None):
    booked = sa.and_(_in(period, Sale.created_at), Sale.training.is_(False))
    if branches is None:
        return booked
    return sa.and_(booked, Sale.till_id.in_(tills_of(branches)))


def tills_of(branches: frozenset[int]):
    """The ids of the tills of these branches (a subquery)."""
    return sa.select(Till.id).where(Till.branch_id.in_(sorted(branches))).scalar_subquery()


def sales_lines(period: Period, branches: Branches = None) -> list[tuple[date, int, int, int, int, int]]:
    """(day, till id, VAT rate, category id, gross cents, quantity) of the sale lines."""
    day = local_day(Sale.created_at, period.start, period.end).label("day")
    rows = read(
        sa.select(
            day,
            Sale.till_id,
            SaleLine.vat_rate_bp,
            SaleLine.category_id,
            sa.func.sum(SaleLine.total_cents),
            sa.func.sum(SaleLine.quantity),
        )
        .select_from(Sale)
        .join(SaleLine, SaleLine.sale_id == Sale.id)
        .where(_booked(period, branches))
        .group_by(day, Sale.till_id, SaleLine.vat_rate_bp, SaleLine.category_id)
    )
    return [(as_date(d), t, r, c, int(g or 0), int(q or 0)) for d, t, r, c, g, q in rows]


def receipts(period: Period, branches: Branches = None) -> list[tuple[date, str, bool, int, int, int]]:
    """(day, kind, eligibility, receipts, gross cents, branch id) of the sales."""
    day = local_day(Sale.created_at, period.start, period.end).label("day")
    rows = read(
        sa.select(
            day,
            Sale.kind,
            Sale.eligibility,
            sa.func.count(),
            sa.func.sum(Sale.total_cents),
            Till.branch_id,
        )
        .join(Till, Till.id == Sale.till_id)
        .where(_booked(period, branches))
        .group_by(day, Sale.kind, Sale.eligibility, Till.branch_id)
    )
    return [(as_date(d), _value(k), bool(e), int(n), int(g or 0), b) for d, k, e, n, g, b in rows]


def payments(period: Period, branches: Branches = None) -> list[tuple[date, str, int, int]]:
    """(day, method, amount cents, branch id) of the payments."""
    day = local_day(Sale.created_at, period.start, period.end).label("day")
    rows = read(
        sa.select(day, Payment.method, sa.func.sum(Payment.amount_cents), Till.branch_id)
        .select_from(Sale)
        .join(Payment, Payment.sale_id == Sale.id)
        .join(Till, Till.id == Sale.till_id)
        .where(_booked(period, branches))
        .group_by(day, Payment.method, Till.branch_id)
    )
    return [(as_date(d), _value(m), int(a or 0), b) for d, m, a, b in rows]


def _value(enum_or_text) -> str:
    return str(getattr(enum_or_text, "value", enum_or_text))


GOODS_FIELDS = ("taken_in", "sold", "written_off", "sold_seconds", "sold_counted")


def item_of(branches: Branches):
    """Items of these branches (None: all)."""
    return sa.true() if branches is None else Item.branch_id.in_(sorted(branches))


def goods(period: Period, branches: Branches = None) -> dict[tuple[date, int, int], dict[str, int]]:
    """(day, category id, branch id) → taken in, sold, written off, and the seconds from intake to
    sale of the items sold (with their count), from the items (their branch now) and the ledger."""
    result: dict = defaultdict(lambda: dict.fromkeys(GOODS_FIELDS, 0))
    taken = local_day(Item.taken_in_at, period.start, period.end).label("day")
    for d, cid, b, n in read(
        sa.select(taken, Item.category_id, Item.branch_id, sa.func.count())
        .where(_in(period, Item.taken_in_at), item_of(branches))
        .group_by(taken, Item.category_id, Item.branch_id)
    ):
        result[(as_date(d), cid, b)]["taken_in"] += int(n)
    moved = local_day(StockMovement.at, period.start, period.end).label("day")
    kinds = [MovementKind.SALE, MovementKind.RETURN, MovementKind.WRITE_OFF, MovementKind.CORRECTION]
    for d, cid, b, kind, qty in read(
        sa.select(
            moved,
            Item.category_id,
            Item.branch_id,
            StockMovement.kind,
            sa.func.sum(StockMovement.quantity),
        )
        .join(Item, Item.id == StockMovement.item_id)
        .where(_in(period, StockMovement.at), StockMovement.kind.in_(kinds), item_of(branches))
        .group_by(moved, Item.category_id, Item.branch_id, StockMovement.kind)
    ):
        kind = MovementKind(kind)
        target = "sold" if kind in (MovementKind.SALE, MovementKind.RETURN) else "written_off"
        result[(as_date(d), cid, b)][target] -= int(qty or 0)
    for d, cid, b, n, seconds in read(
        sa.select(
            moved,
            Item.category_id,
            Item.branch_id,
            sa.func.count(),
            sa.func.sum(seconds_between(StockMovement.at, Item.taken_in_at)),
        )
        .join(Item, Item.id == StockMovement.item_id)
        .where(_in(period, StockMovement.at), StockMovement.kind == MovementKind.SALE, item_of(branches))
        .group_by(moved, Item.category_id, Item.branch_id)
    ):
        row = result[(as_date(d), cid, b)]
        row["sold_counted"] += int(n)
        row["sold_seconds"] += int(round(float(seconds or 0)))
    return dict(result)
