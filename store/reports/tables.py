"""The dashboard's tables as rows for CSV and XLSX. Cells keep their type (Money, Minutes, a date,
a number), so the XLSX stores numbers and dates with a display format and the CSV writes them the
way German spreadsheets read them."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from store.core.exports import euro, safe_cell
from store.reports.services import Side
from store.shifts.labels import MEASURE_LABELS
from store.shifts.models import Measure


@dataclass(frozen=True)
class Money:
    cents: int


@dataclass(frozen=True)
class Minutes:
    minutes: int


TABLES = {
    "sales_time": _l("Turnover over time"),
    "sales_category": _l("Turnover by category"),
    "sales_payment": _l("Turnover by payment method"),
    "sales_till": _l("Turnover by till"),
    "sales_branch": _l("Turnover by branch"),
    "eligibility": _l("Sales to entitlement-card holders"),
    "goods": _l("Goods flow by category"),
    "ageing": _l("Stock by age"),
    "hours_station": _l("Hours by station"),
    "hours_measure": _l("Hours by measure"),
    "hours_branch": _l("Hours by branch"),
    "skills": _l("Skills progress"),
    "impact": _l("Environmental impact"),
}


def group_word(group: str) -> str:
    return str({"day": _l("day"), "week": _l("week"), "month": _l("month")}.get(group, group))


def payment_word(method: str) -> str:
    return str({"cash": _l("Cash"), "card": _l("Card"), "voucher": _l("Voucher")}.get(method, method))


def measure_word(key: str) -> str:
    try:
        return str(MEASURE_LABELS[Measure(key)])
    except ValueError:
        return key


def _time_cell(key: str):
    try:
        return date.fromisoformat(key)
    except ValueError:
        return key  # a week (2026-W47) or a month (2026-11)


def table_rows(name: str, side: Side) -> tuple[list[str], list[list]]:  # noqa: C901 - one branch per table
    """The header and rows of one table of a period."""
    gross, net = str(_l("Gross (€)")), str(_l("Net (€)"))
    if name == "sales_time":
        return [str(_l("Period")), gross, net], [
            [_time_cell(r["key"]), Money(r["gross_cents"]), Money(r["net_cents"])] for r in side.by_day
        ]
    if name == "sales_category":
        return [str(_l("Category")), gross, net, str(_l("Pieces"))], [
            [r["label"], Money(r["gross_cents"]), Money(r["net_cents"]), r["items"]]
            for r in side.by_category
        ]
    if name == "sales_payment":
        return [str(_l("Payment method")), gross], [
            [payment_word(r["key"]), Money(r["gross_cents"])] for r in side.by_payment
        ]
    if name == "sales_till":
        return [str(_l("Till")), gross, net], [
            [r["label"], Money(r["gross_cents"]), Money(r["net_cents"])] for r in side.by_till
        ]
    if name == "sales_branch":
        return [str(_l("Branch")), gross, net], [
            [r["label"], Money(r["gross_cents"]), Money(r["net_cents"])] for r in side.by_branch
        ]
    if name == "hours_branch":
        return [str(_l("Branch")), str(_l("Hours"))], [
            [r["key"], Minutes(r["minutes"])] for r in side.hours["by_branch"]
        ]
    if name == "eligibility":
        e = side.eligibility
        return [str(_l("Figure")), str(_l("All")), str(_l("Entitlement card"))], [
            [str(_l("Receipts")), e["receipts"], e["eligible_receipts"]],
            [gross, Money(e["gross_cents"]), Money(e["eligible_gross_cents"])],
        ]
    if name == "goods":
        return [
            str(_l("Category")),
            str(_l("Taken in")),
            str(_l("Sold")),
            str(_l("Written off")),
            str(_l("Days to sale")),
        ], [
            [g["label"], g["taken_in"], g["sold"], g["written_off"], g["days_to_sale"]]
            for g in side.goods["groups"]
        ]
    if name == "ageing":
        return [str(_l("Weeks since intake")), str(_l("Items in stock"))], [
            [a["key"], a["items"]] for a in side.goods["ageing"]
        ]
    if name in ("hours_station", "hours_measure"):
        rows = side.hours["by_station" if name == "hours_station" else "by_measure"]
        return [str(_l("Station") if name == "hours_station" else _l("Measure")), str(_l("Hours"))], [
            [r["key"] if name == "hours_station" else measure_word(r["key"]), Minutes(r["minutes"])]
            for r in rows
        ]
    if name == "skills":
        return [str(_l("Skill")), str(_l("People who rose a level"))], [
            [g["label"], g["people_rose"]] for g in side.skills["groups"]
        ]
    return [str(_l("Category")), str(_l("Pieces")), "kg", str(_l("kg CO₂e")), str(_l("Source"))], [
        [g["label"], g["items"], g["kg"], g["co2e_kg"], "; ".join(g["sources"])]
        for g in side.impact["groups"]
    ]


def csv_cells(rows: list[list]) -> list[list]:
    """Typed cells as CSV text: 12,50 for money, 4:13 for hours, 20.11.2026 for a day."""
    out = []
    for row in rows:
        cells = []
        for cell in row:
            if isinstance(cell, Money):
                cells.append(euro(cell.cents))
            elif isinstance(cell, Minutes):
                cells.append(f"{cell.minutes // 60}:{cell.minutes % 60:02d}")
            elif isinstance(cell, date):
                cells.append(cell.strftime("%d.%m.%Y"))
            elif isinstance(cell, float):
                cells.append(f"{cell}".replace(".", ","))
            elif cell is None:
                cells.append("")
            else:
                cells.append(safe_cell(cell))
        out.append(cells)
    return out


def key_figures(report) -> list[list]:
    """The funders' key figures: (label, period, period before), typed."""
    now, before = report.figures.current, report.figures.previous

    def pair(label, get) -> list:
        return [str(label), get(now), get(before)]

    return [
        pair(_l("Turnover gross (€)"), lambda s: Money(s.sales["gross_cents"])),
        pair(_l("Turnover net (€)"), lambda s: Money(s.sales["net_cents"])),
        pair(_l("Receipts"), lambda s: s.sales["receipts"]),
        pair(_l("Average basket (€)"), lambda s: Money(s.sales["average_basket_cents"])),
        pair(_l("Receipts to entitlement-card holders"), lambda s: s.eligibility["eligible_receipts"]),
        pair(
            _l("Turnover to entitlement-card holders (€)"),
            lambda s: Money(s.eligibility["eligible_gross_cents"]),
        ),
        pair(_l("Items taken in"), lambda s: s.goods["taken_in"]),
        pair(_l("Items sold"), lambda s: s.goods["sold"]),
        pair(_l("Items written off"), lambda s: s.goods["written_off"]),
        pair(_l("Items in stock at the end"), lambda s: s.goods["in_stock"]),
        pair(_l("Hours attended"), lambda s: Minutes(s.hours["minutes_attended"])),
        pair(_l("Participants present"), lambda s: s.hours["participants"]),
        pair(_l("People who rose a skill level"), lambda s: s.skills["people_rose"]),
        pair(_l("kg kept in use"), lambda s: float(s.impact["kg"])),
        pair(_l("kg CO₂e avoided"), lambda s: float(s.impact["co2e_kg"])),
    ]
