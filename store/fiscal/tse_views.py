"""The TSE page: which TSE signs, its last transactions, fiskaly set-up, connection test, export."""

import logging
import os

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import URL, DataRequired, Length
from wtforms.validators import UUID as UUIDValidator

from store.core.access import Role, roles
from store.core.timeutil import utcnow
from store.core.web import current_actor
from store.extensions import db
from store.fiscal import signing
from store.fiscal.models import FiscalTransaction, TseDevice
from store.fiscal.tse.base import TseError
from store.fiscal.tse.fiskaly import DEFAULT_BASE_URL, SECRET_ENV, FiskalyTse, connect_device

log = logging.getLogger(__name__)

bp = Blueprint("fiscal_tse", __name__)

VIEWERS = (Role.SUPERVISOR, Role.ADMIN)


class FiskalyForm(FlaskForm):
    api_key = StringField(_l("API key"), validators=[DataRequired(), Length(max=200)])
    tss_id = StringField(
        _l("TSS id"),
        validators=[
            DataRequired(),
            UUIDValidator(message=_l("The TSS id is a UUID, as the fiskaly dashboard shows it.")),
        ],
    )
    base_url = StringField(
        _l("API address"),
        default=DEFAULT_BASE_URL,
        validators=[DataRequired(), Length(max=200), URL(require_tld=False)],
    )


class TestForm(FlaskForm):
    """A one-button action: it carries only the CSRF token."""


def _active_device() -> TseDevice | None:
    return db.session.scalar(
        sa.select(TseDevice).where(TseDevice.is_active.is_(True)).order_by(TseDevice.id.desc()).limit(1)
    )


def _counters(device: TseDevice | None) -> dict:
    """Highest number and counter this TSE gave us, and how often it signed or failed."""
    if device is None:
        return {}

    def count(state: str):
        return sa.func.coalesce(sa.func.sum(sa.case((FiscalTransaction.state == state, 1), else_=0)), 0)

    row = db.session.execute(
        sa.select(
            sa.func.max(FiscalTransaction.tx_number),
            sa.func.max(FiscalTransaction.signature_counter),
            count("signed"),
            count("failed"),
        ).where(FiscalTransaction.device_id == device.id)
    ).one()
    return {"tx_number": row[0], "signature_counter": row[1], "signed": row[2], "failed": row[3]}


def _page(form: FiskalyForm, status: int = 200):
    device = _active_device()
    if request.method == "GET" and device is not None and device.backend == "fiskaly":
        config = device.config or {}
        form.api_key.data = form.api_key.data or config.get("api_key")
        form.tss_id.data = form.tss_id.data or config.get("tss_id")
        form.base_url.data = config.get("base_url") or form.base_url.data
    transactions = db.session.scalars(
        sa.select(FiscalTransaction).order_by(FiscalTransaction.id.desc()).limit(20)
    ).all()
    devices = db.session.scalars(sa.select(TseDevice).order_by(TseDevice.id.desc())).all()
    return render_template(
        "fiscal/tse.html",
        device=device,
        counters=_counters(device),
        transactions=transactions,
        devices=devices,
        form=form,
        test_form=TestForm(),
        can_set_up=current_user.role == Role.ADMIN,
        secret_set=bool(os.environ.get(SECRET_ENV, "").strip()),
        secret_env=SECRET_ENV,
    ), status


@bp.get("/admin/tse")
@roles(*VIEWERS)
def index():
    return _page(FiskalyForm())


@bp.post("/admin/tse/fiskaly")
@roles(Role.ADMIN)
def set_up_fiskaly():
    """Test the fiskaly settings, or test them and put the TSS into service."""
    form = FiskalyForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    secret = os.environ.get(SECRET_ENV, "").strip()
    if not secret:
        flash(
            _(
                "The API secret is missing: set the environment variable %(name)s on the "
                "server and restart it.",
                name=SECRET_ENV,
            ),
            "error",
        )
        return _page(form, 422)
    values = {
        "api_key": form.api_key.data.strip(),
        "api_secret": secret,
        "tss_id": form.tss_id.data.strip(),
        "base_url": form.base_url.data.strip(),
    }
    if request.form.get("action") == "test":
        try:
            info = FiskalyTse(**values).info()
        except TseError as error:
            flash(_("fiskaly did not accept the settings: %(error)s", error=str(error)), "error")
            return _page(form, 422)
        flash(_("fiskaly answers. TSS serial: %(serial)s", serial=info.serial), "success")
        return _page(form)
    try:
        device = connect_device(current_actor(), **values, now=utcnow())
    except TseError as error:
        db.session.rollback()
        flash(_("fiskaly did not accept the settings: %(error)s", error=str(error)), "error")
        return _page(form, 422)
    db.session.commit()
    flash(_("The fiskaly TSE %(serial)s signs from now on.", serial=device.serial), "success")
    return redirect(url_for("fiscal_tse.index"))


@bp.post("/admin/tse/test")
@roles(*VIEWERS)
def test_connection():
    """Ask the TSE in service who it is."""
    device = _active_device()
    if device is None:
        flash(_("No TSE is set up."), "error")
        return redirect(url_for("fiscal_tse.index"))
    try:
        tse = signing.backend(device)
        info = tse.info()
        if device.backend == "simulator":
            tse.register_client("connection-test")  # fails when the simulator is switched off
    except TseError as error:
        flash(_("The TSE does not answer: %(error)s", error=str(error)), "error")
    else:
        if info.serial != device.serial:
            flash(
                _(
                    "The TSE answers with another serial number (%(serial)s) than the one recorded.",
                    serial=info.serial,
                ),
                "error",
            )
        else:
            flash(_("The TSE answers. Serial: %(serial)s", serial=info.serial), "success")
    return redirect(url_for("fiscal_tse.index"))
