"""Attendance pages: the supervisor's day (confirm, absences, clock corrections), the monthly
hours sheets with their PDF/XLSX/CSV files, closing a month, and the agreements."""

from datetime import date, datetime, timedelta
from urllib.parse import quote

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from store.auth.forms import EmptyForm
from store.core.access import Role, roles
from store.core.errors import ServiceError, ValidationError
from store.core.money import parse_cents
from store.core.timeutil import local_today, to_local
from store.core.web import current_actor, show_error
from store.extensions import db
from store.shifts import exports, services, sheets
from store.shifts.forms import (
    AgreementForm,
    ClockAddForm,
    ClockFixForm,
    CloseMonthForm,
    ConfirmForm,
)
from store.shifts.models import AttendanceCode
from store.shifts.views import parse_day, ui

bp = Blueprint("attendance", __name__)
bp.context_processor(ui)

CONFIRMERS = (Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN)
KEEPERS = (Role.COORDINATOR, Role.ADMIN)


# ---------------------------------------------------------------- the day


def _confirm_form(row: services.DayRow, day: date) -> ConfirmForm:
    form = ConfirmForm(formdata=None, prefix=f"u{row.user.id}")
    if row.entry is not None:
        form.code.data = row.entry.code.value
        form.hours.data = services.hours_text(row.entry.minutes) if row.entry.minutes else ""
        form.certificate_until.data = row.entry.certificate_until
        form.note.data = row.entry.note or ""
    elif row.clock is not None:
        form.code.data = AttendanceCode.PRESENT.value
        form.hours.data = services.hours_text(row.clock.net) if row.clock.is_complete else ""
    elif services.holiday_name(day):
        form.code.data = AttendanceCode.PUBLIC_HOLIDAY.value
    return form


@bp.get("/attendance")
@roles(*CONFIRMERS)
def day():
    """Everyone of one day: plan, clock times, minutes, and the form to confirm or record."""
    today = local_today()
    shown = parse_day(request.args.get("day"), today)
    rows = services.day_overview(shown)
    return render_template(
        "shifts/day.html",
        day=shown,
        today=today,
        rows=rows,
        timedelta=timedelta,
        forms={row.user.id: _confirm_form(row, shown) for row in rows},
        fix_form=ClockFixForm(formdata=None),
        add_form=ClockAddForm(formdata=None),
        action_form=EmptyForm(),
        holiday=services.holiday_name(shown),
        missing=services.missing_clock_outs(),
        ready=sum(1 for r in rows if r.can_confirm_as_clocked and not r.closed),
    )


def _back(day: date, user_id: int | None = None):
    anchor = f"#u-{user_id}" if user_id else ""
    return redirect(url_for("attendance.day", day=day.isoformat()) + anchor)


@bp.post("/attendance/confirm")
@roles(*CONFIRMERS)
def confirm():
    user_id = request.form.get("user_id", type=int) or 0
    form = ConfirmForm(prefix=f"u{user_id}")
    shown = parse_day(request.form.get("day"))
    try:
        user = services.get_trainee(user_id)
        form.validate()
        if form.certificate_until.errors or form.last_day.errors:
            raise ValidationError(_("Please enter the date as shown, e.g. 2026-03-31."))
        minutes = services.parse_hours(form.hours.data)
        code = form.code.data
        if code and code != AttendanceCode.PRESENT.value and form.last_day.data:
            entries = services.record_absence(
                current_actor(),
                user,
                shown,
                form.last_day.data,
                code,
                certificate_until=form.certificate_until.data,
                note=form.note.data,
                reason=form.reason.data,
            )
        else:
            entries = [
                services.confirm_attendance(
                    current_actor(),
                    user,
                    shown,
                    code,
                    minutes=minutes,
                    certificate_until=form.certificate_until.data,
                    note=form.note.data,
                    reason=form.reason.data,
                )
            ]
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _back(shown, user_id)
    except IntegrityError:
        db.session.rollback()
        flash(_("Someone confirmed this day at the same moment. Please look again."), "error")
        return _back(shown, user_id)
    entry = entries[0]
    label = services.code_label(entry.code)
    if entry.code == AttendanceCode.PRESENT:
        flash(
            _(
                "%(name)s, %(day)s: %(code)s, %(hours)s h confirmed.",
                name=user.short_name,
                day=services.day_label(entry.day),
                code=label,
                hours=services.hours_text(entry.minutes),
            ),
            "success",
        )
    else:
        flash(
            _(
                "%(name)s: %(code)s recorded for %(n)s day(s).",
                name=user.short_name,
                code=label,
                n=len(entries),
            ),
            "success",
        )
    if entry.reported_in:
        flash(
            _(
                "The month is closed: this change is listed as a correction on the sheet of %(month)s.",
                month=entry.reported_in,
            ),
            "info",
        )
    return _back(shown, user_id)


