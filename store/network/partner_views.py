"""Partner pages for admins: list, form, the outbox of deliveries with re-send.

Coordinators (and admins) watch the outbox: what is waiting, what arrived, what failed and why;
they send failed deliveries again. Only admins change partners.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from store.auth.forms import EmptyForm
from store.core.access import Role, roles
from store.core.web import Tile, attempt, current_actor, register_notice, register_tile, safe_next
from store.network import KEEPERS, outbox, services
from store.network.labels import DELIVERY_STATUS, EVENT_LABELS, PARTNER_KINDS
from store.network.models import DeliveryStatus, Partner
from store.network.partner_forms import PartnerForm

bp = Blueprint("partners", __name__, url_prefix="/partners")

# The reasons the worker stores for a cancelled delivery, in words for the page.
REASONS = {
    outbox.CONSENT_WITHDRAWN: _l("consent withdrawn"),
    outbox.PARTNER_OFF: _l("partner switched off"),
}
# How each status looks (the pills of app.css).
PILLS = {"pending": "pending", "delivered": "done", "failed": "failed", "cancelled": "closed"}


def ui() -> dict:
    return {
        "kind_labels": PARTNER_KINDS,
        "event_labels": EVENT_LABELS,
        "status_labels": DELIVERY_STATUS,
        "reasons": REASONS,
        "pills": PILLS,
    }


bp.context_processor(ui)


# ---------------------------------------------------------------- partners (admins)


@bp.get("/")
@roles(Role.ADMIN)
def index():
    return render_template(
        "network/partners.html", partners=services.list_partners(), counts=outbox.summary()
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def new():
    return _partner_form(None)


@bp.route("/<int:partner_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit(partner_id: int):
    return _partner_form(services.get_partner(partner_id))


def _partner_form(partner: Partner | None):
    form = PartnerForm(obj=partner)
    if partner is not None and request.method == "GET":
        form.kind.data = partner.kind.value
        form.events.data = list(partner.events or [])
    if form.validate_on_submit():
        with attempt(form) as done:
            saved = services.save_partner(
                current_actor(),
                partner,
                name=form.name.data,
                kind=form.kind.data,
                contact=form.contact.data,
                url=form.url.data,
                secret=form.secret.data,
                events=form.events.data or [],
                is_active=form.is_active.data,
            )
        if done:
            flash(_("%(name)s was saved.", name=saved.name), "success")
            return redirect(url_for("partners.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("network/partner_form.html", form=form, partner=partner), status


# ---------------------------------------------------------------- the outbox (coordinators)


def _status_filter() -> str | None:
    value = request.args.get("status") or None
    return value if value in {s.value for s in DeliveryStatus} else None


def _deliveries_page(partner, status: str | None, deliveries: list, totals: dict, counts: dict):
    """The outbox table; who each delivery is about as the viewer may see it (admins: the number)."""
    return render_template(
        "network/deliveries.html",
        partner=partner,
        status=status,
        deliveries=deliveries,
        names={d.id: services.shown_name(d.event, current_user) for d in deliveries},
        totals=totals,
        counts=counts,
        partners=services.list_partners(),
        form=EmptyForm(),
    )


@bp.get("/outbox", endpoint="outbox")
@roles(*KEEPERS)
def outbox_page():
    status = _status_filter()
    counts = outbox.summary()
    return _deliveries_page(
        None, status, outbox.deliveries_for(None, status), outbox.totals(counts), counts
    )


@bp.get("/<int:partner_id>/deliveries")
@roles(*KEEPERS)
def deliveries(partner_id: int):
    partner = services.get_partner(partner_id)
    status = _status_filter()
    counts = outbox.summary()
    return _deliveries_page(
        partner,
        status,
        outbox.deliveries_for(partner.id, status),
        outbox.totals({partner.id: counts.get(partner.id, {})}),
        counts,
    )


@bp.post("/deliveries/<int:delivery_id>/resend")
@roles(*KEEPERS)
def resend(delivery_id: int):
    delivery = outbox.get_delivery(delivery_id)
    with attempt() as done:
        outbox.resend(current_actor(), delivery)
    if done:
        flash(
            _("The delivery is queued again and goes out with the next round of the worker."), "success"
        )
    return redirect(safe_next(request.args.get("next"), url_for("partners.outbox")))


# ---------------------------------------------------------------- start screen


def failed_notice(user) -> list:
    """Coordinators and admins see deliveries that gave up until someone sends them again."""
    if user.role not in KEEPERS:
        return []
    failed = outbox.failed_count()
    if not failed:
        return []
    return [
        (
            "warning",
            ngettext(
                "Partner sync: %(num)s delivery failed.",
                "Partner sync: %(num)s deliveries failed.",
                failed,
            ),
            "partners.outbox",
        )
    ]


def register() -> None:
    register_tile(Tile("partners.outbox", _l("Outbox"), "list", KEEPERS, 47))
    register_tile(Tile("partners.index", _l("Partners"), "users", frozenset({Role.ADMIN}), 63))
    register_notice(failed_notice)
