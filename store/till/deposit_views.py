"""The till's deposit page: take a reservation's deposit (a receipt of its own), and pay back or
keep, by the store's rule, the deposits of reservations that ended without a sale."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import Length

from store.branches import web as branch_web
from store.core.access import Role, roles
from store.core.bounds import no_controls
from store.core.errors import NotFoundError, ValidationError
from store.core.i18n import money
from store.core.money import parse_cents
from store.core.web import attempt, current_actor
from store.goods import services as goods
from store.printing import services as printing
from store.till import services
from store.till.labels import labels, sale_screen

bp = Blueprint("till_deposits", __name__)
# A till of a branch the user does not work in does not exist for them.
branch_web.guard(bp, "till_id", services.till_branch_id)
bp.context_processor(labels)

SELLERS = (Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)


class DepositForm(FlaskForm):
    number = StringField(_l("Reservation number"), validators=[Length(max=8), no_controls()])
    amount = StringField(_l("Deposit in €"), validators=[Length(max=20), no_controls()])
    method = RadioField(
        _l("Paid with"), choices=[("cash", _l("Cash")), ("card", _l("Card"))], default="cash"
    )


def _reservation(number: str | None):
    """The reservation of a number typed, or None (the page then asks for it)."""
    if not (number or "").strip():
        return None
    try:
        return goods.find_reservation(number.strip())
    except NotFoundError as error:
        flash(error.message, "error")
        return None


@bp.route("/till/<int:till_id>/deposit", methods=["GET", "POST"])
@roles(*SELLERS)
def deposit(till_id: int):
    till = services.get_till(till_id)
    form = DepositForm()
    if request.method == "GET":
        form.number.data = request.args.get("number", "")
    reservation = _reservation(form.number.data)
    if request.method == "GET" and reservation is not None and reservation.deposit_state == "due":
        form.amount.data = f"{reservation.deposit_cents / 100:.2f}".replace(".", ",")
    if form.validate_on_submit() and reservation is not None:
        with attempt(form, {"amount_cents": "amount"}) as done:
            amount = _amount(form.amount.data)
            sale = services.take_deposit(
                current_actor(),
                till,
                reservation,
                [services.PaymentIn(method=form.method.data, amount_cents=amount)],
                amount_cents=amount,
            )
        if done:
            flash(
                _("Deposit taken: receipt no. %(n)s.", n=sale.receipt_number),
                "success",
            )
            return redirect(url_for("till_deposits.deposit", till_id=till.id, number=reservation.number))
    return render_template(
        "till/deposit.html",
        till=till,
        form=form,
        reservation=reservation,
        to_settle=goods.deposits_to_settle(),
        rule=services.deposit_rule(),
        button=FlaskForm(),
        back=sale_screen(till.id),
        jobs=_receipt_jobs(reservation),
    )


def _amount(text: str | None) -> int:
    try:
        return parse_cents((text or "").strip())
    except ValidationError as error:
        raise ValidationError(error.message, field="amount") from None


def _receipt_jobs(reservation) -> list:
    """The print jobs of the reservation's deposit receipts (to show the receipt)."""
    if reservation is None:
        return []
    refs = [r for r in (reservation.deposit_ref, reservation.deposit_settled_ref) if r]
    return [job for ref in refs for job in printing.jobs_for(("sale", ref))]


@bp.post("/till/<int:till_id>/deposit/<int:reservation_id>/settle")
@roles(*SELLERS)
def settle(till_id: int, reservation_id: int):
    till = services.get_till(till_id)
    reservation = goods.get_reservation(reservation_id)
    with attempt() as done:
        sale = services.settle_deposit(current_actor(), till, reservation)
    if done:
        if sale.total_cents < 0:
            message = _(
                "Pay back %(sum)s from the drawer: receipt no. %(n)s.",
                sum=money(-sale.total_cents),
                n=sale.receipt_number,
            )
        else:
            message = _("The deposit is kept: receipt no. %(n)s.", n=sale.receipt_number)
        flash(message, "success")
    return redirect(url_for("till_deposits.deposit", till_id=till.id, number=reservation.number))
