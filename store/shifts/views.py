"""Planning pages (week plan, templates, stations), the trainee's own shifts and calendar link,
the iCalendar feed, and Kommen/Gehen at the till.

A view parses, calls store.shifts.services, commits once, then redirects or renders.
"""

import io
from datetime import date, timedelta

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from store.auth.forms import EmptyForm
from store.core.access import Role, public, roles
from store.core.errors import ServiceError
from store.core.timeutil import local_today, to_local
from store.core.web import current_actor, show_error
from store.extensions import db
from store.shifts import ical, services
from store.shifts.forms import AssignForm, ShiftForm, StationForm, TemplateForm
from store.shifts.labels import (
    CODE_LABELS,
    KIND_LABELS,
    MEASURE_LABELS,
    MEASURE_SHORT,
    SOURCE_LABELS,
    weekday_list,
)
from store.shifts.models import AttendanceCode

bp = Blueprint("shifts", __name__)

PLANNERS = (Role.SUPERVISOR, Role.ADMIN)

DEFAULT_HOURS = ("09:00", "13:00")


def ui() -> dict:
    """Words and helpers the templates of this area use."""
    from store.shifts.exports import _note

    return {
        "code_labels": CODE_LABELS,
        "measure_labels": MEASURE_LABELS,
        "measure_short": MEASURE_SHORT,
        "kind_labels": KIND_LABELS,
        "source_labels": SOURCE_LABELS,
        "weekday_list": weekday_list,
        "present": AttendanceCode.PRESENT,
        "note": _note,
    }


bp.context_processor(ui)


def parse_day(text: str | None, default: date | None = None) -> date:
    try:
        return date.fromisoformat(text) if text else (default or local_today())
    except ValueError:
        return default or local_today()


# ---------------------------------------------------------------- the week plan


def _assign_form(plan: services.WeekPlan) -> AssignForm:
    form = AssignForm()
    form.user_id.choices = [("", _("– choose –"))] + [
        (t.id, t.short_name) for t in services.list_trainees()
    ]
    form.station_id.choices = [("", _("– choose –"))] + [
        (s.id, s.name) for s in plan.stations if s.is_active
    ]
    form.day.choices = [(d.isoformat(), services.day_label(d)) for d in plan.days]
    return form


def _prefill(form: AssignForm, plan: services.WeekPlan) -> None:
    """A click on ＋ in a cell: that station and day, and the times of its template."""
    station_id = request.args.get("station", type=int)
    day = request.args.get("day")
    form.station_id.data = station_id
    form.day.data = day if day in {d.isoformat() for d in plan.days} else None
    starts, ends = DEFAULT_HOURS
    if station_id and form.day.data:
        weekday = date.fromisoformat(form.day.data).weekday()
        for template in services.list_templates(include_inactive=False):
            if template.station_id == station_id and weekday in template.weekdays:
                starts, ends = template.starts_at.strftime("%H:%M"), template.ends_at.strftime("%H:%M")
                break
    form.starts_at.data = services.parse_time(starts, "starts_at")
    form.ends_at.data = services.parse_time(ends, "ends_at")


@bp.get("/shifts/plan")
@roles(*PLANNERS)
def plan():
    monday = services.week_start(parse_day(request.args.get("week")))
    week = services.week_plan(monday)
    form = _assign_form(week)
    _prefill(form, week)
    return render_template(
        "shifts/plan.html",
        plan=week,
        form=form,
        action_form=EmptyForm(),
        prefilled=bool(request.args.get("station")),
        today=local_today(),
        timedelta=timedelta,
    )


@bp.post("/shifts/plan/fill")
@roles(*PLANNERS)
def fill():
    monday = services.week_start(parse_day(request.form.get("week")))
    result = services.plan_week(current_actor(), monday)
    db.session.commit()
    flash(_("%(n)s shifts planned from the templates.", n=len(result.created)), "success")
    if result.existing:
        flash(_("%(n)s shifts were planned already and stay as they are.", n=result.existing), "info")
    for day, name in result.holidays:
        flash(
            _(
                "%(day)s is a public holiday (%(name)s): nobody was planned.",
                day=services.day_label(day),
                name=name,
            ),
            "info",
        )
    return redirect(url_for("shifts.plan", week=monday.isoformat()))


def _flash_warnings(monday: date, user_id: int | None = None) -> None:
    warnings = services.plan_warnings(monday, monday + timedelta(days=6))
    for warning in warnings:
        if warning.kind != "empty_station" and (user_id is None or warning.user_id == user_id):
            flash(warning.message, "warning")


