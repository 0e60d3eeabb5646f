"""Everything on the dashboard for a period and the period before, and the five reports of the API.

Each report is a dict: its totals at the top level, its breakdown in `groups`, its `method` in words
and its `units`. The dashboard holds the same for the period and the one before, and the change.

`branches` narrows every figure to those branches (the header's switcher: one branch, or all the
user may see); None: every branch, as for a coordinator with "All branches"."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from store.goods.services import FactorTable
from store.reports.services import sales as sales_mod
from store.reports.services.bookings import Branches
from store.reports.services.goods_flow import GOODS_METHOD, goods_flow
from store.reports.services.hours import HOURS_METHOD, hours
from store.reports.services.impact import IMPACT_METHOD, IMPACT_UNITS, impact
from store.reports.services.period import Period, check_group
from store.reports.services.sales import ELIGIBILITY_METHOD, SALES_METHOD, load_sales
from store.reports.services.skills import SKILLS_METHOD, skills_progress

SALES_GROUPS = ("day", "week", "month", "category", "payment", "till", "branch")
GOODS_GROUPS = ("category",)
IMPACT_GROUPS = ("category",)
HOURS_GROUPS = ("station", "measure", "branch")
ELIGIBILITY_GROUPS = ("day", "week", "month")

MONEY = {"gross_cents": "cents (EUR, incl. VAT)", "net_cents": "cents (EUR, excl. VAT)"}


def _frame(period: Period, group: str | None, method: str, units: dict) -> dict:
    return {
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "group": group,
        "method": str(method),
        "units": units,
    }


def sales_report(period: Period, group: str | None = None, branches: Branches = None) -> dict:
    group = check_group(group, SALES_GROUPS)
    factors = FactorTable()
    data = load_sales(period, factors, branches=branches)
    totals = sales_mod.totals(data)
    return {
        **_frame(period, group, SALES_METHOD, {**MONEY, "receipts": "receipts"}),
        **totals,
        "groups": sales_mod.sales_groups(data, group, factors),
    }


def eligibility_report(period: Period, group: str | None = None, branches: Branches = None) -> dict:
    group = check_group(group, ELIGIBILITY_GROUPS)
    data = load_sales(period, branches=branches)
    result = sales_mod.eligibility(data)
    return {
        **_frame(period, group, ELIGIBILITY_METHOD, {**MONEY, "receipts": "receipts"}),
        **result,
        "groups": [],
    }


def goods_flow_report(period: Period, group: str | None = None, branches: Branches = None) -> dict:
    group = check_group(group, GOODS_GROUPS)
    return {
        **_frame(period, group, GOODS_METHOD, {"items": "pieces", "days": "days"}),
        **goods_flow(period, branches=branches),
    }


def impact_report(period: Period, group: str | None = None, branches: Branches = None) -> dict:
    group = check_group(group, IMPACT_GROUPS)
    factors = FactorTable()
    data = load_sales(period, factors, branches=branches)
    return {**_frame(period, group, IMPACT_METHOD, IMPACT_UNITS), **impact(data, factors)}


def hours_report(period: Period, group: str | None = None, branches: Branches = None) -> dict:
    group = check_group(group, HOURS_GROUPS)
    return {
        **_frame(period, group, HOURS_METHOD, {"minutes_attended": "minutes"}),
        **hours(period, group, branches),
    }


@dataclass
class Side:
    """One period's figures on the dashboard."""

    period: Period
    sales: dict = field(default_factory=dict)
    by_day: list = field(default_factory=list)
    by_category: list = field(default_factory=list)
    by_payment: list = field(default_factory=list)
    by_till: list = field(default_factory=list)
    by_branch: list = field(default_factory=list)
    eligibility: dict = field(default_factory=dict)
    goods: dict = field(default_factory=dict)
    hours: dict = field(default_factory=dict)
    skills: dict = field(default_factory=dict)
    impact: dict = field(default_factory=dict)


def _side(
    period: Period,
    factors: FactorTable,
    time_group: str,
    *,
    ageing: bool = True,
    branches: Branches = None,
) -> Side:
    data = load_sales(period, factors, branches=branches)
    return Side(
        period=period,
        sales=sales_mod.totals(data),
        by_day=sales_mod.by_time(data, time_group),
        by_category=sales_mod.by_category(data, top_level=factors),
        by_payment=sales_mod.by_payment(data),
        by_till=sales_mod.by_till(data),
        by_branch=sales_mod.by_branch(data),
        eligibility=sales_mod.eligibility(data),
        goods=goods_flow(period, factors, with_ageing=ageing, branches=branches),
        hours=hours(period, branches=branches),
        skills=skills_progress(period, branches),
        impact=impact(data, factors),
    )


@dataclass
class Dashboard:
    current: Side
    previous: Side
    time_group: str
    methods: list

    def change(self, section: str, key: str) -> float | None:
        """Percent change of a figure against the period before (None when there was nothing)."""
        now = getattr(self.current, section).get(key)
        before = getattr(self.previous, section).get(key)
        if not before or now is None:
            return None
        return round(100 * (now - before) / abs(before), 1)


def time_group_for(period: Period) -> str:
    if period.days <= 45:
        return "day"
    if period.days <= 190:
        return "week"
    return "month"


def dashboard(period: Period, time_group: str | None = None, branches: Branches = None) -> Dashboard:
    """The dashboard of a period (and the period before) of `branches` (None: every branch)."""
    factors = FactorTable()
    group = time_group or time_group_for(period)
    return Dashboard(
        current=_side(period, factors, group, branches=branches),
        # ageing: shown for the period only
        previous=_side(period.previous(), factors, group, ageing=False, branches=branches),
        time_group=group,
        methods=[  # (heading, how it is counted), shown on the page and in the funders' PDF
            (_l("Turnover"), SALES_METHOD),
            (_l("Sales to entitlement-card holders (§66 AO)"), ELIGIBILITY_METHOD),
            (_l("Goods flow"), GOODS_METHOD),
            (_l("Hours"), HOURS_METHOD),
            (_l("Skills progress"), SKILLS_METHOD),
            (_l("Environmental impact"), IMPACT_METHOD),
        ],
    )
