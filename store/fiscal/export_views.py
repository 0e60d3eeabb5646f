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

from store.branches import services as branches
from store.core.access import Role, roles
from store.core.exports import csv_bytes
from store.core.i18n import local_date
from store.core.timeutil import local_today
from store.core.web import attempt, current_actor
from store.fiscal import downloads, dsfinvk, registration
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


def _send_zip(export: dsfinvk.Export):
    return send_file(
        export.file,
        mimetype="application/zip",
        as_attachment=True,
        download_name=export.filename,
        max_age=0,
    )


# ---------------------------------------------------------------- exports


@bp.get("/fiscal/export")
@roles(*MANAGERS)
def export():
    start, end = downloads.suggested_period()
    form = RangeForm(request.args or None, data={"start": start, "end": end})
    return render_template(
        "fiscal/export.html",
        branch_choices=branches.visible(current_user),
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
    branch_id = request.args.get("branch", type=int)
    with attempt() as done:
        if branch_id is not None:
            branches.require_branch_of(current_user, branch_id)
        result = dsfinvk.export_range(start, end, branch_id)
        downloads.record_dsfinvk_download(
            current_actor(), result, start=start.isoformat(), end=end.isoformat()
        )
    if not done:
        return redirect(url_for(".export", start=start.isoformat(), end=end.isoformat()))
    return _send_zip(result)


@bp.get("/fiscal/export/closings/<int:closing_id>.zip")
@roles(*MANAGERS)
def download_closing(closing_id: int):
    result = dsfinvk.export_closing(till_services.get_closing(closing_id))
    downloads.record_dsfinvk_download(current_actor(), result)
    return _send_zip(result)


@bp.get("/fiscal/export/tse.tar")
@roles(*MANAGERS)
def download_tse():
    with attempt() as done:
        name, data = dsfinvk.tse_export()
        downloads.record_download(current_actor(), {"format": "tse", "file": name})
    if not done:
        return redirect(url_for(".export"))
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
    rows = registration.registrations(branches.visible_ids(current_user))
    all_forms = _forms(rows)
    all_forms.update(forms or {})
    return render_template(
        "fiscal/registration.html",
        rows=rows,
        forms=all_forms,
        due=registration.due_reports(rows, local_today()),
        undated=registration.undated(rows),
        shop=registration.store_identity(),
        sites=registration.sites(rows),
    ), status


@bp.get("/fiscal/registration")
@roles(Role.ADMIN, Role.SUPERVISOR)
def registration_page():
    return _registration_page()


@bp.get("/fiscal/registration.csv")
@roles(Role.ADMIN, Role.SUPERVISOR)
def registration_csv():
    """The registration data as CSV, to copy into the ELSTER form."""
    rows = registration.registrations(branches.visible_ids(current_user))
    header, rows = registration.registration_rows(rows)
    name = downloads.registration_filename()
    downloads.record_download(current_actor(), {"format": "registration", "file": name})
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
    if on is not None:
        with attempt(form) as done:
            till_services.put_into_service(current_actor(), till, on)
        if done:
            flash(
                _(
                    "%(till)s is in service since %(on)s. Report it to the tax office via ELSTER by "
                    "%(deadline)s.",
                    till=till.name,
                    on=local_date(on),
                    deadline=local_date(registration.reporting_deadline(on)),
                ),
                "success",
            )
            return redirect(url_for(".registration_page"))
    return _registration_page(
        {till_id: (form, ServiceDateForm(prefix=f"out{till_id}", formdata=None))}, 422
    )


@bp.post("/fiscal/registration/<int:till_id>/out-of-service")
@roles(Role.ADMIN)
def take_out_of_service(till_id: int):
    on, form, till = _service_date(till_id, "out")
    if on is not None:
        with attempt(form) as done:
            till_services.take_out_of_service(current_actor(), till, on)
        if done:
            flash(
                _(
                    "%(till)s is out of service since %(on)s. Report it to the tax office via ELSTER "
                    "by %(deadline)s.",
                    till=till.name,
                    on=local_date(on),
                    deadline=local_date(registration.reporting_deadline(on)),
                ),
                "warning",
            )
            return redirect(url_for(".registration_page"))
    return _registration_page(
        {till_id: (ServiceDateForm(prefix=f"in{till_id}", formdata=None), form)}, 422
    )
