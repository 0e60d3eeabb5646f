"""The planner's pages: the week plan, filling it from the templates, planning, moving and
cancelling a shift."""

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from store.auth.forms import EmptyForm
from store.branches import web as branch_web
from store.core.access import roles
from store.core.errors import ValidationError
from store.core.timeutil import local_today, to_local
from store.core.web import attempt, current_actor
from store.shifts import services
from store.shifts.forms import AssignForm, ShiftForm
from store.shifts.views.common import PLANNERS, bp, parse_day, shift_time


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
    chosen = date.fromisoformat(form.day.data) if form.day.data else None
    form.starts_at.data, form.ends_at.data = services.usual_times(station_id, chosen)


CLASHES = ("overlap", "absence", "off_day", "holiday")  # warned before a shift is booked


def _clashes(monday: date, user_id: int | None) -> list[str]:
    """What clashes in one person's week: two shifts at once, an absence, a day off, a holiday."""
    warnings = services.plan_warnings(monday, monday + timedelta(days=6))
    return [w.message for w in warnings if w.kind in CLASHES and w.user_id == user_id]


def _plan_page(
    week: services.WeekPlan, form: AssignForm, *, prefilled: bool, clashes: list[str] | None = None
) -> str:
    return render_template(
        "shifts/plan.html",
        plan=week,
        clashes=clashes or [],
        form=form,
        action_form=EmptyForm(),
        prefilled=prefilled,
        today=local_today(),
        timedelta=timedelta,
    )


@bp.get("/shifts/plan")
@roles(*PLANNERS)
def plan():
    monday = services.week_start(parse_day(request.args.get("week")))
    week = services.week_plan(monday, branch_web.scope_ids())
    form = _assign_form(week)
    _prefill(form, week)
    return _plan_page(week, form, prefilled=bool(request.args.get("station")))


@bp.post("/shifts/plan/fill")
@roles(*PLANNERS)
def fill():
    monday = services.week_start(parse_day(request.form.get("week")))
    result = services.plan_week(current_actor(), monday)
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
    week = services.week_plan(monday, branch_web.scope_ids())
    form = _assign_form(week)
    form.validate_on_submit()
    before = set(_clashes(monday, form.user_id.data))
    clashes: list[str] = []
    with attempt(form) as done:
        shift = services.assign_shift(
            current_actor(),
            user_id=form.user_id.data or 0,
            station_id=form.station_id.data,
            day=day,
            starts_at=form.starts_at.data,
            ends_at=form.ends_at.data,
        )
        # A clash is shown before the shift is booked: the planner sees it and decides.
        clashes = [w for w in _clashes(monday, shift.user_id) if w not in before]
        if clashes and not request.form.get("despite"):
            raise ValidationError(_("Not planned yet: please look at the warning first."))
    if not done:
        return _plan_page(week, form, prefilled=True, clashes=clashes), 422
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
        with attempt(form) as done:
            services.change_shift(
                current_actor(),
                shift,
                station_id=form.station_id.data,
                day=form.day.data,
                starts_at=form.starts_at.data,
                ends_at=form.ends_at.data,
            )
        if done:
            flash(_("The shift was changed."), "success")
            monday = services.week_start(shift.day)
            _flash_warnings(monday, shift.user_id)
            return redirect(url_for("shifts.plan", week=monday.isoformat()))
    return render_template("shifts/shift_form.html", shift=shift, form=form, cancel_form=EmptyForm())


@bp.post("/shifts/<int:shift_id>/cancel")
@roles(*PLANNERS)
def shift_cancel(shift_id: int):
    shift = services.get_shift(shift_id)
    with attempt() as done:
        services.cancel_shift(current_actor(), shift)
    if done:
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
