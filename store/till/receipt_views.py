"""The till's receipts in the office: the history, one receipt, a reprint, a void, a return, and the
customer's e-receipt.

Every page calls store.till.services; a view parses, calls, and renders or redirects.
"""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from store.auth import services as auth
from store.auth.forms import EmptyForm
from store.branches import web as branch_web
from store.core.access import Role, public, roles
from store.core.errors import ServiceError, ValidationError
from store.core.i18n import money
from store.core.web import attempt, current_actor, show_error
from store.extensions import db
from store.till import services
from store.till.labels import labels
from store.till.models import Sale, Till
from store.till.office_forms import ReturnForm, VoidForm

bp = Blueprint("till_receipts", __name__)
bp.context_processor(labels)

SALES_LIMIT = 100
SELLERS = (Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)
MANAGERS = (Role.SUPERVISOR, Role.ADMIN)


def _till_filter() -> Till | None:
    till_id = request.args.get("till", type=int)
    return db.session.get(Till, till_id) if till_id else None


@bp.get("/sales")
@roles(*SELLERS)
def sales():
    till = _till_filter()
    return render_template(
        "till/office/sales.html",
        sales=services.recent_sales(till, limit=SALES_LIMIT, branch_ids=branch_web.scope_ids()),
        limit=SALES_LIMIT,
        tills=services.list_tills(include_inactive=True, branch_ids=branch_web.scope_ids()),
        till=till,
    )


@bp.get("/sales/<int:sale_id>")
@roles(*SELLERS)
def sale(sale_id: int):
    return _render_sale(services.get_sale(sale_id))


def _supervisors(form: VoidForm) -> None:
    people = [u for u in auth.pin_users() if services.confirms_alone(u)]
    form.user_id.choices = [("", _("– choose –"))] + [(u.id, u.display_name) for u in people]


def _render_sale(
    sale: Sale,
    *,
    void_form: VoidForm | None = None,
    return_form: ReturnForm | None = None,
    entered: dict | None = None,
):
    void_form = void_form or VoidForm(formdata=None)
    _supervisors(void_form)
    return render_template(
        "till/office/sale.html",
        sale=sale,
        reversals=services.reversals_of(sale),
        vat=services.sale_vat(sale),
        options=services.reversal_options(sale),
        entered=entered or {},
        till_open=sale.till.current_session_id is not None,
        void_form=void_form,
        return_form=return_form or ReturnForm(formdata=None),
        action_form=EmptyForm(),
    )


@bp.post("/sales/<int:sale_id>/reprint")
@roles(*SELLERS)
def sale_reprint(sale_id: int):
    sale = services.get_sale(sale_id)
    if services.queue_receipt(current_actor(), sale, copy=True) is None:
        flash(_("This till has no receipt printer."), "error")
    else:
        flash(_("A copy of receipt %(n)s is being printed.", n=sale.receipt_number), "success")
    return redirect(url_for(".sale", sale_id=sale.id))


def _supervisor(form: VoidForm):
    """The supervisor who confirms, by badge or PIN. A refusal other than a wrong badge or PIN (not a
    supervisor, nothing given) shows at the badge field."""
    try:
        return services.confirming_supervisor(
            badge=form.badge.data or None,
            user_id=form.user_id.data,
            pin=form.pin.data or None,
            address=request.remote_addr,
        )
    except auth.LoginError:
        raise
    except ServiceError as error:
        raise ValidationError(error.message, field="badge") from None


@bp.post("/sales/<int:sale_id>/void")
@roles(*MANAGERS)
def sale_void(sale_id: int):
    sale = services.get_sale(sale_id)
    form = VoidForm()
    _supervisors(form)
    if not form.validate_on_submit():
        return _render_sale(sale, void_form=form)
    wrong_login = None
    with attempt(form) as done:
        try:
            supervisor = _supervisor(form)
        except auth.LoginError as error:
            # Not undone: the request commits the failed attempt, which counts towards the lock.
            wrong_login = error
        else:
            counter = services.void_sale(
                current_actor(), sale, form.reason.data or "", confirmed_by=supervisor
            )
    if wrong_login is not None:
        field = "badge" if form.badge.data else "pin"
        show_error(form, ValidationError(wrong_login.message, field=field))
        return _render_sale(sale, void_form=form)
    if not done:
        return _render_sale(sale, void_form=form)
    flash(
        _(
            "Receipt %(n)s was voided. Pay back %(sum)s.",
            n=sale.receipt_number,
            sum=money(-counter.total_cents),
        ),
        "success",
    )
    return redirect(url_for(".sale", sale_id=counter.id))


@bp.post("/sales/<int:sale_id>/return")
@roles(*MANAGERS)
def sale_return(sale_id: int):
    sale = services.get_sale(sale_id)
    form = ReturnForm()
    entered = {line.id: request.form.get(f"qty-{line.id}", "").strip() for line in sale.lines}
    if not form.validate_on_submit():
        return _render_sale(sale, return_form=form, entered=entered)
    with attempt(form) as done:
        counter = services.return_lines(
            current_actor(),
            sale,
            _quantities(entered),
            form.reason.data or "",
            to_stock=form.target.data != "write_off",
        )
    if not done:
        return _render_sale(sale, return_form=form, entered=entered)
    flash(
        _("The return is booked. Pay back %(sum)s in cash.", sum=money(-counter.total_cents)), "success"
    )
    return redirect(url_for(".sale", sale_id=counter.id))


def _quantities(entered: dict[int, str]) -> dict[int, int]:
    """The typed quantities per line (blank and 0 left out); whole numbers only."""
    quantities = {}
    for line_id, text in entered.items():
        if text and text != "0":
            if not text.lstrip("-").isdigit():
                raise ValidationError(_("Please enter whole numbers."))
            quantities[line_id] = int(text)
    return quantities


@bp.get("/receipt/<token>")
@public
def receipt(token: str):
    """The customer's e-receipt, reached through the QR code on the till screen: by the token the
    server made, never by an id (the sale's number is easy to guess, its uuid the client chose)."""
    sale = db.session.scalar(sa.select(Sale).where(Sale.receipt_token == token)) if token else None
    if sale is None:
        abort(404)
    response = render_template("till/office/receipt.html", sale=sale, vat=services.sale_vat(sale))
    return response, 200, {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "private"}