@bp.post("/attendance/confirm-clocked")
@roles(*CONFIRMERS)
def confirm_clocked():
    shown = parse_day(request.form.get("day"))
    try:
        done = services.confirm_clocked(current_actor(), shown)
        db.session.commit()
    except (ServiceError, IntegrityError):
        db.session.rollback()
        flash(_("Someone confirmed this day at the same moment. Please look again."), "error")
        return _back(shown)
    flash(_("%(n)s people confirmed as clocked.", n=len(done)), "success")
    return _back(shown)


def _at(day: date, value) -> datetime | None:
    return services.local_instant(day, value) if value is not None else None


@bp.post("/attendance/clock/<int:event_id>/fix")
@roles(*CONFIRMERS)
def clock_fix(event_id: int):
    event = services.get_clock_event(event_id)
    shown = parse_day(request.form.get("day"), to_local(event.at).date())
    form = ClockFixForm()
    form.validate()
    try:
        void = form.action.data == "void"
        anchor_day = to_local(event.at).date()
        at = None if void else _at(anchor_day, form.time.data)
        if at is not None and at < event.at - timedelta(hours=12):
            at += timedelta(days=1)  # a night shift's Gehen after midnight
        services.correct_clock_event(current_actor(), event, at=at, void=void, reason=form.reason.data)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    except IntegrityError:
        db.session.rollback()
        flash(_("This entry was corrected at the same moment. Please look again."), "error")
    else:
        flash(_("The correction was saved. The first entry stays visible in the history."), "success")
    return _back(shown, event.user_id)


@bp.post("/attendance/clock/add")
@roles(*CONFIRMERS)
def clock_add():
    form = ClockAddForm()
    form.validate()
    shown = parse_day(form.day.data)
    user_id = int(form.user_id.data or 0) if (form.user_id.data or "").isdigit() else 0
    try:
        user = services.get_trainee(user_id)
        at = _at(shown, form.time.data)
        if at is not None and form.kind.data == "out":
            open_in = next(
                (
                    p.start
                    for p in (
                        services.day_clocks([user.id], shown, shown).get((user.id, shown))
                        or services.worktime.DayClock(shown)
                    ).pairs
                    if p.end is None
                ),
                None,
            )
            if open_in is not None and at <= open_in.at:
                at += timedelta(days=1)  # Gehen after midnight
        services.add_clock_event(current_actor(), user, form.kind.data, at, form.reason.data)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    except IntegrityError:
        db.session.rollback()
        flash(_("This was just recorded at another till. Please look again."), "error")
    else:
        flash(_("The entry was added."), "success")
    return _back(shown, user_id)


# ---------------------------------------------------------------- monthly sheets


def _month() -> tuple[int, int]:
    try:
        return services.parse_month(request.args.get("month"))
    except ValidationError:
        today = local_today()
        return today.year, today.month


def _month_nav(year: int, month: int) -> dict:
    first = date(year, month, 1)
    previous = first - timedelta(days=1)
    following = first + timedelta(days=32)
    return {
        "previous": f"{previous.year:04d}-{previous.month:02d}",
        "next": f"{following.year:04d}-{following.month:02d}",
        "key": f"{year:04d}-{month:02d}",
        "first": first,
    }


