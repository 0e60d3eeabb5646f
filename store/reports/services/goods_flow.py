"""The goods flow: items taken in, sold, written off and still in stock; how long items wait in
stock at the end of the period (ageing buckets); days from intake to sale by category.

Read from the stock ledger (store.goods): a sale is −1, a return +1, a write-off −1 and its
correction +1. Counted articles of the price list are not items and do not count here. Refusals at
intake are not recorded by the store, so the report cannot show them.
"""

from collections import defaultdict
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from store.core.timeutil import as_utc, local_today
from store.goods.models import Item, ItemStatus, MovementKind, StockMovement
from store.goods.services import FactorTable
from store.reports.models import GoodsDay
from store.reports.services import bookings, days
from store.reports.services.bookings import Branches
from store.reports.services.period import Period
from store.reports.services.sales import category_labels
from store.reports.services.sql import read, read_scalar

GOODS_METHOD = _l(
    "Donated items (one label each) from the stock ledger: taken in = items taken in during the period; "
    "sold = sales less returns; written off = write-offs less their corrections; in stock = items in "
    "stock at the end of the period. Ageing: items in stock at the end by weeks since intake. Days to "
    "sale: mean days from intake to sale of the items sold in the period. Refusals at intake are not "
    "recorded."
)
AGEING_WEEKS = (4, 8, 12)


def _flow(period: Period, now, branches: Branches = None) -> dict[int, dict[str, int]]:
    """category id → taken in, sold, written off, seconds to sale and items counted in them (of the
    items of `branches`; None: all)."""
    sums: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(bookings.GOODS_FIELDS, 0))
    stored, live = days.split(period, now)
    if stored is not None:
        columns = [getattr(GoodsDay, f) for f in bookings.GOODS_FIELDS]
        for cid, *values in read(
            sa.select(GoodsDay.category_id, *[sa.func.sum(c) for c in columns])
            .where(days.between(GoodsDay, stored, branches))
            .group_by(GoodsDay.category_id)
        ):
            for field, value in zip(bookings.GOODS_FIELDS, values, strict=True):
                sums[cid][field] += int(value or 0)
    if live is not None:
        for (_day, cid, _branch), fields in bookings.goods(live, branches).items():
            for field, value in fields.items():
                sums[cid][field] += value
    return sums


def _net_after(period: Period, now, branches: Branches = None) -> int:
    """Items in, less items out, from the day after the period to today (day store and live)."""
    today = local_today(as_utc(now))
    if period.last >= today:
        return 0
    flow = _flow(Period(period.last + timedelta(days=1), today), now, branches)
    return sum(f["taken_in"] - f["sold"] - f["written_off"] for f in flow.values())


def goods_flow(
    period: Period,
    factors: FactorTable | None = None,
    *,
    now=None,
    with_ageing: bool = True,
    branches: Branches = None,
) -> dict:
    """Totals and per top-level category: taken in, sold, written off; in stock (and its ageing);
    of the items of `branches` (None: every branch)."""
    factors = factors or FactorTable()
    per: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(bookings.GOODS_FIELDS, 0))
    for cid, fields in _flow(period, now, branches).items():
        target = per[factors.top_level(cid)]
        for field, value in fields.items():
            target[field] += value
    now_in_stock = read_scalar(
        sa.select(sa.func.count())
        .select_from(Item)
        .where(Item.status == ItemStatus.IN_STOCK, bookings.item_of(branches))
    )
    labels = category_labels(per, factors)
    groups = [
        {
            "key": str(cid),
            "label": labels.get(cid, str(cid)),
            "taken_in": row["taken_in"],
            "sold": row["sold"],
            "written_off": row["written_off"],
            "days_to_sale": _days(row["sold_seconds"], row["sold_counted"]),
        }
        for cid, row in sorted(per.items(), key=lambda kv: labels.get(kv[0], ""))
    ]
    return {
        "taken_in": sum(g["taken_in"] for g in groups),
        "sold": sum(g["sold"] for g in groups),
        "written_off": sum(g["written_off"] for g in groups),
        "in_stock": int(now_in_stock) - _net_after(period, now, branches),
        "days_to_sale": _days(
            sum(r["sold_seconds"] for r in per.values()), sum(r["sold_counted"] for r in per.values())
        ),
        "ageing": ageing(period, branches) if with_ageing else [],
        "refusals": None,
        "groups": groups,
    }


def _days(seconds: int, count: int) -> float | None:
    return round(seconds / count / 86400, 1) if count else None


def ageing(period: Period, branches: Branches = None) -> list[dict]:
    """Items in stock at the end of the period by weeks since intake: under 4, 4–8, 8–12, 12 and more.

    In stock at the end: in stock now, or sold or written off after the end (a return after the end
    counts as if the item had not been sold)."""
    end = period.end
    limits = [end - timedelta(weeks=w) for w in AGEING_WEEKS]
    bucket = sa.case(
        (Item.taken_in_at > limits[0], 0),
        (Item.taken_in_at > limits[1], 1),
        (Item.taken_in_at > limits[2], 2),
        else_=3,
    ).label("bucket")
    in_stock = sa.select(bucket, sa.func.count()).where(
        Item.status == ItemStatus.IN_STOCK, Item.taken_in_at < end, bookings.item_of(branches)
    )
    left_after = (
        sa.select(bucket, sa.func.count(sa.distinct(Item.id)))
        .join(StockMovement, StockMovement.item_id == Item.id)
        .where(
            StockMovement.at >= end,
            StockMovement.kind.in_([MovementKind.SALE, MovementKind.WRITE_OFF]),
            Item.status != ItemStatus.IN_STOCK,
            Item.taken_in_at < end,
            bookings.item_of(branches),
        )
    )
    counts: dict[int, int] = defaultdict(int)
    for query in (in_stock, left_after):
        for index, n in read(query.group_by(bucket)):
            counts[index] += int(n)
    names = ("0-4", "4-8", "8-12", "12+")
    return [{"key": names[i], "items": int(counts.get(i, 0))} for i in range(4)]
