"""Staff pages of the pick-ups: the offers to screen, an offer taken by phone, scheduling, vans."""

from decimal import Decimal, InvalidOperation

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from store.core import storage
from store.core.access import STAFF, Role, roles
from store.core.errors import ValidationError
from store.core.timeutil import local_today
from store.core.web import attempt, current_actor, refuse_errors
from store.logistics import cubic_metres, services
from store.logistics.forms import AcceptForm, DeclineForm, OfferForm, ScheduleForm, VehicleForm
from store.logistics.models import OfferSource, OfferStatus
from store.logistics.public_views import offer_in

bp = Blueprint("logistics", __name__, url_prefix="/pickups")

OFFICE = tuple(STAFF)  # supervisors, coordinators, admins screen and schedule
CREW = (Role.TRAINEE, *STAFF)  # the van's crew reads the day and takes in what came back


def status_labels() -> dict:
    return {
        OfferStatus.NEW: _("new"),
        OfferStatus.PHOTO_ASKED: _("photo asked for"),
        OfferStatus.ACCEPTED: _("accepted"),
        OfferStatus.SCHEDULED: _("scheduled"),
        OfferStatus.COLLECTED: _("collected"),
        OfferStatus.DECLINED: _("declined"),
        OfferStatus.CANCELLED: _("cancelled"),
    }


def litres(text: str | None) -> int | None:
    """ "2,5" or "2.5" (m³) → 2500 litres; empty → None."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return int(Decimal(text) * 1000)
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Please give the load in m³, e.g. 2,5."), field="volume") from None


@bp.get("")
@roles(*OFFICE)
def offers():
    which = request.args.get("show", "open")
    groups = {
        "open": list(services.OPEN),
        "scheduled": [OfferStatus.SCHEDULED],
        "done": [OfferStatus.COLLECTED, OfferStatus.DECLINED, OfferStatus.CANCELLED],
    }
    return render_template(
        "logistics/offers.html",
        offers=services.list_offers(groups.get(which, groups["open"])),
        show=which,
        status_labels=status_labels(),
        today=local_today(),
    )


@bp.route("/offers/new", methods=["GET", "POST"])
@roles(*OFFICE)
def offer_new():
    """An offer taken on the phone: the donor's consent is asked and ticked by staff."""
    form = OfferForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            offer = services.create_offer(current_actor(), offer_in(form), source=OfferSource.PHONE)
        if done:
            flash(_("The offer is recorded."), "success")
            return redirect(url_for("logistics.offer", offer_id=offer.id))
    return render_template("logistics/offer_new.html", form=form)


@bp.get("/offers/<int:offer_id>")
@roles(*OFFICE)
def offer(offer_id: int):
    item = services.get_offer(offer_id)
    schedule_form = ScheduleForm()
    schedule_form.vehicle.choices = [(v.id, v.name) for v in services.list_vehicles(active_only=True)]
    decline_form = DeclineForm()
    decline_form.reason.choices = [(k, str(v)) for k, v in services.DECLINE_REASONS.items()]
    accept_form = AcceptForm()
    if item.volume_l:
        accept_form.volume.data = cubic_metres(item.volume_l)
    return render_template(
        "logistics/offer.html",
        offer=item,
        status_labels=status_labels(),
        accept_form=accept_form,
        decline_form=decline_form,
        schedule_form=schedule_form,
        button=FlaskForm(),
        reasons=services.DECLINE_REASONS,
    )


def _done(offer_id: int, message: str):
    flash(message, "success")
    return redirect(url_for("logistics.offer", offer_id=offer_id))


@bp.post("/offers/<int:offer_id>/accept")
@roles(*OFFICE)
def offer_accept(offer_id: int):
    form = AcceptForm()
    form.validate()
    with attempt() as done:
        refuse_errors(form)
        services.accept(current_actor(), services.get_offer(offer_id), volume_l=litres(form.volume.data))
    return _done(offer_id, _("Accepted. Now choose a van and a day.")) if done else _back(offer_id)


@bp.post("/offers/<int:offer_id>/decline")
@roles(*OFFICE)
def offer_decline(offer_id: int):
    reason = request.form.get("reason", "")
    with attempt() as done:
        services.decline(current_actor(), services.get_offer(offer_id), reason)
    return _done(offer_id, _("Declined; the donor gets a polite answer.")) if done else _back(offer_id)