def _download(body: bytes, name: str, mimetype: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_name(sheet_or_key, user=None) -> str:
    key = sheet_or_key if isinstance(sheet_or_key, str) else sheet_or_key.key
    who = f"-{user.username}" if user is not None else ""
    return f"stundennachweis-{key}{who}"


@bp.get("/hours")
@roles(*CONFIRMERS)
def months():
    year, month = _month()
    all_sheets = sheets.month_sheets(services.list_trainees(include_inactive=True), year, month)
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
        may_close=current_user.role in KEEPERS
        and everybody is None
        and services.month_days(year, month)[-1] < local_today(),
    )


def _month_files(kind: str):
    year, month = _month()
    trainees = services.list_trainees(include_inactive=True)
    all_sheets = [
        s
        for s in sheets.month_sheets(trainees, year, month)
        if s.agreements or s.confirmed or s.planned or s.corrections
    ]
    name = _file_name(f"{year:04d}-{month:02d}")
    if kind == "pdf":
        return _download(exports.sheet_pdf(all_sheets), name + ".pdf", "application/pdf")
    if kind == "xlsx":
        return _download(exports.month_xlsx(all_sheets), name + ".xlsx", XLSX)
    return _download(exports.month_csv(all_sheets), name + ".csv", "text/csv")


@bp.get("/hours.pdf")
@roles(*CONFIRMERS)
def months_pdf():
    return _month_files("pdf")


@bp.get("/hours.xlsx")
@roles(*CONFIRMERS)
def months_xlsx():
    return _month_files("xlsx")


@bp.get("/hours.csv")
@roles(*CONFIRMERS)
def months_csv():
    return _month_files("csv")


@bp.post("/hours/close")
@roles(*KEEPERS)
def close():
    form = CloseMonthForm()
    try:
        year, month = services.parse_month(form.month.data)
        user = (
            services.get_trainee(int(form.user_id.data)) if (form.user_id.data or "").isdigit() else None
        )
        services.close_month(current_actor(), year, month, user=user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        year, month = _month_from(form.month.data)
        user = None
    except IntegrityError:
        db.session.rollback()
        flash(_("This month is closed already."), "error")
        year, month = _month_from(form.month.data)
        user = None
    else:
        flash(
            _(
                "%(month)s is closed. Changes from now on are listed as corrections on the next sheet.",
                month=f"{year:04d}-{month:02d}",
            ),
            "success",
        )
    key = f"{year:04d}-{month:02d}"
    if user is not None:
        return redirect(url_for("attendance.sheet", user_id=user.id, month=key))
    return redirect(url_for("attendance.months", month=key))


def _month_from(text: str | None) -> tuple[int, int]:
    try:
        return services.parse_month(text)
    except ValidationError:
        today = local_today()
        return today.year, today.month


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
        may_close=(
            not own
            and current_user.role in KEEPERS
            and sheet.closing is None
            and sheet.days[-1].day < local_today()
        ),
        later=sorted({e.reported_in for e in _later_corrections(sheet)}),
    )


def _later_corrections(sheet):
    """Counter-entries made after this month was closed (shown on later sheets)."""
    if sheet.closing is None:
        return []
    import sqlalchemy as sa

    from store.shifts.models import AttendanceEntry

    return db.session.scalars(
        sa.select(AttendanceEntry).where(
            AttendanceEntry.user_id == sheet.user.id,
            AttendanceEntry.day >= sheet.first,
            AttendanceEntry.day <= sheet.days[-1].day,
            AttendanceEntry.reported_in.is_not(None),
        )
    ).all()


def sheet_file(user, kind: str):
    year, month = _month()
    sheet = sheets.month_sheet(user, year, month)
    name = _file_name(sheet, user)
    if kind == "pdf":
        return _download(exports.sheet_pdf([sheet]), name + ".pdf", "application/pdf")
    if kind == "xlsx":
        return _download(exports.month_xlsx([sheet]), name + ".xlsx", XLSX)
    return _download(exports.sheet_csv(sheet), name + ".csv", "text/csv")


