"""The receipt being rung up: scanning labels, price-list articles, quantities, discounts, the
entitlement card, training mode, cancelling, and what it all costs now."""

import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core.audit import Actor, audit
from store.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from store.core.exports import safe_cell
from store.core.pricing import price_line, vat_breakdown
from store.core.settings import get_setting
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.goods import services as goods
from store.till.models import BusinessCase, Cart, CartLine, Till, VoidedLine
from store.till.services.cash import current_session
from store.till.services.lookups import find_sale
from store.till.services.supervisors import confirms_alone
from store.tse import signing
from store.tse.backends.base import Started


@dataclass
class PricedLine:
    line: CartLine | None
    description: str
    code: str | None
    quantity: int
    label_cents: int
    unit_cents: int
    markdown_percent: int
    discount_percent: int
    discount_cents: int
    eligibility_cents: int
    total_cents: int
    vat_rate_bp: int
    category_id: int
    # DSFinV-K business case; a deposit counted refers to the receipt that took it (issue 18).
    business_case: str = BusinessCase.SALE.value
    ref_sale_id: int | None = None
    reservation_id: int | None = None
    service: str | None = None


@dataclass
class Priced:
    lines: list[PricedLine]
    total_cents: int
    vat: list = field(default_factory=list)


DELIVERY = "delivery"
# What the receipt and the export record for service and deposit lines (the fiscal record is kept
# in the store's language, as the export's other texts; the till's screen translates them).
DELIVERY_TEXT = "Lieferung"
DEPOSIT_USED_TEXT = "Anzahlung Reservierung {number}"


def open_cart(till: Till) -> Cart | None:
    return db.session.scalar(sa.select(Cart).where(Cart.till_id == till.id, Cart.is_open.is_(True)))


def start_cart(
    actor: Actor, till: Till, *, cart_uuid: str | None = None, now: datetime | None = None
) -> Cart:
    """The till's open cart, or a new one (the first scan starts the transaction)."""
    cart = open_cart(till)
    if cart is not None:
        return cart
    session = current_session(till)
    if cart_uuid:
        try:
            cart_uuid = str(uuidlib.UUID(cart_uuid))
        except ValueError:
            raise ValidationError(_("Invalid sale id.")) from None
        if find_sale(cart_uuid) is not None or db.session.scalar(
            sa.select(Cart.id).where(Cart.uuid == cart_uuid)
        ):
            cart_uuid = None  # an old id sent again: this is a new customer
    cart = Cart(
        till_id=till.id,
        session_id=session.id,
        uuid=cart_uuid or str(uuidlib.uuid4()),
        started_at=as_utc(now),
        cashier_id=actor.user_id,
        eligibility=False,
        is_open=True,
    )
    started, error = signing.start(till.serial)  # the TSE transaction starts with the first line
    if started is not None:
        cart.tse_tx_id, cart.tse_number = started.tx_id, started.number
        cart.tse_started_at = started.started_at
    cart.tse_error = error
    db.session.add(cart)
    db.session.flush()
    return cart


def tse_started(cart: Cart) -> Started | None:
    if cart.tse_tx_id is None:
        return None
    return Started(cart.tse_tx_id, cart.tse_number, cart.tse_started_at)


def add_code(
    actor: Actor, till: Till, code: str, *, cart_uuid: str | None = None, now: datetime | None = None
) -> CartLine:
    """A scanned label: the item, at today's price. Refused if it cannot be sold."""
    # A label, or a reservation's number: its item, with the deposit taken on it counted.
    item, reservation = goods.reservation_for_till(actor, code)
    if item.branch_id != till.branch_id:
        raise ConflictError(
            _("%(code)s belongs to branch %(branch)s.", code=item.code, branch=item.branch.name)
        )
    cart = start_cart(actor, till, cart_uuid=cart_uuid, now=now)
    for line in cart.lines:
        if line.item_id == item.id:
            if reservation is not None and line.reservation_id is None:
                line.reservation = reservation  # the label was scanned first: now the number
                db.session.flush()
                return line
            raise ConflictError(_("%(code)s is already on this receipt.", code=item.code))
    line = CartLine(cart=cart, item=item, quantity=1, discount_percent=0, reservation=reservation)
    db.session.add(line)
    db.session.flush()
    return line


