"""Report pages: the dashboard (a period against the period before), the tables as CSV and XLSX,
the funders' report (PDF, XLSX) and a trainee's own till figures.

A view parses the period, calls store.reports.services, and renders or sends the file."""

from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from store.auth.models import User
from store.branches import services as branch_services
from store.branches import web as branch_web
from store.core.access import Role, roles
from store.core.audit import audit
from store.core.exports import csv_bytes
from store.core.timeutil import add_months, local_today
from store.core.web import current_actor
from store.extensions import db
from store.reports import charts, pdf, tables, xlsx
from store.reports.services import (
    Period,
    cashier_figures,
    dashboard,
    default_period,
    funders_report,
    make_period,
    month_period,
    quarter_period,
    report_scope,
)

bp = Blueprint("reports", __name__, url_prefix="/reports")

READERS = (Role.SUPERVISOR, Role.COORDINATOR)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name) or "")
    except ValueError:
        return None


def _period() -> Period:
    first, last = _day("from"), _day("to")
    if first is None and last is None:
        return default_period(local_today())
    return make_period(first, last)


def _file(data: bytes, name: str, mimetype: str) -> Response:
    return Response(
        data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/")
@roles(*READERS)
def dashboard_page():
    period = _period()
    group = request.args.get("group")
    scope = report_scope(branch_web.scope_ids())  # the header's switcher
    board = dashboard(period, group if group in ("day", "week", "month") else None, scope.ids)
    today = local_today()
    return render_template(
        "reports/dashboard.html",
        board=board,
        funders=branch_services.sees_every_branch(current_user),
        scope=scope,
        period=period,
        closed=period.is_closed(today),
        charts=charts_for(board),
        tables=tables.TABLES,
        this_month=default_period(today),
        measure_word=tables.measure_word,
        last_month=month_period(*_previous_month(today)),
    )


def _previous_month(today: date) -> tuple[int, int]:
    day = add_months(today.replace(day=1), -1)
    return day.year, day.month


def charts_for(board) -> dict:
    money = lambda cents: f"{cents / 100:,.0f} €".replace(",", ".")  # noqa: E731
    now, before = board.current, board.previous
    prev_cat = {r["key"]: r["gross_cents"] for r in before.by_category}
    prev_impact = {g["key"]: g["kg"] for g in before.impact["groups"]}
    return {
        "turnover": charts.columns(
            _("Turnover (gross) by %(group)s", group=tables.group_word(board.time_group)),
            [(r["key"], r["gross_cents"]) for r in now.by_day],
            money,
        ),
        "categories": charts.paired_bars(
            _("Turnover (gross) by category"),
            [(r["label"], r["gross_cents"], prev_cat.get(r["key"], 0)) for r in now.by_category[:8]],
            money,
        ),
        "impact": charts.paired_bars(
            _("kg kept in use by category"),
            [(g["label"], g["kg"], prev_impact.get(g["key"], 0)) for g in now.impact["groups"][:8]],
            lambda kg: f"{kg:,.1f} kg".replace(",", " "),
        ),
    }


@bp.get("/table/<name>.<fmt>")
@roles(*READERS)
def table_file(name: str, fmt: str):
    if name not in tables.TABLES or fmt not in ("csv", "xlsx"):
        abort(404)
    period = _period()
    scope = report_scope(branch_web.scope_ids())
    header, rows = tables.table_rows(name, dashboard(period, branches=scope.ids).current)
    stem = f"{name}_{period.first.isoformat()}_{period.last.isoformat()}"
    if scope.branch_id is not None:
        stem += f"_branch{scope.branch_id}"
    if fmt == "csv":
        return _file(csv_bytes(header, tables.csv_cells(rows)), stem + ".csv", "text/csv; charset=utf-8")
    return _file(xlsx.table_xlsx(str(tables.TABLES[name]), header, rows), stem + ".xlsx", XLSX)


def _funders_period(key: str) -> Period:
    try:
        year, part = key.split("-", 1)
        if part.upper().startswith("Q"):
            quarter = int(part[1:])
            if not 1 <= quarter <= 4:
                abort(404)
            return quarter_period(int(year), quarter)
        month = int(part)
        if not 1 <= month <= 12:
            abort(404)
        return month_period(int(year), month)
    except ValueError:
        abort(404)


@bp.before_request
def _funders_report_is_the_providers():
    """The funders' report counts the whole provider (its ESF+ participants are the provider's,
    not a shop's): for those who see every branch."""
    if (request.endpoint or "").startswith("reports.funders") and current_user.is_authenticated:
        if not branch_services.sees_every_branch(current_user):
            abort(403)


@bp.get("/funders")
@roles(*READERS)
def funders():
    today = local_today()
    months = [add_months(today.replace(day=1), -n) for n in range(0, 13)]
    quarters = sorted({(m.year, (m.month - 1) // 3 + 1) for m in months}, reverse=True)
    return render_template("reports/funders.html", months=months, quarters=quarters)


@bp.get("/funders/<key>.<fmt>")
@roles(*READERS)
def funders_file(key: str, fmt: str):
    if fmt not in ("pdf", "xlsx"):
        abort(404)
    period = _funders_period(key)
    report = funders_report(period)
    audit(current_actor(), "report.funders", None, {"period": key, "format": fmt})
    name = f"Bericht_{key}.{fmt}"
    if fmt == "pdf":
        return _file(pdf.funders_pdf(report), name, "application/pdf")
    return _file(xlsx.funders_xlsx(report), name, XLSX)


@bp.get("/till")
@roles(Role.TRAINEE)
def my_till():
    return _cashier_page(current_user, own=True)


@bp.get("/till/<int:user_id>")
@roles(Role.SUPERVISOR)
def cashier(user_id: int):
    person = db.get_or_404(User, user_id)
    if person.role != Role.TRAINEE:
        abort(404)
    return _cashier_page(person, own=False)


def _cashier_page(person, *, own: bool):
    period = _period()
    return render_template(
        "reports/cashier.html",
        person=person,
        own=own,
        period=period,
        figures=cashier_figures(person.id, period),
        before=cashier_figures(person.id, period.previous()),
    )