@bp.get("/hours/<int:user_id>")
@roles(*CONFIRMERS)
def sheet(user_id: int):
    return render_sheet(services.get_trainee(user_id), own=False)


@bp.get("/hours/<int:user_id>.pdf", defaults={"kind": "pdf"})
@bp.get("/hours/<int:user_id>.xlsx", defaults={"kind": "xlsx"})
@bp.get("/hours/<int:user_id>.csv", defaults={"kind": "csv"})
@roles(*CONFIRMERS)
def sheet_download(user_id: int, kind: str):
    return sheet_file(services.get_trainee(user_id), kind)


@bp.get("/my/hours")
@roles(Role.TRAINEE)
def my_hours():
    return render_sheet(current_user, own=True)


@bp.get("/my/hours.pdf", defaults={"kind": "pdf"})
@bp.get("/my/hours.xlsx", defaults={"kind": "xlsx"})
@bp.get("/my/hours.csv", defaults={"kind": "csv"})
@roles(Role.TRAINEE)
def my_hours_download(kind: str):
    return sheet_file(current_user, kind)


# ---------------------------------------------------------------- agreements


@bp.get("/agreements")
@roles(*KEEPERS)
def agreements():
    trainees = services.list_trainees(include_inactive=True)
    today = local_today()
    return render_template(
        "shifts/agreements.html",
        today=today,
        rows=[
            (t, services.current_agreement(t.id, today), services.agreements_for(t.id)) for t in trainees
        ],
    )


def _save_agreement(agreement):
    form = (
        AgreementForm(obj=agreement)
        if agreement is not None and request.method == "GET"
        else AgreementForm()
    )
    form.user_id.choices = [("", _("– choose –"))] + [
        (t.id, t.display_name) for t in services.list_trainees(include_inactive=True)
    ]
    if request.method == "GET":
        if agreement is not None:
            form.measure.data = agreement.measure.value
            form.weekly_hours.data = services.hours_text(agreement.weekly_minutes)
            form.hourly_allowance.data = (
                f"{agreement.hourly_allowance_cents / 100:.2f}".replace(".", ",")
                if agreement.hourly_allowance_cents is not None
                else ""
            )
        else:
            form.user_id.data = request.args.get("user", type=int)
            form.workdays.data = [0, 1, 2, 3, 4]
            form.starts_on.data = local_today()
    if form.validate_on_submit():
        try:
            weekly = services.parse_hours_per_week(form.weekly_hours.data)
            text = (form.hourly_allowance.data or "").strip()
            allowance = parse_cents(text) if text else None
            agreement = services.save_agreement(
                current_actor(),
                agreement,
                user_id=agreement.user_id if agreement else (form.user_id.data or 0),
                measure=form.measure.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                weekly_minutes=weekly,
                workdays=form.workdays.data,
                hourly_allowance_cents=allowance,
                max_months=form.max_months.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_error(
                form,
                error,
                {
                    "weekly_minutes": "weekly_hours",
                    "hourly_allowance_cents": "hourly_allowance",
                    "hours": "weekly_hours",
                },
            )
        else:
            db.session.commit()
            flash(_("The agreement of %(name)s was saved.", name=agreement.user.display_name), "success")
            return redirect(url_for("attendance.agreements"))
    elif form.is_submitted():
        for name in ("starts_on", "ends_on", "max_months"):
            if form[name].errors:
                form[name].errors = [_("Please check this value.")]
    return render_template("shifts/agreement_form.html", form=form, agreement=agreement)


@bp.route("/agreements/new", methods=["GET", "POST"])
@roles(*KEEPERS)
def agreement_new():
    return _save_agreement(None)


@bp.route("/agreements/<int:agreement_id>", methods=["GET", "POST"])
@roles(*KEEPERS)
def agreement_edit(agreement_id: int):
    return _save_agreement(services.get_agreement(agreement_id))
