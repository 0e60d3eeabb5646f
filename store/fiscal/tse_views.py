"""The TSE page: which TSE signs, its last transactions, fiskaly set-up, connection test, export."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import URL, DataRequired, Length
from wtforms.validators import UUID as UUIDValidator

from store.core.access import Role, roles
from store.core.bounds import no_controls
from store.core.web import current_actor
from store.tse import devices
from store.tse.backends.base import TseError
from store.tse.backends.fiskaly import DEFAULT_BASE_URL, SECRET_ENV, api_secret

bp = Blueprint("fiscal_tse", __name__)

VIEWERS = (Role.SUPERVISOR, Role.ADMIN)


class FiskalyForm(FlaskForm):
    api_key = StringField(_l("API key"), validators=[DataRequired(), Length(max=200), no_controls()])
    tss_id = StringField(
        _l("TSS id"),
        validators=[
            DataRequired(),
            Length(max=36),
            no_controls(),
            UUIDValidator(message=_l("The TSS id is a UUID, as the fiskaly dashboard shows it.")),
        ],
    )
    base_url = StringField(
        _l("API address"),
        default=DEFAULT_BASE_URL,
        validators=[DataRequired(), Length(max=200), no_controls(), URL(require_tld=False)],
    )


class TestForm(FlaskForm):
    """A one-button action: it carries only the CSRF token."""


def _page(form: FiskalyForm, status: int = 200):
    device = devices.in_service()
    if request.method == "GET" and device is not None and device.backend == "fiskaly":
        config = device.config or {}
        form.api_key.data = form.api_key.data or config.get("api_key")
        form.tss_id.data = form.tss_id.data or config.get("tss_id")
        form.base_url.data = config.get("base_url") or form.base_url.data
    return render_template(
        "fiscal/tse.html",
        device=device,
        counters=devices.counters(device),
        transactions=devices.recent_transactions(20),
        devices=devices.all_devices(),
        form=form,
        test_form=TestForm(),
        secret_set=bool(api_secret()),
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
    secret = api_secret()
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
            info = devices.check_fiskaly(**values)
        except TseError as error:
            flash(_("fiskaly did not accept the settings: %(error)s", error=str(error)), "error")
            return _page(form, 422)
        flash(_("fiskaly answers. TSS serial: %(serial)s", serial=info.serial), "success")
        return _page(form)
    try:
        device = devices.connect_device(current_actor(), **values)
    except TseError as error:
        # Nothing was kept: connect_device asks the TSS before it changes anything.
        flash(_("fiskaly did not accept the settings: %(error)s", error=str(error)), "error")
        return _page(form, 422)
    flash(_("The fiskaly TSE %(serial)s signs from now on.", serial=device.serial), "success")
    return redirect(url_for("fiscal_tse.index"))


@bp.post("/admin/tse/test")
@roles(*VIEWERS)
def test_connection():
    """Ask the TSE in service who it is."""
    device = devices.in_service()
    if device is None:
        flash(_("No TSE is set up."), "error")
        return redirect(url_for("fiscal_tse.index"))
    try:
        info = devices.check_connection(device)
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
