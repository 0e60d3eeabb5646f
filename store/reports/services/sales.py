"""Turnover: gross and net by day, week, month, category, payment method and till; receipts and the
average basket; the share of sales to holders of an entitlement card (§66 AO).

Training sales never count. Voids and returns are negative sales and count in the period in which
they were booked. Net is gross less the VAT contained in it, computed per VAT rate on the sum of each
group (day × till × rate), as the Z report does; net by category is rounded per category and rate.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from store.branches.models import Branch
from store.core.pricing import vat_of_gross
from store.goods.services import FactorTable
from store.reports.models import PaymentsDay, ReceiptsDay, SalesDay
from store.reports.services import bookings, days
from store.reports.services.bookings import Branches
from store.reports.services.period import Period
from store.reports.services.sql import month_key, read, week_key
from store.till.models import SaleKind, Till

SALES_METHOD = _l(
    "Sales booked at the tills in the period (Europe/Berlin days), training sales excluded; voids and "
    "returns count as negative sales when they were booked. Net = gross less the VAT contained, per "
    "VAT rate. Receipts = sales receipts less voided ones; average basket = gross / receipts."
)
ELIGIBILITY_METHOD = _l(
    "Sales to holders of an entitlement card (Sozialpass, recorded at the till) against all sales, "
    "counted as receipts and gross amount, voids and returns included (§66 AO, two-thirds rule)."
)


@dataclass
class SalesData:
    """The aggregates of one period, read once and shared by the sales, eligibility and impact
    reports."""

    period: Period
    # (local day, till id, VAT rate) → gross cents
    cells: dict[tuple[date, int, int], int] = field(default_factory=dict)
    # per part of the period (cut where an environmental factor changes):
    # (part, {(category id, VAT rate): [gross cents, quantity]})
    categories: list[tuple[Period, dict[tuple[int, int], list[int]]]] = field(default_factory=list)
    # (kind, eligibility) → [count, gross cents]
    kinds: dict[tuple[str, bool], list[int]] = field(default_factory=dict)
    payments: dict[str, int] = field(default_factory=dict)

    def net(self, gross: int, rate: int) -> int:
        return gross - vat_of_gross(gross, rate)


def load_sales(
    period: Period, factors: FactorTable | None = None, *, now=None, branches: Branches = None
) -> SalesData:
    """The period's sales aggregates: the closed days from the day store, the rest (today) live;
    of the tills of `branches` (None: every branch)."""
    data = SalesData(period)
    factors = factors or FactorTable()
    stored, live = days.split(period, now)
    parts = period.split(factors.changes_between(period.first, period.last))
    per_part: list[dict] = [defaultdict(lambda: [0, 0]) for _p in parts]
    cells: dict = defaultdict(int)
    kinds: dict = defaultdict(lambda: [0, 0])
    pays: dict = defaultdict(int)
    if stored is not None:
        for day, till_id, rate, gross in read(
            sa.select(
                SalesDay.day, SalesDay.till_id, SalesDay.vat_rate_bp, sa.func.sum(SalesDay.gross_cents)
            )
            .where(days.between(SalesDay, stored, branches))
            .group_by(SalesDay.day, SalesDay.till_id, SalesDay.vat_rate_bp)
        ):
            cells[(day, till_id, rate)] += int(gross)
        for index, part in enumerate(parts):
            sub = days.overlap(stored, part)
            if sub is None:
                continue
            for cid, rate, gross, qty in read(
                sa.select(
                    SalesDay.category_id,
                    SalesDay.vat_rate_bp,
                    sa.func.sum(SalesDay.gross_cents),
                    sa.func.sum(SalesDay.quantity),
                )
                .where(days.between(SalesDay, sub, branches))
                .group_by(SalesDay.category_id, SalesDay.vat_rate_bp)
            ):
                cell = per_part[index][(cid, rate)]
                cell[0] += int(gross)
                cell[1] += int(qty)
        for kind, eligible, n, gross in read(
            sa.select(
                ReceiptsDay.kind,
                ReceiptsDay.eligibility,
                sa.func.sum(ReceiptsDay.receipts),
                sa.func.sum(ReceiptsDay.gross_cents),
            )
            .where(days.between(ReceiptsDay, stored, branches))
            .group_by(ReceiptsDay.kind, ReceiptsDay.eligibility)
        ):
            kinds[(kind, bool(eligible))][0] += int(n)
            kinds[(kind, bool(eligible))][1] += int(gross)
        for method, amount in read(
            sa.select(PaymentsDay.method, sa.func.sum(PaymentsDay.amount_cents))
            .where(days.between(PaymentsDay, stored, branches))
            .group_by(PaymentsDay.method)
        ):
            pays[method] += int(amount)
    if live is not None:
        for day, till_id, rate, cid, gross, qty in bookings.sales_lines(live, branches):
            cells[(day, till_id, rate)] += gross
            index = max(i for i, part in enumerate(parts) if part.first <= day)
            cell = per_part[index][(cid, rate)]
            cell[0] += gross
            cell[1] += qty
        for _day, kind, eligible, n, gross, _b in bookings.receipts(live, branches):
            kinds[(kind, eligible)][0] += n
            kinds[(kind, eligible)][1] += gross
        for _day, method, amount, _b in bookings.payments(live, branches):
            pays[method] += amount
    data.cells = dict(cells)
    data.categories = [(part, dict(sums)) for part, sums in zip(parts, per_part, strict=True)]
    data.kinds = dict(kinds)
    data.payments = dict(pays)
    return data


def _count(data: SalesData, kind: str, eligible: bool | None = None) -> list[int]:
    count = gross = 0
    for (k, e), (n, g) in data.kinds.items():
        if k == kind and (eligible is None or e == eligible):
            count, gross = count + n, gross + g
    return [count, gross]


def receipts(data: SalesData, eligible: bool | None = None) -> int:
    return (
        _count(data, SaleKind.SALE.value, eligible)[0] - _count(data, SaleKind.VOID.value, eligible)[0]
    )


def totals(data: SalesData) -> dict:
    gross = sum(data.cells.values())
    net = sum(data.net(g, rate) for (_d, _t, rate), g in data.cells.items())
    count = receipts(data)
    return {
        "gross_cents": gross,
        "net_cents": net,
        "receipts": count,
        "voids": _count(data, SaleKind.VOID.value)[0],
        "returns": _count(data, SaleKind.RETURN.value)[0],
        "average_basket_cents": round(gross / count) if count else 0,
    }


def _time_key(group: str):
    return {"day": lambda d: d.isoformat(), "week": week_key, "month": month_key}[group]


def by_time(data: SalesData, group: str = "day") -> list[dict]:
    key = _time_key(group)
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (day, _till, rate), gross in data.cells.items():
        row = sums[key(day)]
        row[0] += gross
        row[1] += data.net(gross, rate)
    return [{"key": k, "gross_cents": g, "net_cents": n} for k, (g, n) in sorted(sums.items())]


def by_till(data: SalesData) -> list[dict]:
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (_day, till_id, rate), gross in data.cells.items():
        sums[till_id][0] += gross
        sums[till_id][1] += data.net(gross, rate)
    names = dict(read(sa.select(Till.id, Till.name).where(Till.id.in_(list(sums)))).all())
    return [
        {"key": str(tid), "label": names.get(tid, str(tid)), "gross_cents": g, "net_cents": n}
        for tid, (g, n) in sorted(sums.items())
    ]


def by_branch(data: SalesData) -> list[dict]:
    """Turnover per branch (Filiale): its tills' sums; together they are the total."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    tills = dict(read(sa.select(Till.id, Till.branch_id)).all())
    for (_day, till_id, rate), gross in data.cells.items():
        row = sums[tills.get(till_id, 0)]
        row[0] += gross
        row[1] += data.net(gross, rate)
    names = dict(read(sa.select(Branch.id, Branch.name)).all())
    return [
        {"key": str(bid), "label": names.get(bid, str(bid)), "gross_cents": g, "net_cents": n}
        for bid, (g, n) in sorted(sums.items(), key=lambda kv: names.get(kv[0], ""))
    ]


