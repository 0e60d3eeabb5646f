"""Returns and voids at the till: whoever sells scans the receipt and picks the lines, a supervisor
confirms with badge or PIN on the same screen; nobody signs out."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from store.auth import services as auth
from store.branches import web as branch_web
from store.core.access import Role, roles
from store.core.errors import ServiceError
from store.core.i18n import money
from store.core.web import attempt, current_actor
from store.till import services
from store.till.labels import labels

bp = Blueprint("till_returns", __name__)
# A till of a branch the user does not work in does not exist for them.
branch_web.guard(bp, "till_id", services.till_branch_id)
bp.context_processor(labels)

SELLERS = (Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)


def _supervisors():
    return [u for u in auth.pin_users() if services.confirms_alone(u)]


@bp.get("/till/<int:till_id>/return")
@roles(*SELLERS)
def start(till_id: int):
    """Step 1: scan the receipt. Step 2 (with ?receipt=): pick the lines, a supervisor confirms."""
    till = services.get_till(till_id)
    text = request.args.get("receipt", "").strip()
    sale, error = None, None
    if text:
        try:
            sale = services.find_receipt(text, till)
        except ServiceError as refused:
            error = refused.message
    return render_template(
        "till/return.html",
        till=till,
        text=text,
        sale=sale,
        error=error,
        options=services.reversal_options(sale) if sale else None,
        supervisors=_supervisors(),
        reasons=[_("broken"), _("does not fit"), _("bought by mistake")],
    )


def _quantities(sale) -> dict[int, int]:
    quantities = {}
    for line in sale.lines:
        text = request.form.get(f"qty-{line.id}", "0").strip()
        quantities[line.id] = int(text) if text.isdigit() else 0
    return quantities


@bp.post("/till/<int:till_id>/return/<int:sale_id>")
@roles(*SELLERS)
def book(till_id: int, sale_id: int):
    till = services.get_till(till_id)
    sale = services.get_sale(sale_id)
    form = request.form
    again = url_for(".start", till_id=till.id, receipt=sale.uuid)
    wrong_login = None
    with attempt() as done:
        try:
            counter = services.take_back(
                current_actor(),
                sale,
                _quantities(sale),
                form.get("reason", ""),
                whole=form.get("whole") == "1",
                to_stock=form.get("target") != "write_off",
                badge=form.get("badge") or None,
                supervisor_id=form.get("supervisor_id", type=int),
                pin=form.get("pin") or None,
                address=request.remote_addr,
            )
        except auth.LoginError as error:
            # Not undone: the request commits the failed attempt, which counts towards the lock.
            wrong_login = error
    if wrong_login is not None:
        flash(wrong_login.message, "error")
        return redirect(again)
    if not done:
        return redirect(again)
    flash(
        _("Booked. Pay back %(sum)s in cash to the customer.", sum=money(-counter.total_cents)),
        "success",
    )
    return redirect(url_for("till.sale", till_id=till.id))
