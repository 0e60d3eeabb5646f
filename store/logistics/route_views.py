"""A day of the vans: the stops in order, moving them, the route sheet PDF, and taking in what came
back from an offer."""

from datetime import date, timedelta

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from store.core.access import roles
from store.core.money import parse_cents
from store.core.timeutil import local_today
from store.core.web import attempt, current_actor
from store.goods import services as goods
from store.logistics import services
from store.logistics.forms import OfferIntakeForm
from store.logistics.route_sheet import route_sheet_pdf
from store.logistics.views import CREW, OFFICE, bp


def _day(text: str | None) -> date:
    try:
        return date.fromisoformat(text) if text else local_today()
    except ValueError:
        abort(404)


@bp.get("/days")
@bp.get("/days/<day>")
@roles(*CREW)
def day(day: str | None = None):
    when = _day(day or request.args.get("day"))
    return render_template(
        "logistics/day.html",
        day=when,
        slots=services.day_slots(when),
        previous=when - timedelta(days=1),
        following=when + timedelta(days=1),
        button=FlaskForm(),
    )


@bp.get("/days/<day>/route.pdf")
@roles(*CREW)
def route_pdf(day: str):
    when = _day(day)
    slots = services.day_slots(when)
    vehicle = request.args.get("vehicle", type=int)
    if vehicle:
        slots = [s for s in slots if s.vehicle.id == vehicle]
    pdf = route_sheet_pdf(slots, when, current_app.config["STORE_NAME"])
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="route-{when.isoformat()}.pdf"'},
    )


@bp.post("/days/<day>/vehicles/<int:vehicle_id>/order")
@roles(*OFFICE)
def order_postcode(day: str, vehicle_id: int):
    when = _day(day)
    with attempt() as done:
        services.order_by_postcode(current_actor(), services.get_vehicle(vehicle_id), when)
    if done:
        flash(_("The stops are ordered by postcode."), "success")
    return redirect(url_for("logistics.day", day=when.isoformat()))


@bp.post("/stops/<int:stop_id>/move")
@roles(*OFFICE)
def stop_move(stop_id: int):
    stop = services.get_stop(stop_id)
    when = stop.day
    with attempt():
        services.move_stop(current_actor(), stop, -1 if request.form.get("direction") == "up" else 1)
    return redirect(url_for("logistics.day", day=when.isoformat()))


@bp.route("/offers/<int:offer_id>/intake", methods=["GET", "POST"])
@roles(*CREW)
def offer_intake(offer_id: int):
    """Back from the trip: the collected goods go into intake with the offer's data filled in."""
    offer = services.get_offer(offer_id)
    form = OfferIntakeForm()
    categories = goods.list_categories()
    form.category.choices = [(0, _("– choose –"))] + [(c.id, c.path) for c in categories]
    if request.method == "GET":
        defaults = services.intake_defaults(offer)
        form.description.data = defaults["description"]
        form.quantity.data = defaults["quantity"]
        form.donor_name.data = defaults["donor_name"]
    if form.validate_on_submit():
        with attempt(form, flash_too=True) as done:
            price = (form.price.data or "").strip()
            entry = goods.IntakeEntry(
                category_id=form.category.data or None,
                description=form.description.data or "",
                price_cents=parse_cents(price) if price else None,
                quantity=form.quantity.data if form.quantity.data is not None else 1,
                condition=form.condition.data or "good",
                location=form.location.data,
                donor_name=form.donor_name.data,
            )
            actor = current_actor()
            items = services.take_in_offer(actor, offer, [entry])
            goods.queue_labels(actor, items)
        if done:
            flash(_("Taken in: %(codes)s", codes=", ".join(i.code for i in items)), "success")
            return redirect(url_for("goods.item", item_id=items[0].id))
    return render_template("logistics/intake.html", form=form, offer=offer)
