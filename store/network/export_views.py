"""Export pages for coordinators: the Jobcenter's monthly hours, the evaluation dataset, the
ESF+ report, and per participant the partner export and the Art. 15 data export.

Downloads are GET requests (they change nothing but the audit log, which each one writes), so
the forms are GET forms without a CSRF token. The request commits the audit entry after the view
returns, before the file goes out; a refused download rolls back and says why on the export page.
"""

from datetime import date
from urllib.parse import quote

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields import MonthField
from wtforms.validators import Optional

from store.branches import web as branch_web
from store.core.access import Role, roles
from store.core.timeutil import local_today
from store.core.web import Tile, attempt, current_actor, register_tile, safe_next
from store.network import exports
from store.network import services as network
from store.network.labels import EXIT_REASONS, FIELD_LABELS
from store.shifts import services as shifts
from store.shifts.labels import MEASURE_LABELS
from store.shifts.models import Measure

bp = Blueprint("exports", __name__, url_prefix="/exports")

COORDINATORS = (Role.COORDINATOR,)


class HoursForm(FlaskForm):
    class Meta:
        csrf = False

    month = MonthField(_l("Month"), validators=[Optional()])
    measure = SelectField(
        _l("Measure"),
        choices=[("", _l("all measures"))] + [(m.value, MEASURE_LABELS[m]) for m in Measure],
        validators=[Optional()],
    )


class EvaluationForm(FlaskForm):
    class Meta:
        csrf = False

    first = DateField(_l("From"), validators=[Optional()])
    last = DateField(_l("To"), validators=[Optional()])


class EsfForm(FlaskForm):
    class Meta:
        csrf = False

    year = SelectField(_l("Year"), coerce=int, validators=[Optional()])


def register() -> None:
    """The start-screen tile (called from store.network.init_app)."""
    register_tile(Tile("exports.index", _l("Exports"), "folder", frozenset({Role.COORDINATOR}), 48))


def send_export(result: exports.ExportFile) -> Response:
    """Hand out the file as an attachment (the request commits the download's audit entry first)."""
    return Response(
        result.body,
        mimetype=result.mimetype,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(result.filename)}",
            "Cache-Control": "no-store",
        },
    )


@bp.get("/")
@roles(*COORDINATORS)
def index():
    """The three blocks; after a refused download the choices come back through the query."""
    today = local_today()
    given = request.args or None
    hours_form = HoursForm(given, month=exports.default_hours_month(today))
    first, last = exports.default_evaluation_period(today)
    evaluation_form = EvaluationForm(given, first=first, last=last)
    esf_form = EsfForm(formdata=None, year=exports.esf_year(None, today))
    esf_form.year.choices = [(y, str(y)) for y in exports.esf_years(today)]
    return render_template(
        "network/exports.html",
        hours_form=hours_form,
        evaluation_form=evaluation_form,
        esf_form=esf_form,
        approved=exports.evaluation_approved(),
    )


@bp.get("/hours")
@roles(*COORDINATORS)
def hours():
    """The month's hours for the Jobcenter as XLSX, CSV or ZIP."""
    with attempt() as done:
        year, month = shifts.parse_month(request.args.get("month") or None)
        result = exports.hours_export(
            current_actor(),
            year,
            month,
            request.args.get("format", "zip"),
            request.args.get("measure") or None,
            branch_id=_chosen_branch(),
        )
    if not done:
        return redirect(url_for(".index", **_kept("month", "measure")))
    return send_export(result)


def _chosen_branch() -> int | None:
    """The branch chosen in the header's switcher (the export: its trainees); None: all."""
    scope = branch_web.scope_ids()
    chosen = branch_web.chosen_id()
    return chosen if chosen in scope and len(scope) == 1 else None


def _kept(*names: str) -> dict:
    return {n: request.args[n] for n in names if request.args.get(n)}


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/evaluation")
@roles(*COORDINATORS)
def evaluation():
    """The pseudonymised evaluation dataset of a period."""
    with attempt() as done:
        result = exports.evaluation_export(current_actor(), _day("first"), _day("last"))
    if not done:
        return redirect(url_for(".index", **_kept("first", "last")))
    return send_export(result)


def _year() -> int:
    return exports.esf_year(request.args.get("year", type=int))


@bp.get("/esf")
@roles(*COORDINATORS)
def esf():
    """The ESF+ counts of a year, as tables."""
    year = _year()
    with attempt() as done:
        report = exports.esf_report(year)
    if not done:
        return redirect(url_for(".index"))
    form = EsfForm(formdata=None, year=year)
    form.year.choices = [(y, str(y)) for y in exports.esf_years()]
    return render_template(
        "network/esf_report.html",
        report=report,
        year=year,
        form=form,
        questions=exports.exit_question_labels(),
        field_labels=FIELD_LABELS,
        exit_reasons=EXIT_REASONS,
    )


@bp.get("/esf.csv")
@roles(*COORDINATORS)
def esf_csv():
    with attempt() as done:
        result = exports.esf_export(current_actor(), _year())
    if not done:
        return redirect(url_for(".index"))
    return send_export(result)


def _back() -> str:
    return safe_next(request.args.get("next"), url_for(".index"))


@bp.get("/participants/<int:user_id>/partner/<int:partner_id>")
@roles(*COORDINATORS)
def partner(user_id: int, partner_id: int):
    """A trainee's skills report and hours for one partner, as far as consent covers it."""
    participant = network.get_participant(user_id)
    partner_ = network.get_partner(partner_id)
    with attempt() as done:
        result = exports.partner_export(current_actor(), participant, partner_)
    if not done:
        return redirect(_back())
    return send_export(result)


@bp.get("/participants/<int:user_id>/data")
@roles(*COORDINATORS)
def data(user_id: int):
    """Everything stored about the participant (GDPR Art. 15)."""
    participant = network.get_participant(user_id)
    with attempt() as done:
        result = exports.data_export(current_actor(), participant)
    if not done:
        return redirect(_back())
    return send_export(result)
