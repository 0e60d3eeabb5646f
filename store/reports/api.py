"""API: the five reports, for a period (from, to: ISO dates) and a grouping. Coordinators and
supervisors only. Each answer has the period's totals at the top level, the breakdown in `groups`,
and the method and units in words. The figures are of the branches the caller may see, or of the one
`branch` asked for (404 for a branch the caller does not see)."""

from datetime import date
from typing import Literal

from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from store.branches import services as branches
from store.core.access import Role
from store.core.api import Schema, api_blueprint, endpoint
from store.core.bounds import Id
from store.reports import services

bp = api_blueprint("reports_api")
READERS = (Role.SUPERVISOR, Role.COORDINATOR)


class PeriodQuery(Schema):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    first: date = Field(alias="from", description="first day (ISO date), Europe/Berlin")
    last: date = Field(alias="to", description="last day (ISO date), included")
    group: (
        Literal["day", "week", "month", "category", "payment", "till", "station", "measure", "branch"]
        | None
    ) = Field(default=None, description="how `groups` is broken down")
    branch: Id | None = Field(
        default=None, description="only this branch (id); none: every branch the caller may see"
    )


class ReportOut(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    first: date = Field(alias="from")
    last: date = Field(alias="to")
    group: str | None
    branch: int | None = Field(default=None, description="the branch of the figures; null: several")
    branch_name: str = Field(description="the branch, or 'All branches'")
    method: str = Field(description="how the figures are made, in words")
    units: dict[str, str]
    groups: list[dict]


class SalesReportOut(ReportOut):
    gross_cents: int
    net_cents: int
    receipts: int


class GoodsFlowReportOut(ReportOut):
    taken_in: int
    sold: int
    written_off: int
    in_stock: int


class EligibilityReportOut(ReportOut):
    receipts: int
    eligible_receipts: int
    gross_cents: int
    eligible_gross_cents: int


class ImpactReportOut(ReportOut):
    items: int
    kg: float
    co2e_kg: float


class HoursReportOut(ReportOut):
    minutes_attended: int


def _period(query: PeriodQuery) -> services.Period:
    return services.make_period(query.first, query.last)


def _scope(query: PeriodQuery) -> services.Scope:
    if query.branch is not None:
        branches.check_visible(current_user, query.branch)  # 404 for another's (or none)
        return services.report_scope({query.branch})
    return services.report_scope(branches.visible_ids(current_user))


def _answer(report: dict, scope: services.Scope) -> dict:
    return {**report, "branch": scope.branch_id, "branch_name": scope.label}


@endpoint(
    bp,
    "/reports/sales",
    roles=READERS,
    summary="Turnover of a period",
    query=PeriodQuery,
    response=SalesReportOut,
)
def sales(query: PeriodQuery):
    """Gross and net turnover and receipts; groups by day, week, month, category, payment or till."""
    scope = _scope(query)
    return _answer(services.sales_report(_period(query), query.group, scope.ids), scope)


@endpoint(
    bp,
    "/reports/goods-flow",
    roles=READERS,
    summary="Goods flow of a period",
    query=PeriodQuery,
    response=GoodsFlowReportOut,
)
def goods_flow(query: PeriodQuery):
    """Items taken in, sold, written off, and in stock at the end; groups by category."""
    scope = _scope(query)
    return _answer(services.goods_flow_report(_period(query), query.group, scope.ids), scope)


@endpoint(
    bp,
    "/reports/eligibility",
    roles=READERS,
    summary="Sales to entitlement-card holders (§66 AO)",
    query=PeriodQuery,
    response=EligibilityReportOut,
)
def eligibility(query: PeriodQuery):
    """Receipts and gross amount to holders of an entitlement card, against all sales."""
    scope = _scope(query)
    return _answer(services.eligibility_report(_period(query), query.group, scope.ids), scope)


@endpoint(
    bp,
    "/reports/impact",
    roles=READERS,
    summary="Environmental impact of a period",
    query=PeriodQuery,
    response=ImpactReportOut,
)
def impact(query: PeriodQuery):
    """Items sold, kg kept in use and kg CO₂e avoided; groups by category."""
    scope = _scope(query)
    return _answer(services.impact_report(_period(query), query.group, scope.ids), scope)


@endpoint(
    bp,
    "/reports/hours",
    roles=READERS,
    summary="Hours attended in a period",
    query=PeriodQuery,
    response=HoursReportOut,
)
def hours(query: PeriodQuery):
    """Minutes attended; groups by station or measure."""
    scope = _scope(query)
    return _answer(services.hours_report(_period(query), query.group, scope.ids), scope)
