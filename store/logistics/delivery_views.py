"""Delivering a sale: the address and day given after paying, and the crew's "delivered"."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from store.core.access import roles
from store.core.web import attempt, current_actor
from store.logistics import services
from store.logistics.forms import DeliveryForm
from store.logistics.views import CREW, bp, litres


@bp.route("/deliveries/new/<int:sale_id>", methods=["GET", "POST"])
@roles(*CREW)
def new_delivery(sale_id: int):
    """After paying at the till: where and when the sale is delivered."""
    sale = services.get_sale_for_delivery(sale_id)
    existing = services.delivery_of(sale)
    if existing is not None:
        flash(_("This sale's delivery is planned already."), "success")
        return redirect(url_for("logistics.day", day=existing.day.isoformat()))
    form = DeliveryForm()
    if form.validate_on_submit():
        with attempt(form, {"volume_l": "volume"}) as done:
            delivery = services.plan_delivery(
                current_actor(),
                sale,
                day=form.day.data,
                address=form.address.data or "",
                name=form.name.data,
                phone=form.phone.data,
                floor=form.floor.data,
                has_lift=form.has_lift.data,
                volume_l=litres(form.volume.data) or 0,
            )
        if done:
            flash(
                _(
                    "Delivery planned on %(d)s with %(v)s.",
                    d=delivery.day.strftime("%d.%m.%Y"),
                    v=delivery.stop.vehicle.name,
                ),
                "success",
            )
            return redirect(url_for("logistics.day", day=delivery.day.isoformat()))
    return render_template("logistics/delivery_new.html", form=form, sale=sale)


@bp.post("/deliveries/<int:delivery_id>/done")
@roles(*CREW)
def delivery_done(delivery_id: int):
    delivery = services.get_delivery(delivery_id)
    with attempt() as done:
        services.mark_delivered(current_actor(), delivery)
    if done:
        flash(_("Delivered."), "success")
    return redirect(url_for("logistics.day", day=delivery.day.isoformat()))
