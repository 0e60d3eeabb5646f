"""The till: sessions and cash, the cart, paying, voids and returns, X and Z reports.

A sale is committed in one transaction (lines, payments, stock bookings, receipt number, print jobs);
the receipt prints and the drawer opens only after that commit. A unique item is claimed with a
conditional UPDATE, so two tills can never sell it twice.
"""

import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth import services as auth
from store.auth.models import User
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from store.core.pricing import price_line, vat_breakdown
from store.core.settings import get_setting
from store.core.timeutil import local_month_bounds, local_today, to_local, utcnow
from store.extensions import db
from store.fiscal import signing
from store.fiscal.tse.base import Started
from store.goods import services as goods
from store.goods.models import Article, Item, MovementKind
from store.printing import services as printing
from store.printing.models import Printer
from store.printing.render import drawer_kick
from store.till.models import (
    Cart,
    CartLine,
    CashKind,
    CashMovement,
    Closing,
    Payment,
    PaymentMethod,
    Sale,
    SaleKind,
    SaleLine,
    Till,
    TillSession,
)
from store.till.receipts import render_closing, render_receipt

DENOMINATIONS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1]
CONFIRMING_ROLES = (Role.SUPERVISOR, Role.ADMIN)


# ---------------------------------------------------------------- tills


def list_tills(include_inactive: bool = False) -> list[Till]:
    query = sa.select(Till).order_by(Till.name)
    if not include_inactive:
        query = query.where(Till.is_active.is_(True))
    return list(db.session.scalars(query))


def get_till(till_id: int) -> Till:
    till = db.session.get(Till, till_id)
    if till is None:
        raise NotFoundError(_("This till does not exist."))
    return till


def find_till(ref: str | int) -> Till:
    """A till by id or by name (the API accepts both)."""
    if isinstance(ref, int) or str(ref).isdigit():
        return get_till(int(ref))
    till = db.session.scalar(sa.select(Till).where(Till.name == str(ref)))
    if till is None:
        raise NotFoundError(_("This till does not exist."))
    return till


def save_till(
    actor: Actor,
    till: Till | None,
    *,
    name: str,
    serial: str,
    location: str = "",
    receipt_printer_id: int | None = None,
    label_printer_id: int | None = None,
    has_drawer: bool = True,
    is_active: bool = True,
) -> Till:
    name, serial = (name or "").strip(), (serial or "").strip()
    if not name:
        raise ValidationError(_("Please give the till a name."), field="name")
    if not serial:
        raise ValidationError(_("Please give the till a serial number."), field="serial")
    for column, value, message in (
        (Till.name, name, _("A till with this name exists already.")),
        (Till.serial, serial, _("Another till has this serial.")),
    ):
        other = db.session.scalar(sa.select(Till.id).where(column == value))
        if other and (till is None or other != till.id):
            raise ValidationError(message, field=column.key)
    for printer_id in (receipt_printer_id, label_printer_id):
        if printer_id is not None and db.session.get(Printer, printer_id) is None:
            raise ValidationError(_("This printer does not exist."))
    if till is None:
        till = Till(last_receipt_number=0, last_closing_number=0)
        db.session.add(till)
    till.name, till.serial, till.location = name, serial, (location or "").strip()
    till.receipt_printer_id, till.label_printer_id = receipt_printer_id, label_printer_id
    till.has_drawer, till.is_active = has_drawer, is_active
    audit(
        actor,
        "till.save",
        till,
        {
            "name": name,
            "serial": serial,
            "location": location,
            "receipt_printer": receipt_printer_id,
            "label_printer": label_printer_id,
        },
    )
    return till


def _next(till: Till, column) -> int:
    """Raise a per-till counter inside the transaction (row lock on PostgreSQL)."""
    db.session.execute(
        sa.update(Till)
        .where(Till.id == till.id)
        .values({column: column + 1})
        .execution_options(synchronize_session=False)
    )
    value = db.session.scalar(sa.select(column).where(Till.id == till.id))
    db.session.refresh(till)
    return value


# ---------------------------------------------------------------- sessions and cash


def counted_total(counts: dict | None) -> int:
    """{"5000": 2, "200": 3} (cents → pieces) → 10600."""
    total = 0
    for denomination, pieces in (counts or {}).items():
        value, pieces = int(denomination), int(pieces or 0)
        if value not in DENOMINATIONS or pieces < 0 or pieces > 100000:
            raise ValidationError(_("Please count whole pieces of euro notes and coins."))
        total += value * pieces
    return total