@bp.post("/shifts/assign")
@roles(*PLANNERS)
def assign():
    day = parse_day(request.form.get("day"))
    monday = services.week_start(day)
    week = services.week_plan(monday)
    form = _assign_form(week)
    form.validate_on_submit()
    try:
        shift = services.assign_shift(
            current_actor(),
            user_id=form.user_id.data or 0,
            station_id=form.station_id.data,
            day=day,
            starts_at=form.starts_at.data,
            ends_at=form.ends_at.data,
        )
    except ServiceError as error:
        db.session.rollback()
        show_error(form, error)
        return render_template(
            "shifts/plan.html",
            plan=week,
            form=form,
            action_form=EmptyForm(),
            prefilled=True,
            today=local_today(),
            timedelta=timedelta,
        ), 422
    db.session.commit()
    flash(
        _(
            "%(name)s planned: %(day)s, %(time)s, %(station)s.",
            name=shift.user.short_name,
            day=services.day_label(shift.day),
            time=shift_time(shift),
            station=shift.station.name,
        ),
        "success",
    )
    _flash_warnings(monday, shift.user_id)
    return redirect(
        url_for("shifts.plan", week=monday.isoformat()) + f"#cell-{shift.station_id}"
        f"-{shift.day.isoformat()}"
    )


def shift_time(shift) -> str:
    return f"{services.clock_time(shift.starts_at)}–{services.clock_time(shift.ends_at)}"


