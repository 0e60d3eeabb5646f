"""The goods flow: items taken in, sold, written off and still in stock; how long items wait in
stock at the end of the period (ageing buckets); days from intake to sale by category.

Read from the stock ledger (store.goods): a sale is −1, a return +1, a write-off −1 and its
correction +1. Counted articles of the price list are not items and do not count here. Refusals at
intake are not recorded by the store, so the report cannot show them.
"""

from collections import defaultdict
from datetime import timedelta

import sqlalchemy as sa

from store.extensions import db
from store.goods.models import Item, ItemStatus, MovementKind, StockMovement
from store.goods.services import FactorTable
from store.reports.services.period import Period
from store.reports.services.sales import category_labels
from store.reports.services.sql import seconds_between

GOODS_METHOD = (
    "Donated items (one label each) from the stock ledger: taken in = items taken in during the period; "
    "sold = sales less returns; written off = write-offs less their corrections; in stock = items in "
    "stock at the end of the period. Ageing: items in stock at the end by weeks since intake. Days to "
    "sale: mean days from intake to sale of the items sold in the period. Refusals at intake are not "
    "recorded."
)
AGEING_WEEKS = (4, 8, 12)


def _in(period: Period, column):
    return sa.and_(column >= period.start, column < period.end)


def goods_flow(period: Period, factors: FactorTable | None = None) -> dict:
    """Totals and per top-level category: taken in, sold, written off; in stock and ageing."""
    factors = factors or FactorTable()
    per: dict[int, dict] = defaultdict(lambda: {"taken_in": 0, "sold": 0, "written_off": 0})
    for cid, n in db.session.execute(
        sa.select(Item.category_id, sa.func.count())
        .where(_in(period, Item.taken_in_at))
        .group_by(Item.category_id)
    ):
        per[factors.top_level(cid)]["taken_in"] += int(n)
    moved = db.session.execute(
        sa.select(Item.category_id, StockMovement.kind, sa.func.sum(StockMovement.quantity))
        .join(Item, Item.id == StockMovement.item_id)
        .where(
            _in(period, StockMovement.at),
            StockMovement.kind.in_(
                [MovementKind.SALE, MovementKind.RETURN, MovementKind.WRITE_OFF, MovementKind.CORRECTION]
            ),
        )
        .group_by(Item.category_id, StockMovement.kind)
    )
    for cid, kind, qty in moved:
        kind = MovementKind(kind)
        target = "sold" if kind in (MovementKind.SALE, MovementKind.RETURN) else "written_off"
        per[factors.top_level(cid)][target] -= int(qty or 0)
    now_in_stock = db.session.scalar(
        sa.select(sa.func.count()).select_from(Item).where(Item.status == ItemStatus.IN_STOCK)
    )
    since_end = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(StockMovement.quantity), 0)).where(
            StockMovement.item_id.is_not(None), StockMovement.at >= period.end
        )
    )
    days = _days_to_sale(period, factors)
    labels = category_labels(set(per) | set(days))
    groups = [
        {
            "key": str(cid),
            "label": labels.get(cid, str(cid)),
            **per.get(cid, {"taken_in": 0, "sold": 0, "written_off": 0}),
            "days_to_sale": days.get(cid),
        }
        for cid in sorted(set(per) | set(days), key=lambda c: labels.get(c, ""))
    ]
    sold = sum(g["sold"] for g in groups)
    return {
        "taken_in": sum(g["taken_in"] for g in groups),
        "sold": sold,
        "written_off": sum(g["written_off"] for g in groups),
        "in_stock": int(now_in_stock) - int(since_end),
        "days_to_sale": _mean_days(days, per),
        "ageing": ageing(period),
        "refusals": None,
        "groups": groups,
    }


def _days_to_sale(period: Period, factors: FactorTable) -> dict[int, float]:
    rows = db.session.execute(
        sa.select(
            Item.category_id,
            sa.func.count(),
            sa.func.sum(seconds_between(StockMovement.at, Item.taken_in_at)),
        )
        .join(Item, Item.id == StockMovement.item_id)
        .where(_in(period, StockMovement.at), StockMovement.kind == MovementKind.SALE)
        .group_by(Item.category_id)
    )
    sums: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])
    for cid, n, seconds in rows:
        row = sums[factors.top_level(cid)]
        row[0] += int(n)
        row[1] += float(seconds or 0)
    return {cid: round(s / n / 86400, 1) for cid, (n, s) in sums.items() if n}


def _mean_days(days: dict[int, float], per: dict[int, dict]) -> float | None:
    weights = {cid: max(per.get(cid, {}).get("sold", 0), 0) for cid in days}
    total = sum(weights.values())
    if not total:
        return None
    return round(sum(days[c] * w for c, w in weights.items()) / total, 1)


def ageing(period: Period) -> list[dict]:
    """Items in stock at the end of the period by weeks since intake: under 4, 4–8, 8–12, 12 and more.

    In stock at the end: in stock now, or sold or written off after the end (a return after the end
    counts as if the item had not been sold)."""
    end = period.end
    left_after = sa.select(StockMovement.item_id).where(
        StockMovement.at >= end,
        StockMovement.item_id.is_not(None),
        StockMovement.kind.in_([MovementKind.SALE, MovementKind.WRITE_OFF]),
    )
    limits = [end - timedelta(weeks=w) for w in AGEING_WEEKS]
    bucket = sa.case(
        (Item.taken_in_at > limits[0], 0),
        (Item.taken_in_at > limits[1], 1),
        (Item.taken_in_at > limits[2], 2),
        else_=3,
    )
    counts = dict(
        db.session.execute(
            sa.select(bucket, sa.func.count())
            .where(
                Item.taken_in_at < end,
                sa.or_(Item.status == ItemStatus.IN_STOCK, Item.id.in_(left_after)),
            )
            .group_by(bucket)
        ).all()
    )
    names = ("0-4", "4-8", "8-12", "12+")
    return [{"key": names[i], "items": int(counts.get(i, 0))} for i in range(4)]
