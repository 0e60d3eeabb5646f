"""Pages for the tax office: the DSFinV-K and TSE exports, and the tills' registration data."""

from datetime import date
from urllib.parse import quote

from flask import Blueprint, Response, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import DataRequired

from store.core.access import Role, roles
from store.core.audit import audit
from store.core.errors import ServiceError
from store.core.exports import csv_bytes
from store.core.i18n import local_date
from store.core.timeutil import local_today
from store.core.web import current_actor, show_error
from store.extensions import db
from store.fiscal import dsfinvk, registration
from store.till import services as till_services

bp = Blueprint("fiscal_export", __name__)

MANAGERS = (Role.SUPERVISOR, Role.ADMIN)


class RangeForm(FlaskForm):
    """The days to export (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[DataRequired()])
    end = DateField(_l("To"), validators=[DataRequired()])


class ServiceDateForm(FlaskForm):
    on = DateField(_l("Date"), validators=[DataRequired()])


def _audit(data: dict) -> None:
    audit(current_actor(), "fiscal.export", None, data)
    db.session.commit()


# ---------------------------------------------------------------- exports


@bp.get("/fiscal/export")
@roles(*MANAGERS)
def export():
    today = local_today()
    form = RangeForm(request.args or None, data={"start": today.replace(day=1), "end": today})
    return render_template(
        "fiscal/export.html",
        form=form,
        closings=till_services.list_closings(limit=60),
        device=registration.active_tse(),
    )


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/fiscal/export/dsfinvk.zip")
@roles(*MANAGERS)
def download_range():
    """The DSFinV-K export of every daily closing between two days."""
    start, end = _day("start"), _day("end")
    if start is None or end is None:
        flash(_("Please choose the first and the last day."), "error")
        return redirect(url_for(".export"))
    try:
        result = dsfinvk.export_range(start, end)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for(".export", start=start.isoformat(), end=end.isoformat()))
    _audit(
        {
            "format": "dsfinvk",
            "file": result.filename,
            "closings": result.closings,
            "rows": sum(result.rows.values()),
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
    )
    return send_file(
        result.file,
        mimetype="application/zip",
        as_attachment=True,
        download_name=result.filename,
        max_age=0,
    )


@bp.get("/fiscal/export/closings/<int:closing_id>.zip")
@roles(*MANAGERS)
def download_closing(closing_id: int):
    result = dsfinvk.export_closing(till_services.get_closing(closing_id))
    _audit(
        {
            "format": "dsfinvk",
            "file": result.filename,
            "closings": result.closings,
            "rows": sum(result.rows.values()),
        }
    )
    return send_file(
        result.file,
        mimetype="application/zip",
        as_attachment=True,
        download_name=result.filename,
        max_age=0,
    )


@bp.get("/fiscal/export/tse.tar")
@roles(*MANAGERS)
def download_tse():
    try:
        name, data = dsfinvk.tse_export()
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for(".export"))
    _audit({"format": "tse", "file": name})
    return Response(
        data,
        mimetype="application/x-tar",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


# ---------------------------------------------------------------- registration


def _forms(rows) -> dict:
    return {
        r.till_id: (
            ServiceDateForm(prefix=f"in{r.till_id}", formdata=None),
            ServiceDateForm(prefix=f"out{r.till_id}", formdata=None),
        )
        for r in rows
    }


def _registration_page(forms: dict | None = None, status: int = 200):
    rows = registration.registrations()
    today = local_today()
    all_forms = _forms(rows)
    all_forms.update(forms or {})
    due = [
        r
        for r in rows
        if (r.out_of_service_deadline and r.out_of_service_deadline >= today)
        or (r.in_service_deadline and r.in_service_deadline >= today)
    ]
    return render_template(
        "fiscal/registration.html",
        rows=rows,
        forms=all_forms,
        due=due,
        shop=registration.store_identity(),
        today=today,
        may_edit=current_user.role == Role.ADMIN,
    ), status


@bp.get("/fiscal/registration")
@roles(Role.ADMIN, Role.SUPERVISOR)
def registration_page():
    return _registration_page()


@bp.get("/fiscal/registration.csv")
@roles(Role.ADMIN, Role.SUPERVISOR)
def registration_csv():
    """The registration data as CSV, to copy into the ELSTER form."""
    header, rows = registration.registration_rows(registration.registrations())
    name = f"kassen-meldung-{local_today().isoformat()}.csv"
    _audit({"format": "registration", "file": name})
    return Response(
        csv_bytes(header, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


def _service_date(till_id: int, kind: str):
    till = till_services.get_till(till_id)
    form = ServiceDateForm(prefix=f"{kind}{till_id}")
    if not form.validate_on_submit():
        return None, form, till
    return form.on.data, form, till


@bp.post("/fiscal/registration/<int:till_id>/in-service")
@roles(Role.ADMIN)
def put_into_service(till_id: int):
    on, form, till = _service_date(till_id, "in")
    if on is None:
        return _registration_page(
            {till_id: (form, ServiceDateForm(prefix=f"out{till_id}", formdata=None))}, 422
        )
    try:
        till_services.put_into_service(current_actor(), till, on)
    except ServiceError as error:
        db.session.rollback()
        show_error(form, error)
        return _registration_page(
            {till_id: (form, ServiceDateForm(prefix=f"out{till_id}", formdata=None))}, 422
        )
    db.session.commit()
    deadline = registration.reporting_deadline(on)
    flash(
        _(
            "%(till)s is in service since %(on)s. Report it to the tax office via ELSTER by "
            "%(deadline)s.",
            till=till.name,
            on=local_date(on),
            deadline=local_date(deadline),
        ),
        "success",
    )
    return redirect(url_for(".registration_page"))


@bp.post("/fiscal/registration/<int:till_id>/out-of-service")
@roles(Role.ADMIN)
def take_out_of_service(till_id: int):
    on, form, till = _service_date(till_id, "out")
    if on is None:
        return _registration_page(
            {till_id: (ServiceDateForm(prefix=f"in{till_id}", formdata=None), form)}, 422
        )
    try:
        till_services.take_out_of_service(current_actor(), till, on)
    except ServiceError as error:
        db.session.rollback()
        show_error(form, error)
        return _registration_page(
            {till_id: (ServiceDateForm(prefix=f"in{till_id}", formdata=None), form)}, 422
        )
    db.session.commit()
    deadline = registration.reporting_deadline(on)
    flash(
        _(
            "%(till)s is out of service since %(on)s. Report it to the tax office via ELSTER by "
            "%(deadline)s.",
            till=till.name,
            on=local_date(on),
            deadline=local_date(deadline),
        ),
        "warning",
    )
    return redirect(url_for(".registration_page"))
