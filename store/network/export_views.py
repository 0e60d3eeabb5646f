"""Export pages for coordinators: the Jobcenter's monthly hours, the evaluation dataset, the
ESF+ report, and per participant the partner export and the Art. 15 data export.

Downloads are GET requests (they change nothing but the audit log, which each one writes), so
the forms are GET forms without a CSRF token.
"""

from datetime import date, timedelta
from urllib.parse import quote

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields import MonthField
from wtforms.validators import Optional

from store.core.access import Role, roles
from store.core.errors import ServiceError, ValidationError
from store.core.timeutil import local_today
from store.core.web import Tile, current_actor, register_tile, safe_next
from store.extensions import db
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
    """Commit the audit entry of the download, then hand out the file."""
    db.session.commit()
    return Response(
        result.body,
        mimetype=result.mimetype,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(result.filename)}",
            "Cache-Control": "no-store",
        },
    )


def _failed(error: ServiceError, target: str):
    db.session.rollback()
    flash(error.message, "error")
    return redirect(target)


def _previous_month(today: date) -> str:
    last = today.replace(day=1) - timedelta(days=1)
    return shifts.month_key(last)


@bp.get("/")
@roles(*COORDINATORS)
def index():
    """The three blocks; after a refused download the choices come back through the query."""
    today = local_today()
    given = request.args or None
    hours_form = HoursForm(given, month=date.fromisoformat(_previous_month(today) + "-01"))
    # The last twelve full months.
    last = today.replace(day=1) - timedelta(days=1)
    first = date(last.year, 1, 1) if last.month == 12 else date(last.year - 1, last.month + 1, 1)
    evaluation_form = EvaluationForm(given, first=first, last=last)
    esf_form = EsfForm(formdata=None, year=today.year)
    esf_form.year.choices = [(y, str(y)) for y in exports.esf_years(today)]
    return render_template(
        "network/exports.html",
        hours_form=hours_form,
        evaluation_form=evaluation_form,
        esf_form=esf_form,
        approved=bool(current_app.config.get("EVALUATION_APPROVED")),
    )


@bp.get("/hours")
@roles(*COORDINATORS)
def hours():
    """The month's hours for the Jobcenter as XLSX, CSV or ZIP."""
    try:
        year, month = shifts.parse_month(request.args.get("month") or None)
        result = exports.hours_export(
            current_actor(),
            year,
            month,
            request.args.get("format", "zip"),
            request.args.get("measure") or None,
        )
    except ServiceError as error:
        return _failed(error, url_for(".index", **_kept("month", "measure")))
    return send_export(result)


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
    try:
        first, last = _day("first"), _day("last")
        if first is None or last is None:
            raise ValidationError(_("Please give the first and the last day."))
        result = exports.evaluation_export(current_actor(), first, last)
    except ServiceError as error:
        return _failed(error, url_for(".index", **_kept("first", "last")))
    return send_export(result)


def _year() -> int:
    return request.args.get("year", type=int) or local_today().year


@bp.get("/esf")
@roles(*COORDINATORS)
def esf():
    """The ESF+ counts of a year, as tables."""
    year = _year()
    try:
        report = exports.esf_report(year)
    except ServiceError as error:
        return _failed(error, url_for(".index"))
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
    try:
        result = exports.esf_export(current_actor(), _year())
    except ServiceError as error:
        return _failed(error, url_for(".index"))
    return send_export(result)


def _back() -> str:
    return safe_next(request.args.get("next"), url_for(".index"))


@bp.get("/participants/<int:user_id>/partner/<int:partner_id>")
@roles(*COORDINATORS)
def partner(user_id: int, partner_id: int):
    """A trainee's skills report and hours for one partner, as far as consent covers it."""
    participant = network.get_participant(user_id)
    partner_ = network.get_partner(partner_id)
    try:
        result = exports.partner_export(current_actor(), participant, partner_)
    except ServiceError as error:
        return _failed(error, _back())
    return send_export(result)


@bp.get("/participants/<int:user_id>/data")
@roles(*COORDINATORS)
def data(user_id: int):
    """Everything stored about the participant (GDPR Art. 15)."""
    participant = network.get_participant(user_id)
    try:
        result = exports.data_export(current_actor(), participant)
    except ServiceError as error:
        return _failed(error, _back())
    return send_export(result)
