"""The reports' services, one module per use case. Views, the API, the PDF and the XLSX call them.

- period:     the period of a report (local days) and the one before it; grouping names
- sql:        SQL pieces that differ between SQLite and PostgreSQL (hour buckets, seconds between)
- sales:      turnover gross/net by day, week, month, category, payment, till; §66 AO eligibility
- goods_flow: taken in, sold, written off, in stock; ageing; days from intake to sale
- hours:      hours attended per station and measure; attendance rate
- skills:     people who rose a level per skill
- impact:     kg kept in use and CO₂e avoided (versioned factors of store.goods)
- cashier:    a trainee's own till figures (never in partner exports)
- bookings:   the grouped queries over the bookings, by local day
- days:       the day store: the figures of closed days, computed once
- dashboard:  the dashboard (period and period before) and the five API reports
- funders:    the funders' monthly or quarterly report (with the ESF+ counts)
- scope:      the branches a report covers (the header's switcher, the API's `branch`)
"""

from store.reports.services.cashier import cashier_figures
from store.reports.services.dashboard import (
    ELIGIBILITY_GROUPS,
    GOODS_GROUPS,
    HOURS_GROUPS,
    IMPACT_GROUPS,
    SALES_GROUPS,
    Dashboard,
    Side,
    dashboard,
    eligibility_report,
    goods_flow_report,
    hours_report,
    impact_report,
    sales_report,
)
from store.reports.services.funders import FundersReport, funders_report
from store.reports.services.period import (
    GROUPS,
    Period,
    default_period,
    make_period,
    month_period,
    quarter_period,
)
from store.reports.services.scope import Scope, report_scope

__all__ = [
    "ELIGIBILITY_GROUPS",
    "GOODS_GROUPS",
    "GROUPS",
    "HOURS_GROUPS",
    "IMPACT_GROUPS",
    "SALES_GROUPS",
    "Dashboard",
    "FundersReport",
    "Period",
    "Scope",
    "Side",
    "cashier_figures",
    "dashboard",
    "default_period",
    "eligibility_report",
    "funders_report",
    "goods_flow_report",
    "hours_report",
    "impact_report",
    "make_period",
    "month_period",
    "quarter_period",
    "report_scope",
    "sales_report",
]