def add_article(
    actor: Actor,
    till: Till,
    article_id: int,
    quantity: int = 1,
    *,
    cart_uuid: str | None = None,
    now: datetime | None = None,
) -> CartLine:
    """A standard article from the price list, by quantity."""
    article = goods.get_article(article_id)
    if not 1 <= quantity <= 999:
        raise ValidationError(_("The quantity must be between 1 and %(n)s.", n=999), field="quantity")
    cart = start_cart(actor, till, cart_uuid=cart_uuid, now=now)
    for line in cart.lines:
        if line.article_id == article.id and not line.discount_percent:
            line.quantity += quantity
            db.session.flush()
            return line
    line = CartLine(cart=cart, article=article, quantity=quantity, discount_percent=0)
    db.session.add(line)
    db.session.flush()
    return line


def add_delivery(
    actor: Actor, till: Till, *, cart_uuid: str | None = None, now: datetime | None = None
) -> CartLine:
    """A delivery at the store's fee (a service line, its own VAT rate); once per receipt. The
    address and the day are given after paying (store.logistics: a sale's delivery)."""
    cart = start_cart(actor, till, cart_uuid=cart_uuid, now=now)
    if any(line.service == DELIVERY for line in cart.lines):
        raise ConflictError(_("The delivery is on this receipt already."))
    if not any(line.item_id or line.article_id for line in cart.lines):
        raise ValidationError(_("Please scan what is delivered first."))
    line = CartLine(cart=cart, service=DELIVERY, quantity=1, discount_percent=0)
    db.session.add(line)
    db.session.flush()
    return line


def _cart_line(till: Till, line_id: int) -> CartLine:
    cart = open_cart(till)
    line = db.session.get(CartLine, line_id)
    if cart is None or line is None or line.cart_id != cart.id:
        raise NotFoundError(_("This line is not on the receipt any more."))
    return line


def _keep_voided(
    actor: Actor, cart: Cart, priced: "PricedLine", quantity: int, kind: str, now: datetime | None
) -> None:
    """Record `quantity` of a priced line as taken off (removed) or left (abandoned cart)."""
    total = priced.total_cents
    if quantity != priced.quantity:
        eligibility = get_setting("eligibility_percent") if cart.eligibility else 0
        total = price_line(priced.unit_cents, quantity, priced.discount_percent, eligibility).total_cents
    db.session.add(
        VoidedLine(
            cart_uuid=cart.uuid,
            session_id=cart.session_id,
            kind=kind,
            description=priced.description[:120],
            code=priced.code,
            article_id=priced.line.article_id if priced.line else None,
            category_id=priced.category_id,
            quantity=quantity,
            total_cents=total,
            vat_rate_bp=priced.vat_rate_bp,
            user_id=actor.user_id,
            at=as_utc(now),
        )
    )


def _priced(line: CartLine) -> "PricedLine":
    return next(p for p in price_cart(line.cart).lines if p.line is line)


def remove_line(actor: Actor, till: Till, line_id: int, *, now: datetime | None = None) -> None:
    """Take a line off before payment (kept as a voided line for the tax office)."""
    line = _cart_line(till, line_id)
    _keep_voided(actor, line.cart, _priced(line), line.quantity, "removed", now)
    line.cart.lines.remove(line)
    db.session.flush()


def set_quantity(
    actor: Actor, till: Till, line_id: int, quantity: int, *, now: datetime | None = None
) -> None:
    line = _cart_line(till, line_id)
    if line.item_id is not None:
        raise ValidationError(_("A labelled item is sold once; its quantity is always 1."))
    if not 1 <= quantity <= 999:
        raise ValidationError(_("The quantity must be between 1 and %(n)s.", n=999), field="quantity")
    if quantity < line.quantity:  # fewer: the difference is taken off, as a removed line
        _keep_voided(actor, line.cart, _priced(line), line.quantity - quantity, "removed", now)
    line.quantity = quantity


def set_discount(
    actor: Actor,
    till: Till,
    line_id: int,
    percent: int,
    reason: str,
    *,
    confirmed_by: User | None = None,
) -> None:
    """A line discount with a reason; above the store's limit a supervisor confirms."""
    line = _cart_line(till, line_id)
    reason = safe_cell((reason or "").strip())  # recorded as the export shows it (no formula)
    if not 0 <= percent <= 100:
        raise ValidationError(_("A discount is between 0 and 100 %."), field="percent")
    if percent and not reason:
        raise ValidationError(_("Please give a reason for the discount."), field="reason")
    limit = get_setting("discount_confirm_percent")
    if percent > limit and not confirms_alone(actor.user) and confirmed_by is None:
        raise PermissionDeniedError(
            _("Discounts above %(n)s %% need a supervisor's card or PIN.", n=limit)
        )
    line.discount_percent = percent
    line.discount_reason = reason[:120] or None
    line.discount_confirmed_by_id = (
        confirmed_by.id if confirmed_by else (actor.user_id if percent > limit else None)
    )


