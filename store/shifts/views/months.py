"""The monthly hours sheets: everybody's month, one person's sheet (the trainee's own too), their
PDF/XLSX/CSV files, and closing a month."""

from datetime import date
from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from store.branches import services as branches
from store.branches import web as branch_web
from store.core import timeutil
from store.core.access import Role, roles
from store.core.timeutil import add_months, local_today
from store.core.web import attempt, current_actor
from store.shifts import exports, services, sheets
from store.shifts.forms import CloseMonthForm
from store.shifts.views.common import CONFIRMERS, KEEPERS, attendance_bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month() -> tuple[int, int]:
    return services.month_or_current(request.args.get("month"))


def _month_nav(year: int, month: int) -> dict:
    first = date(year, month, 1)
    return {
        "previous": services.month_key(add_months(first, -1)),
        "next": services.month_key(add_months(first, 1)),
        "key": services.month_key(first),
        "first": first,
    }


def _download(body: bytes, name: str, mimetype: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


def _file_name(sheet_or_key, user=None) -> str:
    key = sheet_or_key if isinstance(sheet_or_key, str) else sheet_or_key.key
    who = f"-{user.username}" if user is not None else ""
    return f"stundennachweis-{key}{who}"


# ---------------------------------------------------------------- everybody's month


@attendance_bp.get("/hours")
@roles(*CONFIRMERS)
def months():
    year, month = _month()
    trainees = services.trainees_of(branch_web.scope_ids(), include_inactive=True)  # the switcher
    all_sheets = sheets.month_sheets(trainees, year, month)
    shown = [s for s in all_sheets if s.agreements or s.confirmed or s.planned]
    nav = _month_nav(year, month)
    everybody, _own = services.closings_of(nav["key"])
    return render_template(
        "shifts/months.html",
        sheets=shown,
        nav=nav,
        everybody=everybody,
        month_title=exports.month_title(all_sheets[0]) if all_sheets else nav["key"],
        close_form=CloseMonthForm(formdata=None, month=nav["key"]),
        closable=everybody is None and services.month_is_over(year, month),
    )


def _month_files(kind: str):
    year, month = _month()
    all_sheets = sheets.sheets_for_files(year, month, branch_web.scope_ids())
    name = _file_name(timeutil.month_key(year, month))
    if kind == "pdf":
        return _download(exports.sheet_pdf(all_sheets), name + ".pdf", "application/pdf")
    if kind == "xlsx":
        return _download(exports.month_xlsx(all_sheets), name + ".xlsx", XLSX)
    return _download(exports.month_csv(all_sheets), name + ".csv", "text/csv")


@attendance_bp.get("/hours.pdf")
@roles(*CONFIRMERS)
def months_pdf():
    return _month_files("pdf")


@attendance_bp.get("/hours.xlsx")
@roles(*CONFIRMERS)
def months_xlsx():
    return _month_files("xlsx")


@attendance_bp.get("/hours.csv")
@roles(*CONFIRMERS)
def months_csv():
    return _month_files("csv")


@attendance_bp.post("/hours/close")
@roles(*KEEPERS)
def close():
    form = CloseMonthForm()
    user = None
    with attempt() as done:
        year, month = services.parse_month(form.month.data)
        user = (
            services.get_trainee(int(form.user_id.data)) if (form.user_id.data or "").isdigit() else None
        )
        services.close_month(current_actor(), year, month, user=user)
    if done:
        flash(
            _(
                "%(month)s is closed. Changes from now on are listed as corrections on the next sheet.",
                month=timeutil.month_key(year, month),
            ),
            "success",
        )
    else:
        year, month = services.month_or_current(form.month.data)
        user = None
    key = timeutil.month_key(year, month)
    if user is not None:
        return redirect(url_for("attendance.sheet", user_id=user.id, month=key))
    return redirect(url_for("attendance.months", month=key))


# ---------------------------------------------------------------- one person's sheet


def render_sheet(user, *, own: bool):
    year, month = _month()
    sheet = sheets.month_sheet(user, year, month)
    nav = _month_nav(year, month)
    return render_template(
        "shifts/sheet.html",
        sheet=sheet,
        nav=nav,
        own=own,
        today=local_today(),
        month_title=exports.month_title(sheet),
        close_form=CloseMonthForm(formdata=None, month=nav["key"], user_id=user.id),
        closable=not own and sheet.closing is None and services.month_is_over(year, month),
        later=sorted({e.reported_in for e in sheets.later_corrections(sheet)}),
    )


def sheet_file(user, kind: str):
    year, month = _month()
    sheet = sheets.month_sheet(user, year, month)
    name = _file_name(sheet, user)
    if kind == "pdf":
        return _download(exports.sheet_pdf([sheet]), name + ".pdf", "application/pdf")
    if kind == "xlsx":
        return _download(exports.month_xlsx([sheet]), name + ".xlsx", XLSX)
    return _download(exports.sheet_csv(sheet), name + ".csv", "text/csv")


def _trainee(user_id: int):
    """A trainee who works in a branch the signed-in user sees (another branch's: 404)."""
    trainee = services.get_trainee(user_id)
    if not branches.works_in(trainee, branches.visible_ids(current_user)):
        abort(404)
    return trainee


@attendance_bp.get("/hours/<int:user_id>")
@roles(*CONFIRMERS)
def sheet(user_id: int):
    return render_sheet(_trainee(user_id), own=False)


@attendance_bp.get("/hours/<int:user_id>.pdf", defaults={"kind": "pdf"})
@attendance_bp.get("/hours/<int:user_id>.xlsx", defaults={"kind": "xlsx"})
@attendance_bp.get("/hours/<int:user_id>.csv", defaults={"kind": "csv"})
@roles(*CONFIRMERS)
def sheet_download(user_id: int, kind: str):
    return sheet_file(_trainee(user_id), kind)


@attendance_bp.get("/my/hours")
@roles(Role.TRAINEE)
def my_hours():
    return render_sheet(current_user, own=True)


@attendance_bp.get("/my/hours.pdf", defaults={"kind": "pdf"})
@attendance_bp.get("/my/hours.xlsx", defaults={"kind": "xlsx"})
@attendance_bp.get("/my/hours.csv", defaults={"kind": "csv"})
@roles(Role.TRAINEE)
def my_hours_download(kind: str):
    return sheet_file(current_user, kind)