@bp.post("/offers/<int:offer_id>/ask-photo")
@roles(*OFFICE)
def offer_ask_photo(offer_id: int):
    with attempt() as done:
        services.ask_for_photo(current_actor(), services.get_offer(offer_id))
    return _done(offer_id, _("The donor is asked for a photo.")) if done else _back(offer_id)


@bp.post("/offers/<int:offer_id>/photo")
@roles(*OFFICE)
def offer_photo_add(offer_id: int):
    upload = request.files.get("photo")
    with attempt() as done:
        if upload is None or not upload.filename:
            raise ValidationError(_("Please choose a photo."))
        services.add_photo(current_actor(), services.get_offer(offer_id), upload)
    return _done(offer_id, _("Photo saved.")) if done else _back(offer_id)


@bp.post("/offers/<int:offer_id>/cancel")
@roles(*OFFICE)
def offer_cancel(offer_id: int):
    with attempt() as done:
        services.cancel(current_actor(), services.get_offer(offer_id))
    return _done(offer_id, _("The offer is cancelled.")) if done else _back(offer_id)


@bp.post("/offers/<int:offer_id>/schedule")
@roles(*OFFICE)
def offer_schedule(offer_id: int):
    form = ScheduleForm()
    form.vehicle.choices = [(v.id, v.name) for v in services.list_vehicles(active_only=True)]
    with attempt() as done:
        if not form.validate() or form.day.data is None:
            raise ValidationError(_("Please choose a van and a day."))
        services.schedule(
            current_actor(),
            services.get_offer(offer_id),
            services.get_vehicle(form.vehicle.data),
            form.day.data,
        )
    if done:
        flash(_("Scheduled."), "success")
        return redirect(url_for("logistics.day", day=form.day.data.isoformat()))
    return _back(offer_id)


@bp.post("/offers/<int:offer_id>/unschedule")
@roles(*OFFICE)
def offer_unschedule(offer_id: int):
    with attempt() as done:
        services.unschedule(current_actor(), services.get_offer(offer_id))
    return _done(offer_id, _("Taken off the van's day.")) if done else _back(offer_id)


def _back(offer_id: int):
    return redirect(url_for("logistics.offer", offer_id=offer_id))


@bp.get("/offers/<int:offer_id>/photos/<int:photo_id>.jpg")
@roles(*CREW)
def offer_photo(offer_id: int, photo_id: int):
    offer = services.get_offer(offer_id)
    photo = next((p for p in offer.photos if p.id == photo_id), None)
    if photo is None:
        abort(404)
    return storage.send(services.photo_key(photo.filename), "image/jpeg", max_age=0)


@bp.get("/outbox")
@roles(*OFFICE)
def outbox():
    return render_template("logistics/outbox.html", mails=services.outbox())


@bp.route("/vehicles", methods=["GET", "POST"])
@bp.route("/vehicles/<int:vehicle_id>", methods=["GET", "POST"])
@roles(Role.SUPERVISOR, Role.ADMIN)
def vehicles(vehicle_id: int | None = None):
    vehicle = services.get_vehicle(vehicle_id) if vehicle_id else None
    form = VehicleForm(obj=None)
    if request.method == "GET" and vehicle is not None:
        form.name.data, form.max_stops.data = vehicle.name, vehicle.max_stops
        form.volume.data = cubic_metres(vehicle.volume_l)
        form.weekdays.data = sorted(str(d) for d in vehicle.day_numbers)
        form.is_active.data = vehicle.is_active
    if form.validate_on_submit():
        with attempt(form, {"volume_l": "volume"}) as done:
            services.save_vehicle(
                current_actor(),
                vehicle,
                name=form.name.data,
                max_stops=form.max_stops.data or 0,
                volume_l=litres(form.volume.data) or 0,
                weekdays=",".join(form.weekdays.data or []),
                is_active=form.is_active.data,
            )
        if done:
            flash(_("Saved."), "success")
            return redirect(url_for("logistics.vehicles"))
    return render_template(
        "logistics/vehicles.html", form=form, vehicle=vehicle, vehicles=services.list_vehicles()
    )
