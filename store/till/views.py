"""The sale screen: scan, price-list buttons, discounts, payment. JSON actions for its script."""

import io

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from store.auth import services as auth
from store.auth.services import LoginError
from store.branches import services as branches
from store.branches import web as branch_web
from store.core.access import Role, roles
from store.core.errors import ServiceError
from store.core.money import parse_cents
from store.core.settings import get_setting
from store.core.web import (
    DEVICE_COOKIE,
    attempt,
    current_actor,
    device_cookie_value,
    device_till_id,
)
from store.extensions import db
from store.goods import services as goods
from store.printing import services as printing
from store.till import services
from store.till.models import Till

bp = Blueprint("till", __name__)
# A till of a branch the user does not work in does not exist for them.
branch_web.guard(bp, "till_id", services.till_branch_id)

SELLERS = (Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)


@bp.get("/till")
@roles(*SELLERS)
def index():
    """This device's till, or the list to choose one."""
    till_id = device_till_id()
    if till_id and request.args.get("choose") is None:
        till = db.session.get(Till, till_id)
        if till is not None and till.is_active:
            return redirect(url_for("till.sale", till_id=till.id))
    return render_template(
        "till/choose.html", tills=services.list_tills(branch_ids=branch_web.scope_ids())
    )


@bp.post("/till/select")
@roles(*SELLERS)
def select():
    till = services.get_till(request.form.get("till_id", type=int) or 0)
    branches.check_visible(current_user, till.branch_id)
    response = make_response(redirect(url_for("till.sale", till_id=till.id)))
    response.set_cookie(
        DEVICE_COOKIE,
        device_cookie_value(till.id),
        max_age=10 * 365 * 86400,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.get("/till/<int:till_id>")
@roles(*SELLERS)
def sale(till_id: int):
    till = services.get_till(till_id)
    if till.current_session_id is None:
        return redirect(url_for("till_office.open_session", till_id=till.id))
    return render_template(
        "till/sale.html",
        till=till,
        cart=_cart_html(till),
        articles=goods.list_articles(),
        issuers=get_setting("voucher_issuers"),
        limit=get_setting("discount_confirm_percent"),
        eligibility_percent=get_setting("eligibility_percent"),
        delivery_fee=get_setting("delivery_fee_cents"),
        confirms_alone=services.confirms_alone(current_user),
        notes=services.QUICK_NOTES,
        supervisors=[u for u in auth.pin_users() if services.confirms_alone(u)],
    )


def _cart_html(till: Till) -> str:
    cart = services.open_cart(till)
    priced = services.price_cart(cart) if cart is not None else None
    problems = services.printer_problems(till)
    return render_template("till/_cart.html", till=till, cart=cart, priced=priced, problems=problems)


def _answer(till: Till, message: str | None = None, error: str | None = None, **extra):
    return jsonify(ok=error is None, html=_cart_html(till), message=message, error=error, **extra)


def _refused(till: Till, error: ServiceError):
    """The error and the unchanged cart, for the till's script."""
    if not isinstance(error, LoginError):
        # Undo the refused action before the cart is drawn again: the answer is JSON for the till's
        # script, not the error page that comes with the request's own roll-back. (A wrong badge or
        # PIN is kept instead, and the request commits it: it counts towards the lock.)
        db.session.rollback()
    return _answer(till, error=error.message), error.status


def _act(till_id: int, action, message=None):
    """Run one cart action; answer with the new cart, or the error and the unchanged cart."""
    till = services.get_till(till_id)
    try:
        result = action(till)
    except ServiceError as error:
        return _refused(till, error)
    return _answer(till, message=message(result) if callable(message) else message)


def _payload() -> dict:
    return request.get_json(silent=True) or {}


@bp.post("/till/<int:till_id>/scan")
@roles(*SELLERS)
def scan(till_id: int):
    data = _payload()
    code = str(data.get("code", "")).strip()
    return _act(
        till_id,
        lambda till: services.add_code(current_actor(), till, code, cart_uuid=data.get("uuid")),
        lambda line: line.item.description,
    )


@bp.post("/till/<int:till_id>/article")
@roles(*SELLERS)
def article(till_id: int):
    data = _payload()
    return _act(
        till_id,
        lambda till: services.add_article(
            current_actor(),
            till,
            int(data.get("article_id") or 0),
            int(data.get("quantity") or 1),
            cart_uuid=data.get("uuid"),
        ),
        lambda line: f"{line.quantity} × {line.article.name}",
    )


@bp.post("/till/<int:till_id>/lines/<int:line_id>/remove")
@roles(*SELLERS)
def remove(till_id: int, line_id: int):
    return _act(
        till_id, lambda till: services.remove_line(current_actor(), till, line_id), _("Line removed.")
    )


@bp.post("/till/<int:till_id>/lines/<int:line_id>/quantity")
@roles(*SELLERS)
def quantity(till_id: int, line_id: int):
    value = int(_payload().get("quantity") or 0)
    return _act(till_id, lambda till: services.set_quantity(current_actor(), till, line_id, value))


@bp.post("/till/<int:till_id>/lines/<int:line_id>/discount")
@roles(*SELLERS)
def discount(till_id: int, line_id: int):
    data = _payload()

    def apply(till):
        confirmed_by = None
        if data.get("badge") or data.get("pin"):
            confirmed_by = services.confirming_supervisor(
                badge=data.get("badge"),
                user_id=int(data.get("supervisor_id") or 0) or None,
                pin=data.get("pin"),
                address=request.remote_addr,
            )
        services.set_discount(
            current_actor(),
            till,
            line_id,
            int(data.get("percent") or 0),
            str(data.get("reason") or ""),
            confirmed_by=confirmed_by,
        )

    return _act(till_id, apply, _("Discount set."))


@bp.post("/till/<int:till_id>/delivery")
@roles(*SELLERS)
def delivery(till_id: int):
    data = _payload()
    return _act(
        till_id,
        lambda till: services.add_delivery(current_actor(), till, cart_uuid=data.get("uuid")),
        _("Delivery added. After paying, give the address and the day."),
    )


@bp.post("/till/<int:till_id>/eligibility")
@roles(*SELLERS)
def eligibility(till_id: int):
    data = _payload()
    return _act(
        till_id, lambda till: services.set_eligibility(current_actor(), till, bool(data.get("on")))
    )


@bp.post("/till/<int:till_id>/cancel")
@roles(*SELLERS)
def cancel(till_id: int):
    return _act(
        till_id,
        lambda till: services.cancel_cart(current_actor(), till),
        _("Receipt cancelled. Nothing was booked."),
    )


@bp.get("/till/<int:till_id>/cart")
@roles(*SELLERS)
def cart(till_id: int):
    return _answer(services.get_till(till_id))


@bp.post("/till/<int:till_id>/pay")
@roles(*SELLERS)
def pay(till_id: int):
    """Pay the open receipt. Sent again with the same id (double click, retry), it books once."""
    till = services.get_till(till_id)
    data = _payload()
    try:
        payments = [
            services.PaymentIn(
                method=str(p.get("method")),
                amount_cents=parse_cents(str(p.get("amount", ""))),
                voucher_number=p.get("voucher_number"),
                voucher_issuer=p.get("voucher_issuer"),
            )
            for p in data.get("payments") or []
        ]
        sale, _created = services.checkout(
            current_actor(), till, payments, cart_uuid=data.get("uuid") or None
        )
    except ServiceError as error:
        return _refused(till, error)
    jobs = printing.jobs_for(("sale", str(sale.id)))
    change = sale.change_cents
    done = render_template(
        "till/_done.html",
        sale=sale,
        change=change,
        pieces=services.change_pieces(change),
        receipt_job=jobs[0] if jobs else None,
        receipt_url=url_for("till_receipts.receipt", token=sale.receipt_token, _external=True),
        delivery=any(line.service == "delivery" for line in sale.lines),
    )
    return _answer(till, done=done, receipt_number=sale.receipt_number, change_cents=change)


@bp.get("/till/receipt-qr/<uuid>.svg")
@roles(*SELLERS)
def receipt_qr(uuid: str):
    """A QR code of the receipt's web address, for a customer who wants no paper."""
    sale = services.find_sale(uuid)
    if sale is None:
        return Response(status=404)
    url = url_for("till_receipts.receipt", token=sale.receipt_token, _external=True)
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    out = io.BytesIO()
    image.save(out)
    return Response(out.getvalue(), mimetype="image/svg+xml")


@bp.get("/practice")
@roles(*SELLERS)
def practice():
    """Practice on a training till: nothing counts, so a trainee starts it alone."""
    return render_template("till/practice.html", tills=services.practice_tills())


@bp.post("/practice")
@roles(*SELLERS)
def practice_start():
    with attempt() as done:
        till = services.start_practice(current_actor(), request.form.get("till_id", type=int))
    if not done:
        return redirect(url_for("till.practice"))
    return redirect(url_for("till.sale", till_id=till.id))


@bp.get("/till/<int:till_id>/display")
@roles(*SELLERS)
def display(till_id: int):
    """The customer display: open it on the till's second screen or a tablet facing the customer."""
    till = services.get_till(till_id)
    labels = {}
    for code in ("de", "en"):
        with force_locale(code):
            labels[code] = {
                "title": _("Your purchase"),
                "total": _("Total"),
                "paid": _("Paid"),
                "change": _("Change"),
                "welcome": _("Welcome!"),
                "thanks": _("Thank you!"),
                "kg": _("With this purchase %(kg)s kg stay in use"),
            }
    return render_template("till/display.html", till=till, labels=labels)


@bp.get("/till/<int:till_id>/display.json")
@roles(*SELLERS)
def display_state(till_id: int):
    return jsonify(services.customer_view(services.get_till(till_id)))


@bp.post("/till/<int:till_id>/sound")
@roles(*SELLERS)
def sound(till_id: int):
    """Scan tones on or off for this till (the person at the till decides)."""
    till = services.get_till(till_id)
    services.set_sound(current_actor(), till, bool(_payload().get("on")))
    return jsonify(ok=True, sound=till.sound)


@bp.post("/till/<int:till_id>/training")
@roles(Role.SUPERVISOR, Role.ADMIN)
def training(till_id: int):
    """Supervisors switch a till into or out of training mode."""
    till = services.get_till(till_id)
    with attempt() as done:
        services.set_training(current_actor(), till, not till.training)
    if done:
        flash(_("Training mode is on.") if till.training else _("Training mode is off."), "success")
    return redirect(url_for("till.sale", till_id=till.id))