def open_session(
    actor: Actor,
    till: Till,
    *,
    float_cents: int | None = None,
    counts: dict | None = None,
    now: datetime | None = None,
) -> TillSession:
    """Open the till with the counted float (by denomination or as a sum)."""
    now = now or utcnow()
    if counts:
        float_cents = counted_total(counts)
    if float_cents is None or float_cents < 0:
        raise ValidationError(_("Please count the float in the drawer."), field="float_cents")
    if not till.is_active:
        raise ConflictError(_("This till is switched off."))
    session = TillSession(
        till_id=till.id,
        opened_at=now,
        opened_by_id=actor.user_id,
        float_cents=float_cents,
        float_counts=counts or None,
    )
    db.session.add(session)
    db.session.flush()
    claimed = db.session.execute(
        sa.update(Till)
        .where(Till.id == till.id, Till.current_session_id.is_(None))
        .values(current_session_id=session.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise ConflictError(_("This till is open already."))
    db.session.add(
        CashMovement(
            session_id=session.id,
            at=now,
            kind=CashKind.FLOAT,
            amount_cents=float_cents,
            reason="",
            user_id=actor.user_id,
        )
    )
    db.session.refresh(till)
    signing.record(
        till.id,
        till.serial,
        signing.other_receipt("Anfangsbestand", float_cents),
        ref=("session", str(session.id)),
        now=now,
    )
    audit(actor, "till.open", session, {"till": till.name, "float_cents": float_cents}, now=now)
    return session


def current_session(till: Till) -> TillSession:
    if till.current_session_id is None:
        raise ConflictError(_("The till is not open. Please count the float and open it."))
    return db.session.get(TillSession, till.current_session_id)


def move_cash(
    actor: Actor,
    till: Till,
    kind: CashKind | str,
    amount_cents: int,
    reason: str,
    *,
    now: datetime | None = None,
) -> CashMovement:
    """Einlage (deposit) or Entnahme (withdrawal), always with a reason."""
    now = now or utcnow()
    kind = CashKind(kind)
    if kind not in (CashKind.DEPOSIT, CashKind.WITHDRAWAL):
        raise ValidationError(_("Only deposits and withdrawals can be booked here."))
    if amount_cents is None or amount_cents <= 0:
        raise ValidationError(_("The amount must be more than 0 €."), field="amount")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please say why."), field="reason")
    session = current_session(till)
    signed = amount_cents if kind == CashKind.DEPOSIT else -amount_cents
    if kind == CashKind.WITHDRAWAL and expected_cash(session) + signed < 0:
        raise ValidationError(_("There is not that much cash in the drawer."), field="amount")
    movement = CashMovement(
        session_id=session.id,
        at=now,
        kind=kind,
        amount_cents=signed,
        reason=reason[:200],
        user_id=actor.user_id,
    )
    db.session.add(movement)
    db.session.flush()
    case = "Einzahlung" if kind == CashKind.DEPOSIT else "Auszahlung"
    signing.record(
        till.id,
        till.serial,
        signing.other_receipt(case, signed),
        ref=("cash", str(movement.id)),
        now=now,
    )
    audit(
        actor,
        f"till.{kind.value}",
        movement,
        {"till": till.name, "amount_cents": signed, "reason": reason},
        now=now,
    )
    if till.has_drawer:
        _kick_drawer(actor, till, now)
    return movement


def expected_cash(session: TillSession) -> int:
    """Float + cash movements + cash taken − change given (payments are stored net of change)."""
    moved = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(CashMovement.amount_cents), 0)).where(
            CashMovement.session_id == session.id, CashMovement.kind != CashKind.DIFFERENCE
        )
    )
    cash = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Payment.amount_cents), 0))
        .join(Sale, Sale.id == Payment.sale_id)
        .where(
            Sale.session_id == session.id, Payment.method == PaymentMethod.CASH, Sale.training.is_(False)
        )
    )
    return moved + cash


# ---------------------------------------------------------------- the cart


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


@dataclass
class Priced:
    lines: list[PricedLine]
    total_cents: int
    vat: list = field(default_factory=list)


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
        started_at=now or utcnow(),
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


def _started(cart: Cart) -> Started | None:
    if cart.tse_tx_id is None:
        return None
    return Started(cart.tse_tx_id, cart.tse_number, cart.tse_started_at)


def _money_split(payments) -> tuple[int, int]:
    """(cash, non-cash) of a sale's payments, as the TSE process data counts them."""
    cash = sum(p.amount_cents for p in payments if p.method == PaymentMethod.CASH)
    return cash, sum(p.amount_cents for p in payments if p.method != PaymentMethod.CASH)


def add_code(
    actor: Actor, till: Till, code: str, *, cart_uuid: str | None = None, now: datetime | None = None
) -> CartLine:
    """A scanned label: the item, at today's price. Refused if it cannot be sold."""
    item = goods.find_item(code)
    goods.check_sellable(item)
    cart = start_cart(actor, till, cart_uuid=cart_uuid, now=now)
    if any(line.item_id == item.id for line in cart.lines):
        raise ConflictError(_("%(code)s is already on this receipt.", code=item.code))
    line = CartLine(cart=cart, item=item, quantity=1, discount_percent=0)
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