@bp.route("/shifts/<int:shift_id>", methods=["GET", "POST"])
@roles(*PLANNERS)
def shift_edit(shift_id: int):
    shift = services.get_shift(shift_id)
    form = ShiftForm()
    form.station_id.choices = [(s.id, s.name) for s in services.list_stations()]
    if request.method == "GET":
        form.station_id.data, form.day.data = shift.station_id, shift.day
        form.starts_at.data = to_local(shift.starts_at).time()
        form.ends_at.data = to_local(shift.ends_at).time()
    elif form.validate_on_submit():
        try:
            services.change_shift(
                current_actor(),
                shift,
                station_id=form.station_id.data,
                day=form.day.data,
                starts_at=form.starts_at.data,
                ends_at=form.ends_at.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The shift was changed."), "success")
            monday = services.week_start(shift.day)
            _flash_warnings(monday, shift.user_id)
            return redirect(url_for("shifts.plan", week=monday.isoformat()))
    return render_template("shifts/shift_form.html", shift=shift, form=form, cancel_form=EmptyForm())


@bp.post("/shifts/<int:shift_id>/cancel")
@roles(*PLANNERS)
def shift_cancel(shift_id: int):
    shift = services.get_shift(shift_id)
    try:
        services.cancel_shift(current_actor(), shift)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(
            _(
                "%(name)s is no longer planned on %(day)s.",
                name=shift.user.short_name,
                day=services.day_label(shift.day),
            ),
            "success",
        )
    return redirect(
        url_for("shifts.plan", week=services.week_start(shift.day).isoformat())
        + f"#cell-{shift.station_id}-{shift.day.isoformat()}"
    )


# ---------------------------------------------------------------- templates


@bp.get("/shifts/templates")
@roles(*PLANNERS)
def templates():
    return render_template("shifts/templates.html", templates=services.list_templates())


def _template_form(template=None) -> TemplateForm:
    form = (
        TemplateForm(obj=template)
        if template is not None and request.method == "GET"
        else TemplateForm()
    )
    form.station_id.choices = [("", _("– choose –"))] + [
        (s.id, s.name) for s in services.list_stations()
    ]
    form.members.choices = [(t.id, t.short_name) for t in services.list_trainees()]
    if template is not None and request.method == "GET":
        form.members.data = [m.id for m in template.members]
    return form


def _save_template(template):
    form = _template_form(template)
    if form.validate_on_submit():
        try:
            template = services.save_template(
                current_actor(),
                template,
                station_id=form.station_id.data,
                weekdays=form.weekdays.data,
                starts_at=form.starts_at.data,
                ends_at=form.ends_at.data,
                member_ids=form.members.data or [],
                is_active=form.is_active.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error, {"member_ids": "members"})
        else:
            db.session.commit()
            flash(_("The template was saved."), "success")
            return redirect(url_for("shifts.templates"))
    elif request.method == "GET" and template is None:
        form.weekdays.data = [0, 1, 2, 3, 4]
        form.starts_at.data = services.parse_time(DEFAULT_HOURS[0], "starts_at")
        form.ends_at.data = services.parse_time(DEFAULT_HOURS[1], "ends_at")
    return render_template("shifts/template_form.html", form=form, template=template)


@bp.route("/shifts/templates/new", methods=["GET", "POST"])
@roles(*PLANNERS)
def template_new():
    return _save_template(None)


@bp.route("/shifts/templates/<int:template_id>", methods=["GET", "POST"])
@roles(*PLANNERS)
def template_edit(template_id: int):
    return _save_template(services.get_template(template_id))


# ---------------------------------------------------------------- stations (admin)


@bp.get("/shifts/stations")
@roles(Role.ADMIN)
def stations():
    return render_template(
        "shifts/stations.html", stations=services.list_stations(include_inactive=True)
    )


def _save_station(station):
    form = StationForm(obj=station) if request.method == "GET" else StationForm()
    if form.validate_on_submit():
        try:
            services.save_station(
                current_actor(),
                station,
                name=form.name.data,
                staffed_weekdays=form.staffed_weekdays.data,
                sort=form.sort.data or 0,
                is_active=form.is_active.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The station was saved."), "success")
            return redirect(url_for("shifts.stations"))
    elif request.method == "GET" and station is None:
        form.staffed_weekdays.data = [0, 1, 2, 3, 4]
    return render_template("shifts/station_form.html", form=form, station=station)


@bp.route("/shifts/stations/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def station_new():
    return _save_station(None)


@bp.route("/shifts/stations/<int:station_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def station_edit(station_id: int):
    return _save_station(services.get_station(station_id))


# ---------------------------------------------------------------- the trainee's own pages


@bp.get("/my/shifts")
@roles(Role.TRAINEE)
def mine():
    today = local_today()
    monday = services.week_start(today)
    shifts = services.shifts_between(monday, monday + timedelta(days=13), user_ids=[current_user.id])
    absences = services.absences_between([current_user.id], monday, monday + timedelta(days=13)).get(
        current_user.id, []
    )
    weeks = []
    for start in (monday, monday + timedelta(days=7)):
        days = []
        for n in range(7):
            day = start + timedelta(days=n)
            absent = next((e for first, until, e in absences if first <= day <= until), None)
            todays = [s for s in shifts if s.day == day]
            if todays or day == today or absent:
                days.append((day, todays, absent, services.holiday_name(day)))
        weeks.append((start, days))
    link = session.pop("new_calendar_link", None)
    return render_template(
        "shifts/mine.html",
        weeks=weeks,
        today=today,
        agreement=services.current_agreement(current_user.id, today),
        has_link=services.active_calendar_token(current_user) is not None,
        link=link,
        qr=_qr_svg(link) if link else None,
        form=EmptyForm(),
    )


def _qr_svg(text: str) -> Markup:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return Markup(svg[svg.index("<svg") :])  # noqa: S704 (made here from our own URL)


@bp.post("/my/calendar")
@roles(Role.TRAINEE)
def calendar_create():
    plain = services.create_calendar_token(current_actor(), current_user)
    db.session.commit()
    session["new_calendar_link"] = url_for("shifts.calendar_feed", token=plain, _external=True)
    flash(_("Your calendar link is ready. Any older link no longer works."), "success")
    return redirect(url_for("shifts.mine") + "#calendar")


@bp.post("/my/calendar/revoke")
@roles(Role.TRAINEE)
def calendar_revoke():
    services.revoke_calendar_tokens(current_actor(), current_user)
    db.session.commit()
    flash(_("Your calendar link was switched off."), "success")
    return redirect(url_for("shifts.mine") + "#calendar")


@bp.get("/calendar/<token>.ics")
@public
def calendar_feed(token: str):
    """The secret, revocable feed: the token is the only key, so it answers 404 when unknown."""
    user = services.user_for_calendar_token(token)
    if user is None:
        abort(404)
    body = ical.feed(user, host=request.host.split(":")[0] or "kaufhaus")
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Cache-Control": "private, max-age=300",
            "Content-Disposition": 'inline; filename="schichten.ics"',
        },
    )


# ---------------------------------------------------------------- Kommen / Gehen


def clock_panel(user):
    """The start screen's big Kommen/Gehen buttons, for a trainee signed in at a till."""
    if user.role != Role.TRAINEE or not session.get("till_mode"):
        return None
    today = local_today()
    open_in = services.open_clock_in(user.id)
    shifts = services.shifts_between(today, today, user_ids=[user.id])
    return Markup(  # noqa: S704 (an escaped template)
        render_template(
            "shifts/_clock_panel.html",
            open_in=open_in,
            shifts=shifts,
            form=EmptyForm(),
            shift_time=shift_time,
            clock_time=services.clock_time,
        )
    )


@bp.post("/clock")
@roles(Role.TRAINEE)
def clock():
    """One press after the badge scan. Gehen at a till also signs out, ready for the next one."""
    action = request.form.get("action", "")
    if not session.get("till_mode"):
        flash(_("Please clock in and out at a till: scan your card there."), "error")
        return redirect(url_for("core.home"))
    try:
        event = services.clock(current_actor(), current_user, action)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("core.home"))
    except IntegrityError:
        db.session.rollback()
        flash(_("This was just recorded at another till. Please look again."), "error")
        return redirect(url_for("core.home"))
    when = services.clock_time(event.at)
    if event.kind.value == "in":
        flash(_("Clocked in at %(time)s.", time=when), "clock")
        return redirect(url_for("core.home"))
    name = current_user.first_name
    logout_user()
    session.clear()
    flash(_("Clocked out at %(time)s. Goodbye, %(name)s!", time=when, name=name), "clock")
    return redirect(url_for("auth.till_login"))


def missing_clock_out_notice(user):
    """Supervisors see forgotten clock-outs of earlier days until someone deals with them."""
    if user.role not in (Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN):
        return []
    missing = services.missing_clock_outs()
    if not missing:
        return []
    names = ", ".join(f"{m.user.short_name} ({services.day_label(m.day)})" for m in missing[:6])
    more = len(missing) - 6
    text = _("Clock-out missing (%(n)s): %(names)s", n=len(missing), names=names)
    if more > 0:
        text += " " + _("and %(n)s more", n=more)
    return [("warning", text, "attendance.day")]