def category_sums(data: SalesData) -> dict[int, list[int]]:
    """category id → [gross, net, quantity] over the whole period."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for _part, cells in data.categories:
        for (cid, rate), (gross, qty) in cells.items():
            row = sums[cid]
            row[0] += gross
            row[1] += data.net(gross, rate)
            row[2] += qty
    return dict(sums)


def category_labels(ids, factors: FactorTable | None = None) -> dict[int, str]:
    factors = factors or FactorTable()
    return {cid: factors.path(cid) for cid in ids}


def by_category(data: SalesData, *, top_level: FactorTable | None = None) -> list[dict]:
    """Per category (or, with `top_level`, per top-level category), largest first."""
    sums = category_sums(data)
    if top_level is not None:
        rolled: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for cid, row in sums.items():
            target = rolled[top_level.top_level(cid)]
            for i, v in enumerate(row):
                target[i] += v
        sums = dict(rolled)
    labels = category_labels(sums, top_level)
    rows = [
        {
            "key": str(cid),
            "label": labels.get(cid, str(cid)),
            "gross_cents": g,
            "net_cents": n,
            "items": q,
        }
        for cid, (g, n, q) in sums.items()
    ]
    return sorted(rows, key=lambda r: (-r["gross_cents"], r["label"]))


def by_payment(data: SalesData) -> list[dict]:
    return [{"key": m, "gross_cents": c} for m, c in sorted(data.payments.items())]


def sales_groups(data: SalesData, group: str, factors: FactorTable | None = None) -> list[dict]:
    if group in ("day", "week", "month"):
        return by_time(data, group)
    if group == "till":
        return by_till(data)
    if group == "branch":
        return by_branch(data)
    if group == "payment":
        return by_payment(data)
    return by_category(data, top_level=factors)


def eligibility(data: SalesData) -> dict:
    """The §66 AO figures: receipts and gross to entitlement-card holders against all."""
    eligible_gross = sum(g for (_k, e), (_n, g) in data.kinds.items() if e)
    gross = sum(g for (_n, g) in data.kinds.values())
    count, eligible = receipts(data), receipts(data, True)
    return {
        "receipts": count,
        "eligible_receipts": eligible,
        "gross_cents": gross,
        "eligible_gross_cents": eligible_gross,
        "receipts_share_percent": round(100 * eligible / count, 1) if count else 0.0,
        "gross_share_percent": round(100 * eligible_gross / gross, 1) if gross else 0.0,
    }