def _cart_line(till: Till, line_id: int) -> CartLine:
    cart = open_cart(till)
    line = db.session.get(CartLine, line_id)
    if cart is None or line is None or line.cart_id != cart.id:
        raise NotFoundError(_("This line is not on the receipt any more."))
    return line


def remove_line(actor: Actor, till: Till, line_id: int) -> None:
    """Take a line off before payment."""
    line = _cart_line(till, line_id)
    line.cart.lines.remove(line)
    db.session.flush()


def set_quantity(actor: Actor, till: Till, line_id: int, quantity: int) -> None:
    line = _cart_line(till, line_id)
    if line.item_id is not None:
        raise ValidationError(_("A labelled item is sold once; its quantity is always 1."))
    if not 1 <= quantity <= 999:
        raise ValidationError(_("The quantity must be between 1 and %(n)s.", n=999), field="quantity")
    line.quantity = quantity


def confirming_supervisor(
    *,
    badge: str | None = None,
    user_id: int | None = None,
    pin: str | None = None,
    address: str | None = None,
) -> User:
    """A supervisor confirms at the till with a badge scan or their PIN."""
    if badge:
        user = auth.authenticate_badge(badge, address=address)
    elif user_id and pin:
        user = auth.authenticate_pin(user_id, pin, address=address)
    else:
        raise PermissionDeniedError(_("A supervisor must confirm this with card or PIN."))
    if user.role not in CONFIRMING_ROLES:
        raise PermissionDeniedError(_("Only a supervisor can confirm this."))
    return user


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
    reason = (reason or "").strip()
    if not 0 <= percent <= 100:
        raise ValidationError(_("A discount is between 0 and 100 %."), field="percent")
    if percent and not reason:
        raise ValidationError(_("Please give a reason for the discount."), field="reason")
    limit = get_setting("discount_confirm_percent")
    own_role = actor.user.role if actor.user else None
    if percent > limit and own_role not in CONFIRMING_ROLES and confirmed_by is None:
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
    priced = price_cart(cart)
    receipt = signing.receipt_for(
        "AVBelegabbruch", [(r.rate_bp, r.gross_cents) for r in priced.vat], 0, 0
    )
    signing.record(
        till.id,
        till.serial,
        receipt,
        started=_started(cart),
        start_error=cart.tse_error,
        ref=("cart", cart.uuid),
        now=now,
    )
    cart.is_open = False
    cart.lines.clear()


def price_cart(cart: Cart, today: date | None = None) -> Priced:
    """What every line costs now, and the total: the one computation the screen and sale share."""
    today = today or local_today()
    eligibility = get_setting("eligibility_percent") if cart.eligibility else 0
    lines = []
    for line in cart.lines:
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
    total = sum(pl.total_cents for pl in lines)
    return Priced(lines, total, vat_breakdown([(pl.vat_rate_bp, pl.total_cents) for pl in lines]))


# ---------------------------------------------------------------- paying


@dataclass
class PaymentIn:
    method: str
    amount_cents: int  # for cash: what the customer handed over
    voucher_number: str | None = None
    voucher_issuer: str | None = None


def _check_payments(payments: list[PaymentIn], total: int) -> list[Payment]:
    """Non-cash first, cash last pays the rest and gives change. Returns Payment rows."""
    if not payments:
        raise ValidationError(_("Please choose how the customer pays."), field="payments")
    rows, remaining, cash_given = [], total, 0
    for p in payments:
        try:
            method = PaymentMethod(p.method)
        except ValueError:
            raise ValidationError(_("Unknown payment method."), field="payments") from None
        if p.amount_cents is None or p.amount_cents <= 0:
            raise ValidationError(_("Please enter the amount paid."), field="payments")
        if method == PaymentMethod.CASH:
            cash_given += p.amount_cents
            continue
        if p.amount_cents > remaining:
            raise ValidationError(
                _("Card and voucher can pay at most what is still open (%(n)s cents).", n=remaining),
                field="payments",
            )
        voucher_number = voucher_issuer = None
        if method == PaymentMethod.VOUCHER:
            voucher_number = (p.voucher_number or "").strip()
            voucher_issuer = (p.voucher_issuer or "").strip()
            if not voucher_number or not voucher_issuer:
                raise ValidationError(
                    _("A voucher needs its number and who issued it."), field="voucher"
                )
        rows.append(
            Payment(
                method=method,
                amount_cents=p.amount_cents,
                tendered_cents=None,
                change_cents=0,
                voucher_number=voucher_number,
                voucher_issuer=voucher_issuer,
            )
        )
        remaining -= p.amount_cents
    if cash_given < remaining:
        raise ValidationError(
            _("Not enough money: %(n)s cents are still open.", n=remaining - cash_given),
            field="payments",
        )
    if cash_given:
        rows.append(
            Payment(
                method=PaymentMethod.CASH,
                amount_cents=remaining,
                tendered_cents=cash_given,
                change_cents=cash_given - remaining,
            )
        )
    elif remaining:
        raise ValidationError(_("Not enough money."), field="payments")
    return rows


