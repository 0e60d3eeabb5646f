"""Selling: paying the open cart at the till (checkout) or a whole sale in one call (sell, the API),
and the booking both share: the receipt, its lines, stock, payments, the TSE signature, the printout.

A sale is committed in one transaction (lines, payments, stock bookings, receipt number, print jobs);
the receipt prints and the drawer opens only after that commit. A unique item is claimed with a
conditional UPDATE, so two tills can never sell it twice.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import ConflictError, ValidationError
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.goods import services as goods
from store.goods.models import MovementKind
from store.till.models import Cart, CartLine, Payment, PaymentMethod, Sale, SaleKind, SaleLine, Till
from store.till.services.cart import Priced, PricedLine, open_cart, price_cart, tse_started
from store.till.services.cash import current_session
from store.till.services.lookups import find_sale
from store.till.services.payments import PaymentIn, check_payments, money_split
from store.till.services.printouts import kick_drawer, queue_receipt
from store.till.services.tills import next_number
from store.tse import signing


def checkout(
    actor: Actor,
    till: Till,
    payments: list[PaymentIn],
    *,
    cart_uuid: str | None = None,
    now: datetime | None = None,
) -> tuple[Sale, bool]:
    """Pay the till's open cart: one transaction books the sale. Returns (sale, created).

    Paying again with the same cart id returns the sale that was booked, and books nothing new.
    """
    if cart_uuid:
        existing = find_sale(cart_uuid)
        if existing is not None:
            return existing, False
    cart = open_cart(till)
    if cart is None or (cart_uuid and cart.uuid != cart_uuid):
        raise ConflictError(_("There is nothing to pay on this till."))
    return _book_sale(actor, till, cart, payments, as_utc(now)), True


@dataclass
class LineIn:
    code: str | None = None
    article: int | None = None
    quantity: int = 1


def sell(
    actor: Actor,
    till: Till,
    sale_uuid: str,
    lines: list[LineIn],
    payments: list[PaymentIn],
    *,
    eligibility: bool = False,
    printed: bool = True,
    now: datetime | None = None,
) -> tuple[Sale, bool]:
    """A whole sale in one call (the API): lines and payments together. Idempotent by its id."""
    now = as_utc(now)
    existing = find_sale(sale_uuid)
    if existing is not None:
        return existing, False
    session = current_session(till)
    cart = Cart(
        till_id=till.id,
        session_id=session.id,
        uuid=sale_uuid,
        started_at=now,
        cashier_id=actor.user_id,
        eligibility=eligibility,
        is_open=False,
    )
    seen: set[int] = set()
    for line in lines:
        if bool(line.code) == bool(line.article):
            raise ValidationError(_("Each line needs either a code or an article."), field="lines")
        if line.code:
            item = goods.find_item(line.code)
            goods.check_sellable(item)
            if item.id in seen or line.quantity != 1:
                raise ValidationError(
                    _("A labelled item is sold once; its quantity is always 1."), field="lines"
                )
            seen.add(item.id)
            cart.lines.append(CartLine(item=item, quantity=1, discount_percent=0))
        else:
            if not 1 <= line.quantity <= 999:
                raise ValidationError(
                    _("The quantity must be between 1 and %(n)s.", n=999), field="lines"
                )
            cart.lines.append(
                CartLine(
                    article=goods.get_article(line.article), quantity=line.quantity, discount_percent=0
                )
            )
    return _book_sale(actor, till, cart, payments, now, printed=printed), True


def _book_sale(
    actor: Actor,
    till: Till,
    cart: Cart,
    payments: list[PaymentIn],
    now: datetime,
    *,
    printed: bool = True,
) -> Sale:
    if not cart.lines:
        raise ValidationError(_("The receipt is empty. Please scan something first."))
    priced = price_cart(cart, local_today(now))
    payment_rows = check_payments(payments, priced.total_cents)
    session = current_session(till)
    sale = Sale(
        uuid=cart.uuid,
        kind=SaleKind.SALE,
        till_id=till.id,
        session_id=session.id,
        receipt_number=next_number(till, Till.last_receipt_number),
        started_at=cart.started_at,
        created_at=now,
        cashier_id=actor.user_id,
        cashier_label=cashier_label(actor),
        total_cents=priced.total_cents,
        eligibility=cart.eligibility,
        training=till.training,
    )
    db.session.add(sale)
    db.session.flush()
    for position, pl in enumerate(priced.lines, start=1):
        db.session.add(_sale_line(sale, position, pl))
        if not till.training:  # training moves no stock; everything else is real
            _take_from_stock(actor, sale, pl, now)
    for row in payment_rows:
        row.sale_id = sale.id
        db.session.add(row)
    _sign(till, cart, sale, priced, payment_rows, now)
    cart.is_open = False
    cart.lines.clear()
    db.session.flush()
    db.session.refresh(sale)
    audit(
        actor,
        "sale.create",
        sale,
        {"till": till.name, "receipt": sale.receipt_number, "total_cents": sale.total_cents},
        now=now,
    )
    if printed:
        queue_receipt(actor, sale, now=now)
        if till.has_drawer and any(p.method == PaymentMethod.CASH for p in payment_rows):
            kick_drawer(actor, till, now)
    return sale


def _sale_line(sale: Sale, position: int, pl: PricedLine) -> SaleLine:
    """The receipt's line: its own copy of price, discount and VAT rate as priced now."""
    line = pl.line
    return SaleLine(
        sale_id=sale.id,
        position=position,
        item_id=line.item.id if line.item else None,
        article_id=line.article.id if line.article else None,
        category_id=pl.category_id,
        code=pl.code,
        description=pl.description,
        quantity=pl.quantity,
        label_price_cents=pl.label_cents,
        unit_price_cents=pl.unit_cents,
        markdown_percent=pl.markdown_percent,
        discount_percent=pl.discount_percent,
        discount_cents=pl.discount_cents,
        discount_reason=line.discount_reason,
        eligibility_discount_cents=pl.eligibility_cents,
        discount_confirmed_by_id=line.discount_confirmed_by_id,
        vat_rate_bp=pl.vat_rate_bp,
        total_cents=pl.total_cents,
    )


def _take_from_stock(actor: Actor, sale: Sale, pl: PricedLine, now: datetime) -> None:
    """A labelled item is sold (once: a conditional UPDATE); an article leaves stock by quantity."""
    line = pl.line
    if line.item is not None:
        goods.mark_sold(actor, line.item, sale_ref=str(sale.id), now=now)
    else:
        goods.book_article(
            actor, line.article, -pl.quantity, MovementKind.SALE, now=now, ref=("sale", str(sale.id))
        )


def _sign(
    till: Till, cart: Cart, sale: Sale, priced: Priced, payment_rows: list[Payment], now: datetime
) -> None:
    """End the TSE transaction the first scan started (or sign now): a receipt, or a training one."""
    receipt = signing.receipt_for(
        "AVTraining" if till.training else "Beleg",
        [(r.rate_bp, r.gross_cents) for r in priced.vat],
        *money_split(payment_rows),
    )
    signing.record(
        till.id,
        till.serial,
        receipt,
        started=tse_started(cart),
        start_error=cart.tse_error,
        sale_id=sale.id,
        now=now,
    )


def cashier_label(actor: Actor) -> str:
    """The pseudonymous cashier number kept with the sale (and in the DSFinV-K export). The
    receipt prints the first name beside it from the user, which the retention run removes."""
    if actor.user is None:
        return "-"
    return str(actor.user.id)