def set_training(actor: Actor, till: Till, enabled: bool) -> None:
    """Switch training mode: receipts say TRAINING, count for nothing and move no stock."""
    if open_cart(till) is not None and open_cart(till).lines:
        raise ConflictError(_("A receipt is still open. Please finish or cancel it first."))
    if till.training != bool(enabled):
        till.training = bool(enabled)
        audit(actor, "till.training", till, {"enabled": bool(enabled)})


def set_eligibility(actor: Actor, till: Till, on: bool) -> None:
    """The customer showed an entitlement card: the store's discount on every line."""
    cart = start_cart(actor, till)
    cart.eligibility = bool(on)


def cancel_cart(actor: Actor, till: Till, *, now: datetime | None = None) -> None:
    """Abandon the receipt being rung up (nothing is booked; the TSE records the abort)."""
    cart = open_cart(till)
    if cart is None:
        return
    audit(
        actor,
        "till.cart_cancel",
        None,
        {"till": till.name, "uuid": cart.uuid, "lines": len(cart.lines)},
        now=now,
    )
    for priced in price_cart(cart).lines:  # the positions stay, for the export
        _keep_voided(actor, cart, priced, priced.quantity, "abandoned", now)
    # DSFinV-K 2.4 Anhang I: nothing was sold, so the abort is signed with zero amounts and no
    # payment; the export shows its positions with their counter-lines (total 0,00, as signed).
    receipt = signing.receipt_for("AVBelegabbruch", [], 0, 0)
    signing.record(
        till.id,
        till.serial,
        receipt,
        started=tse_started(cart),
        start_error=cart.tse_error,
        ref=("cart", cart.uuid),
        now=now,
    )
    cart.is_open = False
    cart.lines.clear()


def price_cart(cart: Cart, today: date | None = None) -> Priced:
    """What every line costs now, and the total: the one computation the screen and sale share. A
    reservation's deposit taken is a line of its own that lowers the total (Anzahlungsaufloesung)."""
    today = today or local_today()
    eligibility = get_setting("eligibility_percent") if cart.eligibility else 0
    lines = []
    for line in cart.lines:
        if line.service == DELIVERY:
            lines.append(_delivery_line(line))
            continue
        if line.item is not None:
            quote = goods.current_price(line.item, today)
            label, unit, markdown = quote.label_cents, quote.price_cents, quote.percent
            description, code = line.item.description, line.item.code
            category = line.item.category
        else:
            label = unit = line.article.price_cents
            markdown, description, code = 0, line.article.name, None
            category = line.article.category
        p = price_line(unit, line.quantity, line.discount_percent, eligibility)
        lines.append(
            PricedLine(
                line,
                description,
                code,
                line.quantity,
                label,
                unit,
                markdown,
                line.discount_percent,
                p.discount_cents,
                p.eligibility_cents,
                p.total_cents,
                category.vat_rate_bp,
                category.id,
            )
        )
        if line.reservation_id is not None:
            lines.extend(_deposit_used(line, category))
    total = sum(pl.total_cents for pl in lines)
    return Priced(lines, total, vat_breakdown([(pl.vat_rate_bp, pl.total_cents) for pl in lines]))


def _deposit_used(line: CartLine, category) -> list[PricedLine]:
    """The deposit taken on the reservation, counted against the item (at the item's VAT rate: the
    tax on it was due when it was paid, DSFinV-K Anhang C, Anzahlungseinstellung)."""
    reservation = line.reservation
    if reservation is None or reservation.deposit_state != "held":
        return []
    cents = reservation.deposit_cents
    return [
        PricedLine(
            None,
            DEPOSIT_USED_TEXT.format(number=reservation.number),
            line.item.code,
            1,
            -cents,
            -cents,
            0,
            0,
            0,
            0,
            -cents,
            category.vat_rate_bp,
            category.id,
            business_case=BusinessCase.DEPOSIT_SETTLED.value,
            ref_sale_id=int(reservation.deposit_ref),
            reservation_id=reservation.id,
        )
    ]


def _delivery_line(line: CartLine) -> PricedLine:
    fee = get_setting("delivery_fee_cents")
    return PricedLine(
        line,
        DELIVERY_TEXT,
        None,
        1,
        fee,
        fee,
        0,
        0,
        0,
        0,
        fee,
        get_setting("delivery_vat_bp"),
        goods.service_category().id,
        service=DELIVERY,
    )