def find_sale(sale_uuid: str) -> Sale | None:
    return db.session.scalar(sa.select(Sale).where(Sale.uuid == str(sale_uuid)))


def get_sale(sale_ref: str | int) -> Sale:
    sale = db.session.get(Sale, int(sale_ref)) if str(sale_ref).isdigit() else find_sale(str(sale_ref))
    if sale is None:
        raise NotFoundError(_("This sale does not exist."))
    return sale


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
    return _book_sale(actor, till, cart, payments, now or utcnow()), True


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
    now = now or utcnow()
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
    payment_rows = _check_payments(payments, priced.total_cents)
    session = current_session(till)
    sale = Sale(
        uuid=cart.uuid,
        kind=SaleKind.SALE,
        till_id=till.id,
        session_id=session.id,
        receipt_number=_next(till, Till.last_receipt_number),
        started_at=cart.started_at,
        created_at=now,
        cashier_id=actor.user_id,
        cashier_label=_cashier_label(actor),
        total_cents=priced.total_cents,
        eligibility=cart.eligibility,
        training=till.training,
    )
    db.session.add(sale)
    db.session.flush()
    for position, pl in enumerate(priced.lines, start=1):
        line = pl.line
        db.session.add(
            SaleLine(
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
        )
        if till.training:
            continue  # training moves no stock; everything else is real
        if line.item is not None:
            goods.mark_sold(actor, line.item, sale_ref=str(sale.id), now=now)
        else:
            goods.book_article(
                actor, line.article, -pl.quantity, MovementKind.SALE, now=now, ref=("sale", str(sale.id))
            )
    for row in payment_rows:
        row.sale_id = sale.id
        db.session.add(row)
    receipt = signing.receipt_for(
        "AVTraining" if till.training else "Beleg",
        [(r.rate_bp, r.gross_cents) for r in priced.vat],
        *_money_split(payment_rows),
    )
    signing.record(
        till.id,
        till.serial,
        receipt,
        started=_started(cart),
        start_error=cart.tse_error,
        sale_id=sale.id,
        now=now,
    )
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
            _kick_drawer(actor, till, now)
    return sale


def _cashier_label(actor: Actor) -> str:
    """The pseudonymous cashier number kept with the sale (and in the DSFinV-K export). The
    receipt prints the first name beside it from the user, which the retention run removes."""
    if actor.user is None:
        return "-"
    return str(actor.user.id)


# ---------------------------------------------------------------- voids and returns


def reversed_quantities(sale: Sale) -> dict[int, int]:
    """How much of each line was already voided or returned (positive numbers)."""
    rows = db.session.execute(
        sa.select(SaleLine.reverses_line_id, sa.func.sum(SaleLine.quantity))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(Sale.reverses_id == sale.id)
        .group_by(SaleLine.reverses_line_id)
    ).all()
    return {line_id: -qty for line_id, qty in rows}


def void_sale(
    actor: Actor, sale: Sale, reason: str, *, confirmed_by: User, now: datetime | None = None
) -> Sale:
    """Storno: a counter-sale of every line, refunded the way it was paid; items back to stock."""
    if sale.kind != SaleKind.SALE:
        raise ValidationError(_("Only sales can be voided."))
    if reversed_quantities(sale):
        raise ConflictError(_("This sale was voided or partly returned already."))
    return _reverse(
        actor,
        sale,
        SaleKind.VOID,
        {line.id: line.quantity for line in sale.lines},
        reason,
        confirmed_by=confirmed_by,
        refund_as_paid=True,
        now=now,
    )


def return_lines(
    actor: Actor,
    sale: Sale,
    quantities: dict[int, int],
    reason: str,
    *,
    to_stock: bool = True,
    confirmed_by: User | None = None,
    now: datetime | None = None,
) -> Sale:
    """Take back some lines; refunded in cash. Returned items go back to stock or are written off."""
    if sale.kind != SaleKind.SALE:
        raise ValidationError(_("Only sales can be returned."))
    done = reversed_quantities(sale)
    lines = {line.id: line for line in sale.lines}
    for line_id, qty in quantities.items():
        if line_id not in lines or qty <= 0:
            raise ValidationError(_("Please choose what comes back."))
        if qty > lines[line_id].quantity - done.get(line_id, 0):
            raise ConflictError(_("%(text)s was returned already.", text=lines[line_id].description))
    if not quantities:
        raise ValidationError(_("Please choose what comes back."))
    return _reverse(
        actor,
        sale,
        SaleKind.RETURN,
        quantities,
        reason,
        confirmed_by=confirmed_by,
        refund_as_paid=False,
        to_stock=to_stock,
        now=now,
    )


def _reverse(
    actor: Actor,
    sale: Sale,
    kind: SaleKind,
    quantities: dict[int, int],
    reason: str,
    *,
    confirmed_by: User | None,
    refund_as_paid: bool,
    to_stock: bool = True,
    now: datetime | None = None,
) -> Sale:
    now = now or utcnow()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give a reason."), field="reason")
    till = sale.till
    session = current_session(till)
    taken = [
        (position, line, quantities[line.id], _share(line, quantities[line.id]))
        for position, line in enumerate(sale.lines, start=1)
        if quantities.get(line.id)
    ]
    total = sum(share["total_cents"] for _p, _l, _q, share in taken)
    counter = Sale(
        uuid=str(uuidlib.uuid4()),
        kind=kind,
        till_id=till.id,
        session_id=session.id,
        receipt_number=_next(till, Till.last_receipt_number),
        started_at=now,
        created_at=now,
        cashier_id=actor.user_id,
        cashier_label=_cashier_label(actor),
        total_cents=-total,
        eligibility=sale.eligibility,
        training=sale.training,
        reverses_id=sale.id,
        reason=reason[:200],
        confirmed_by_id=confirmed_by.id if confirmed_by else None,
    )
    db.session.add(counter)
    db.session.flush()
    for position, line, qty, share in taken:
        db.session.add(
            SaleLine(
                sale_id=counter.id,
                position=position,
                item_id=line.item_id,
                article_id=line.article_id,
                category_id=line.category_id,
                code=line.code,
                description=line.description,
                quantity=-qty,
                label_price_cents=line.label_price_cents,
                unit_price_cents=line.unit_price_cents,
                markdown_percent=line.markdown_percent,
                discount_percent=line.discount_percent,
                discount_cents=-share["discount_cents"],
                discount_reason=line.discount_reason,
                eligibility_discount_cents=-share["eligibility_cents"],
                vat_rate_bp=line.vat_rate_bp,
                total_cents=-share["total_cents"],
                reverses_line_id=line.id,
            )
        )
        if sale.training:
            continue
        if line.item_id is not None:
            goods.mark_returned(
                actor,
                db.session.get(Item, line.item_id),
                sale_ref=str(counter.id),
                now=now,
                to_stock=to_stock,
            )
        elif line.article_id is not None:
            goods.book_article(
                actor,
                db.session.get(Article, line.article_id),
                qty,
                MovementKind.RETURN,
                now=now,
                ref=("sale", str(counter.id)),
            )
    if refund_as_paid:
        for p in sale.payments:
            db.session.add(
                Payment(
                    sale_id=counter.id,
                    method=p.method,
                    amount_cents=-p.amount_cents,
                    tendered_cents=None,
                    change_cents=0,
                    voucher_number=p.voucher_number,
                    voucher_issuer=p.voucher_issuer,
                )
            )
    else:
        db.session.add(
            Payment(
                sale_id=counter.id,
                method=PaymentMethod.CASH,
                amount_cents=-total,
                tendered_cents=None,
                change_cents=0,
            )
        )
    db.session.flush()
    db.session.refresh(counter)
    receipt_type = (
        "AVTraining" if sale.training else ("AVBelegstorno" if kind == SaleKind.VOID else "Beleg")
    )
    receipt = signing.receipt_for(
        receipt_type,
        [(line.vat_rate_bp, line.total_cents) for line in counter.lines],
        *_money_split(counter.payments),
    )
    signing.record(till.id, till.serial, receipt, sale_id=counter.id, now=now)
    audit(
        actor,
        f"sale.{kind.value}",
        counter,
        {
            "original": sale.id,
            "receipt": counter.receipt_number,
            "total_cents": counter.total_cents,
            "reason": reason,
            "confirmed_by": confirmed_by.id if confirmed_by else None,
        },
        now=now,
    )
    queue_receipt(actor, counter, now=now)
    if till.has_drawer and any(p.method == PaymentMethod.CASH for p in counter.payments):
        _kick_drawer(actor, till, now)
    return counter


def _share(line: SaleLine, qty: int) -> dict:
    """The part of a line's amounts that `qty` of its pieces carry (all of it for the whole line)."""
    if qty == line.quantity:
        return {
            "total_cents": line.total_cents,
            "discount_cents": line.discount_cents,
            "eligibility_cents": line.eligibility_discount_cents,
        }

    def part(amount):
        return (amount * qty * 2 + line.quantity) // (2 * line.quantity)

    return {
        "total_cents": part(line.total_cents),
        "discount_cents": part(line.discount_cents),
        "eligibility_cents": part(line.eligibility_discount_cents),
    }


# ---------------------------------------------------------------- receipts and the drawer


def till_printer(till_id: int, kind: str) -> Printer | None:
    """The receipt or label printer configured for a till (a device lookup for printing)."""
    till = db.session.get(Till, till_id)
    if till is None:
        return None
    return till.label_printer if kind == "label" else till.receipt_printer


def receipt_printer(till: Till) -> Printer | None:
    printer = till.receipt_printer
    return printer if printer is not None and printer.is_active else None


def queue_receipt(actor: Actor, sale: Sale, *, copy: bool = False, now: datetime | None = None):
    """Queue the receipt on the till's printer (inside the sale's transaction)."""
    printer = receipt_printer(sale.till)
    if printer is None:
        return None
    title = (
        _("Receipt %(n)s (copy)", n=sale.receipt_number)
        if copy
        else _("Receipt %(n)s", n=sale.receipt_number)
    )
    return printing.enqueue(
        actor,
        printer,
        "receipt",
        render_receipt(sale, printer, copy=copy),
        title=f"{sale.till.name} · {title}",
        ref=("sale", str(sale.id)),
        now=now,
    )


def _kick_drawer(actor: Actor, till: Till, now: datetime):
    printer = receipt_printer(till)
    if printer is None:
        return None
    return printing.enqueue(
        actor,
        printer,
        "drawer",
        drawer_kick(printer),
        title=f"{till.name} · " + _("Open drawer"),
        now=now,
    )


def sales_of_session(session: TillSession) -> list[Sale]:
    return list(
        db.session.scalars(sa.select(Sale).where(Sale.session_id == session.id).order_by(Sale.id))
    )


def recent_sales(till: Till | None = None, limit: int = 50) -> list[Sale]:
    query = sa.select(Sale).order_by(Sale.id.desc()).limit(limit)
    if till is not None:
        query = query.where(Sale.till_id == till.id)
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- X and Z reports


def session_report(session: TillSession) -> dict:
    """Every figure of an X or Z report, summed by the database from the session's bookings.

    Training receipts count for nothing but their own line.
    """
    training_count, training_total = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Sale.total_cents), 0)).where(
            Sale.session_id == session.id, Sale.training.is_(True)
        )
    ).one()
    of_session = sa.and_(Sale.session_id == session.id, Sale.training.is_(False))
    line_join = sa.select(SaleLine).join(Sale, Sale.id == SaleLine.sale_id).where(of_session)
    lines = line_join.subquery()
    kinds = db.session.execute(
        sa.select(Sale.kind, sa.func.count(), sa.func.sum(Sale.total_cents))
        .where(of_session)
        .group_by(Sale.kind)
    ).all()
    first, last, total = db.session.execute(
        sa.select(
            sa.func.min(Sale.receipt_number),
            sa.func.max(Sale.receipt_number),
            sa.func.coalesce(sa.func.sum(Sale.total_cents), 0),
        ).where(of_session)
    ).one()
    # VAT is rounded on each receipt (as printed and as DSFinV-K has it), then summed per rate.
    per_receipt = (
        sa.select(
            lines.c.sale_id,
            lines.c.vat_rate_bp.label("rate"),
            sa.func.sum(lines.c.total_cents).label("gross"),
        )
        .group_by(lines.c.sale_id, lines.c.vat_rate_bp)
        .subquery()
    )
    gross, rate = per_receipt.c.gross, per_receipt.c.rate
    vat_abs = (sa.func.abs(gross) * rate * 2 + (10000 + rate)) // ((10000 + rate) * 2)
    vat_rows = db.session.execute(
        sa.select(rate, sa.func.sum(gross), sa.func.sum(sa.case((gross < 0, -vat_abs), else_=vat_abs)))
        .group_by(rate)
        .order_by(rate.desc())
    ).all()
    payment_rows = db.session.execute(
        sa.select(Payment.method, Payment.voucher_issuer, sa.func.sum(Payment.amount_cents))
        .join(Sale, Sale.id == Payment.sale_id)
        .where(of_session)
        .group_by(Payment.method, Payment.voucher_issuer)
    ).all()
    payments: dict[str, int] = {}
    vouchers: dict[str, int] = {}
    for method, issuer, amount in payment_rows:
        payments[method.value] = payments.get(method.value, 0) + amount
        if method == PaymentMethod.VOUCHER:
            vouchers[issuer] = vouchers.get(issuer, 0) + amount
    category_rows = db.session.execute(
        sa.select(
            lines.c.category_id, sa.func.sum(lines.c.quantity), sa.func.sum(lines.c.total_cents)
        ).group_by(lines.c.category_id)
    ).all()
    names = {c.id: c.path for c in goods.list_categories(include_inactive=True)}
    discounted, discount_cents, eligibility_cents = db.session.execute(
        sa.select(
            sa.func.count(sa.case((lines.c.discount_cents > 0, 1))),
            sa.func.coalesce(sa.func.sum(lines.c.discount_cents), 0),
            sa.func.coalesce(sa.func.sum(lines.c.eligibility_discount_cents), 0),
        )
    ).one()
    eligibility_receipts = db.session.scalar(
        sa.select(sa.func.count()).where(
            of_session, Sale.eligibility.is_(True), Sale.kind == SaleKind.SALE
        )
    )
    cash_rows = db.session.scalars(
        sa.select(CashMovement).where(CashMovement.session_id == session.id).order_by(CashMovement.id)
    ).all()
    cash = {kind.value: sum(c.amount_cents for c in cash_rows if c.kind == kind) for kind in CashKind}
    return {
        "till": session.till.name,
        "session": session.id,
        "opened_at": session.opened_at.isoformat(),
        "receipts": sum(count for _kind, count, _sum in kinds),
        "first_receipt": first,
        "last_receipt": last,
        "total_cents": total,
        "by_kind": {
            kind.value: {"count": count, "total_cents": amount} for kind, count, amount in kinds
        },
        "vat": [
            {"rate_bp": r, "gross_cents": int(g), "net_cents": int(g) - int(v), "vat_cents": int(v)}
            for r, g, v in vat_rows
        ],
        "payments": payments,
        "vouchers": vouchers,
        "categories": sorted(
            (
                {"name": names.get(cid, str(cid)), "count": qty, "total_cents": amount}
                for cid, qty, amount in category_rows
            ),
            key=lambda c: c["name"],
        ),
        "discounts": {
            "line_count": discounted,
            "line_cents": discount_cents,
            "eligibility_receipts": eligibility_receipts,
            "eligibility_cents": eligibility_cents,
        },
        "cash": cash,
        "cash_movements": [
            {
                "at": c.at.isoformat(),
                "kind": c.kind.value,
                "amount_cents": c.amount_cents,
                "reason": c.reason,
            }
            for c in cash_rows
        ],
        "expected_cash_cents": expected_cash(session),
        "training": {"count": training_count, "total_cents": training_total},
    }


