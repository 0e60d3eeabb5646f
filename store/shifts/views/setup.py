"""Setting the plan up: shift templates (planners) and stations (admins)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from store.branches import web as branch_web
from store.branches.forms import branch_choices
from store.core.access import Role, roles
from store.core.web import attempt, current_actor
from store.shifts import services
from store.shifts.forms import StationForm, TemplateForm
from store.shifts.views.common import PLANNERS, bp

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
        with attempt(form, {"member_ids": "members"}) as done:
            services.save_template(
                current_actor(),
                template,
                station_id=form.station_id.data,
                weekdays=form.weekdays.data,
                starts_at=form.starts_at.data,
                ends_at=form.ends_at.data,
                member_ids=form.members.data or [],
                is_active=form.is_active.data,
            )
        if done:
            flash(_("The template was saved."), "success")
            return redirect(url_for("shifts.templates"))
    elif request.method == "GET" and template is None:
        form.weekdays.data = [0, 1, 2, 3, 4]
        form.starts_at.data, form.ends_at.data = services.DEFAULT_TIMES
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
        "shifts/stations.html",
        stations=services.list_stations(include_inactive=True, branch_ids=branch_web.scope_ids()),
    )


def _save_station(station):
    form = StationForm(obj=station) if request.method == "GET" else StationForm()
    branch_choices(form.branch_id, station, branch_web.current_branch().id)
    if form.validate_on_submit():
        with attempt(form) as done:
            services.save_station(
                current_actor(),
                station,
                name=form.name.data,
                staffed_weekdays=form.staffed_weekdays.data,
                sort=form.sort.data or 0,
                is_active=form.is_active.data,
                branch_id=form.branch_id.data,
            )
        if done:
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
