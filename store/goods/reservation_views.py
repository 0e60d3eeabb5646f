"""Pages of reservations: reserving from the item page, the list, releasing, the "reserviert" tag."""

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from store.core.access import Role, roles
from store.core.money import parse_cents
from store.core.web import attempt, current_actor, device_till_id, refuse_errors
from store.goods import services
from store.goods.forms import ReserveForm
from store.goods.reservation_tag import tag_pdf

bp = Blueprint("reservations", __name__)

FLOOR = (Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)
MANAGE = (Role.SUPERVISOR, Role.ADMIN)


@bp.get("/reservations")
@roles(*FLOOR)
def reservations():
    return render_template(
        "goods/reservations.html",
        reservations=services.list_reservations(),
        to_settle=services.deposits_to_settle(),
        till_id=device_till_id(),
        button=FlaskForm(),
    )


@bp.post("/items/<int:item_id>/reserve")
@roles(*FLOOR)
def reserve(item_id: int):
    item = services.get_item(item_id)
    form = ReserveForm(prefix="rs")
    with attempt() as done:
        form.validate()
        refuse_errors(form)
        reservation = services.reserve(
            current_actor(),
            item.code,
            customer=form.customer.data or "",
            phone=form.phone.data,
            until=form.until.data,
            deposit_cents=parse_cents((form.deposit.data or "").strip() or "0"),
        )
    if done:
        flash(
            _(
                "Reserved until %(date)s. The customer's number: %(n)s",
                date=reservation.until.strftime("%d.%m.%Y"),
                n=reservation.number,
            ),
            "success",
        )
    return redirect(url_for("goods.item", item_id=item_id))


@bp.post("/reservations/<int:reservation_id>/release")
@roles(*MANAGE)
def release(reservation_id: int):
    reservation = services.get_reservation(reservation_id)
    with attempt() as done:
        services.release(current_actor(), reservation)
    if done:
        flash(_("The reservation has ended; the item is for sale again."), "success")
    return redirect(url_for("goods.item", item_id=reservation.item_id))


@bp.get("/reservations/<int:reservation_id>/tag.pdf")
@roles(*FLOOR)
def tag(reservation_id: int):
    reservation = services.get_reservation(reservation_id)
    return Response(
        tag_pdf(reservation, current_app.config["STORE_NAME"]),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="reserviert-{reservation.number}.pdf"'},
    )