def x_report(till: Till) -> dict:
    """Interim report of the open session; books nothing."""
    return session_report(current_session(till))


def close_session(
    actor: Actor,
    till: Till,
    *,
    counted_cents: int | None = None,
    counts: dict | None = None,
    reason: str = "",
    printed: bool = True,
    now: datetime | None = None,
) -> Closing:
    """Count the drawer, book the difference, store and print the numbered Z report."""
    now = now or utcnow()
    session = current_session(till)
    cart = open_cart(till)
    if cart is not None and cart.lines:
        raise ConflictError(_("A receipt is still open. Please finish or cancel it first."))
    if cart is not None:
        cancel_cart(actor, till, now=now)  # an empty receipt: its TSE transaction ends as aborted
    if counts:
        counted_cents = counted_total(counts)
    if counted_cents is None or counted_cents < 0:
        raise ValidationError(_("Please count the cash in the drawer."), field="counted")
    expected = expected_cash(session)
    difference = counted_cents - expected
    reason = (reason or "").strip()
    if difference and not reason:
        raise ValidationError(
            _("The count differs by %(n)s cents. Please give a reason.", n=difference), field="reason"
        )
    if difference:
        db.session.add(
            CashMovement(
                session_id=session.id,
                at=now,
                kind=CashKind.DIFFERENCE,
                amount_cents=difference,
                reason=reason[:200],
                user_id=actor.user_id,
            )
        )
        db.session.flush()
        signing.record(
            till.id,
            till.serial,
            signing.other_receipt("DifferenzSollIst", difference),
            ref=("session", str(session.id)),
            now=now,
        )
    report = session_report(session)
    report.update(
        counted_cents=counted_cents,
        difference_cents=difference,
        closed_at=now.isoformat(),
        closed_local=to_local(now).strftime("%d.%m.%Y %H:%M"),
    )
    closing = Closing(
        till_id=till.id,
        session_id=session.id,
        number=_next(till, Till.last_closing_number),
        closed_at=now,
        closed_by_id=actor.user_id,
        expected_cents=expected,
        counted_cents=counted_cents,
        counted=counts or None,
        difference_cents=difference,
        difference_reason=reason[:200] or None,
        report=report,
    )
    closing.report["number"] = closing.number
    db.session.add(closing)
    signing.record(
        till.id,
        till.serial,
        signing.other_receipt("Kassenabschluss", counted_cents),
        ref=("session", str(session.id)),
        now=now,
    )
    released = db.session.execute(
        sa.update(Till)
        .where(Till.id == till.id, Till.current_session_id == session.id)
        .values(current_session_id=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if released != 1:
        raise ConflictError(_("This till was closed already."))
    db.session.flush()
    db.session.refresh(till)
    audit(
        actor,
        "till.close",
        closing,
        {"till": till.name, "number": closing.number, "difference_cents": difference},
        now=now,
    )
    printer = receipt_printer(till)
    if printer is not None and printed:
        printing.enqueue(
            actor,
            printer,
            "report",
            render_closing(closing, printer),
            title=f"{till.name} · Z {closing.number}",
            ref=("closing", str(closing.id)),
            now=now,
        )
    return closing


def list_closings(till: Till | None = None, limit: int = 100) -> list[Closing]:
    query = sa.select(Closing).order_by(Closing.id.desc()).limit(limit)
    if till is not None:
        query = query.where(Closing.till_id == till.id)
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- office pages (look-ups)


def reversals_of(sale: Sale) -> list[Sale]:
    """The voids and returns that refer to a sale, oldest first."""
    return list(db.session.scalars(sa.select(Sale).where(Sale.reverses_id == sale.id).order_by(Sale.id)))


def get_closing(closing_id: int) -> Closing:
    closing = db.session.get(Closing, closing_id)
    if closing is None:
        raise NotFoundError(_("This daily closing does not exist."))
    return closing


def cash_movements(session: TillSession) -> list[CashMovement]:
    """Float, deposits, withdrawals and the closing difference of a session, oldest first."""
    return list(
        db.session.scalars(
            sa.select(CashMovement)
            .where(CashMovement.session_id == session.id)
            .order_by(CashMovement.id)
        )
    )


# ---------------------------------------------------------------- vouchers to invoice


@dataclass
class VoucherRow:
    at: datetime
    till: str
    receipt_number: int
    number: str
    amount_cents: int
    kind: str


def voucher_report(year: int, month: int) -> dict[str, list[VoucherRow]]:
    """Vouchers taken in a month, per issuer: what the shop invoices to each issuer.

    Refunds of voided or returned sales appear as negative rows, so the sum is what is owed.
    """
    start, end = local_month_bounds(year, month)
    rows = db.session.execute(
        sa.select(Payment, Sale)
        .join(Sale, Sale.id == Payment.sale_id)
        .where(
            Payment.method == PaymentMethod.VOUCHER,
            Sale.created_at >= start,
            Sale.created_at < end,
            Sale.training.is_(False),
        )
        .order_by(Payment.voucher_issuer, Sale.created_at)
    ).all()
    report: dict[str, list[VoucherRow]] = {}
    for payment, sale in rows:
        report.setdefault(payment.voucher_issuer or "", []).append(
            VoucherRow(
                sale.created_at,
                sale.till.name,
                sale.receipt_number,
                payment.voucher_number or "",
                payment.amount_cents,
                sale.kind.value,
            )
        )
    return report


# ---------------------------------------------------------------- registration with the tax office


def put_into_service(actor: Actor, till: Till, on: date) -> Till:
    """Record when the till went into service (reported to the tax office within a month)."""
    if on is None:
        raise ValidationError(_("Please give the date."), field="on")
    if till.out_of_service_on is not None and on < till.out_of_service_on:
        raise ValidationError(
            _("A till cannot go back into service before the day it went out of service."), field="on"
        )
    till.in_service_on, till.out_of_service_on, till.is_active = on, None, True
    audit(
        actor, "till.in_service", till, {"till": till.name, "serial": till.serial, "on": on.isoformat()}
    )
    return till


def take_out_of_service(actor: Actor, till: Till, on: date, *, today: date | None = None) -> Till:
    """Decommission a till: it sells no more; the tax office is told within a month."""
    today = today or local_today()
    if on is None:
        raise ValidationError(_("Please give the date."), field="on")
    if on > today:
        raise ValidationError(_("The date cannot be in the future."), field="on")
    if till.in_service_on is not None and on < till.in_service_on:
        raise ValidationError(
            _("A till cannot go out of service before it went into service."), field="on"
        )
    if till.current_session_id is not None:
        raise ConflictError(_("This till is still open. Please close it first."))
    till.out_of_service_on, till.is_active = on, False
    audit(
        actor,
        "till.out_of_service",
        till,
        {"till": till.name, "serial": till.serial, "on": on.isoformat()},
    )
    return till
