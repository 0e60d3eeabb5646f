"""The supervisor's day: everyone of one day with plan, clock times and minutes; confirming days
and recording absences; adding and correcting clock entries."""

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from store.auth.forms import EmptyForm
from store.core.access import roles
from store.core.errors import ValidationError
from store.core.timeutil import local_today, to_local
from store.core.web import attempt, current_actor, refuse_errors
from store.shifts import services
from store.shifts.forms import ClockAddForm, ClockFixForm, ConfirmForm
from store.shifts.models import AttendanceCode
from store.shifts.views.common import CONFIRMERS, attendance_bp, parse_day


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


@attendance_bp.get("/attendance")
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
        ready=sum(1 for r in rows if r.ready_to_confirm),
    )


def _back(day: date, user_id: int | None = None):
    anchor = f"#u-{user_id}" if user_id else ""
    return redirect(url_for("attendance.day", day=day.isoformat()) + anchor)


@attendance_bp.post("/attendance/confirm")
@roles(*CONFIRMERS)
def confirm():
    user_id = request.form.get("user_id", type=int) or 0
    form = ConfirmForm(prefix=f"u{user_id}")
    shown = parse_day(request.form.get("day"))
    with attempt() as done:
        user = services.get_trainee(user_id)
        form.validate()
        if form.certificate_until.errors or form.last_day.errors:
            raise ValidationError(_("Please enter the date as shown, e.g. 2026-03-31."))
        refuse_errors(form)
        entries = services.record_day(
            current_actor(),
            user,
            shown,
            form.code.data,
            last_day=form.last_day.data,
            minutes=services.parse_hours(form.hours.data),
            certificate_until=form.certificate_until.data,
            note=form.note.data,
            reason=form.reason.data,
        )
    if not done:
        return _back(shown, user_id)
    _flash_recorded(user, entries)
    return _back(shown, user_id)


def _flash_recorded(user, entries) -> None:
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


@attendance_bp.post("/attendance/confirm-clocked")
@roles(*CONFIRMERS)
def confirm_clocked():
    shown = parse_day(request.form.get("day"))
    with attempt() as done:
        confirmed = services.confirm_clocked(current_actor(), shown)
    if done:
        flash(_("%(n)s people confirmed as clocked.", n=len(confirmed)), "success")
    return _back(shown)


@attendance_bp.post("/attendance/clock/<int:event_id>/fix")
@roles(*CONFIRMERS)
def clock_fix(event_id: int):
    event = services.get_clock_event(event_id)
    shown = parse_day(request.form.get("day"), to_local(event.at).date())
    form = ClockFixForm()
    form.validate()
    with attempt() as done:
        refuse_errors(form)
        void = form.action.data == "void"
        at = None if void else services.corrected_time(event, form.time.data)
        services.correct_clock_event(current_actor(), event, at=at, void=void, reason=form.reason.data)
    if done:
        flash(_("The correction was saved. The first entry stays visible in the history."), "success")
    return _back(shown, event.user_id)


@attendance_bp.post("/attendance/clock/add")
@roles(*CONFIRMERS)
def clock_add():
    form = ClockAddForm()
    form.validate()
    shown = parse_day(form.day.data)
    user_id = int(form.user_id.data or 0) if (form.user_id.data or "").isdigit() else 0
    with attempt() as done:
        refuse_errors(form)
        user = services.get_trainee(user_id)
        at = services.added_time(user.id, shown, form.kind.data, form.time.data)
        services.add_clock_event(current_actor(), user, form.kind.data, at, form.reason.data)
    if done:
        flash(_("The entry was added."), "success")
    return _back(shown, user_id)
