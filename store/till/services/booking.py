"""Booking a sale in one short transaction with SQLAlchemy Core: the receipt number (one
UPDATE … RETURNING), the unique items claimed together (one conditional UPDATE … RETURNING: fewer
rows than asked means another till was first, and nothing is booked), the sale, its lines, payments
and stock movements inserted in batches, and the audit row. The Sale returned is built from memory."""

import functools
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import ConflictError, ValidationError
from store.core.rows import insert_all, related
from store.extensions import db
from store.goods import services as goods
from store.goods.models import Item, ItemStatus, MovementKind, StockMovement
from store.till.models import (
    CartLine,
    Payment,
    PaymentMethod,
    Sale,
    SaleKind,
    SaleLine,
    Till,
    new_receipt_token,
)
from store.till.services.cart import Priced
from store.till.services.payments import PaymentIn, check_payments
from store.till.services.tills import next_number


def check_items(items: list[Item]) -> None:
    """Whether every labelled item may be sold now (sold, written off, an appliance without a
    passed safety test). Further reasons to refuse an item belong here."""
    for item in items:
        goods.check_goods_sellable(item)  # a reserved item: checked once claimed (_claim)


# long function: the booking, statement by statement, in the order the database sees it
def book(
    actor: Actor,
    till: Till,
    sale_uuid: str,
    started_at: datetime,
    eligibility: bool,
    priced: Priced,
    payments: list[PaymentIn],
    now: datetime,
    *,
    kind: SaleKind = SaleKind.SALE,
) -> Sale:
    """Book the sale with SQLAlchemy Core; the Sale returned is built from memory (no read back).
    A deposit's refund pays out in cash, and keeping a deposit moves no money (`kind`)."""
    if not priced.lines:
        raise ValidationError(_("The receipt is empty. Please scan something first."))
    if priced.total_cents < 0 and kind == SaleKind.SALE:
        raise ValidationError(_("The deposit is more than the total. Please ask a supervisor."))
    if kind in (SaleKind.SALE, SaleKind.DEPOSIT):
        payment_rows = check_payments(payments, priced.total_cents)
    else:
        payment_rows = _paid_out(priced.total_cents)
    if till.current_session_id is None:
        raise ConflictError(_("The till is not open. Please count the float and open it."))
    values = dict(
        uuid=str(sale_uuid),
        receipt_token=new_receipt_token(),
        kind=kind,
        till_id=till.id,
        session_id=till.current_session_id,
        receipt_number=next_number(till, Till.last_receipt_number),
        started_at=started_at,
        created_at=now,
        cashier_id=actor.user_id,
        cashier_label=cashier_label(actor),
        total_cents=priced.total_cents,
        eligibility=bool(eligibility),
        training=till.training,
        reverses_id=None,
        reason=None,
        confirmed_by_id=None,
    )
    (sale,) = insert_all(Sale, [values])
    # After the sale's own row: the same sale sent twice at once clashes on its id above.
    items = [pl.line.item for pl in priced.lines if pl.line is not None and pl.line.item is not None]
    deposits = frozenset(  # deposits counted in a sale (a refund or keeping settles its own)
        pl.reservation_id for pl in priced.lines if pl.ref_sale_id is not None and kind == SaleKind.SALE
    )
    if (items or deposits) and not till.training:  # training moves no stock; everything else is real
        _claim(actor, items, sale, till, now, deposits)
    lines = insert_all(
        SaleLine, [_sale_line(sale, position, pl) for position, pl in enumerate(priced.lines, start=1)]
    )
    payments = insert_all(Payment, [_values(row) | {"sale_id": sale.id} for row in payment_rows])
    if not till.training:
        _take_from_stock(actor, sale, till.branch_id, priced, now)
    audit(
        actor,
        "sale.create",
        None,
        {"till": till.name, "receipt": sale.receipt_number, "total_cents": sale.total_cents},
        now=now,
        ref=("sale", str(sale.id)),  # the sale is no ORM object in the session yet: no flush
    )
    related(sale, till=till, reverses=None, confirmed_by=None, lines=lines, payments=payments)
    for row in (*lines, *payments):
        related(row, sale=sale)
    db.session.add(sale)
    return sale


def _values(obj) -> dict:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key != "id"}


@functools.cache
def _insert(model):
    return sa.insert(model.__table__)


@functools.cache
def _claim_statement():
    """Mark the items sold that are in stock in the till's branch; the ids of those it marked."""
    table = Item.__table__
    return (
        sa.update(table)
        .where(
            table.c.id.in_(sa.bindparam("ids", expanding=True)),
            table.c.status == ItemStatus.IN_STOCK.value,
            table.c.branch_id == sa.bindparam("in_branch"),
        )
        .values(status=ItemStatus.SOLD.value)
        .returning(table.c.id)
    )


def _claim(
    actor: Actor, items: list[Item], sale: Sale, till: Till, now: datetime, deposits: frozenset[int]
) -> None:
    """Mark every unique item of the till's branch sold with one conditional UPDATE; one short:
    another till was first, or the item was moved to another branch since it was scanned. Then,
    with the items' rows held, one statement for their reservations: a reserved item is sold only at
    the till where its reservation's number was typed."""
    claimed = set()
    if items:
        claimed = set(
            db.session.execute(
                _claim_statement(), {"ids": [i.id for i in items], "in_branch": till.branch_id}
            ).scalars()
        )
    missing = [item for item in items if item.id not in claimed]
    if missing:
        _refuse(missing[0], till)
    for item in items:
        so.attributes.set_committed_value(item, "status", ItemStatus.SOLD)
    goods.claim_reserved(actor, items, str(sale.id), now, deposits)


def _refuse(item: Item, till: Till) -> None:
    """Why an item could not be claimed: sold meanwhile, or in another branch than the till's (moved
    there since it was scanned, or sent to this till through the API). Read again."""
    status, branch_id = db.session.execute(
        sa.select(Item.status, Item.branch_id).where(Item.id == item.id)
    ).one()
    if status == ItemStatus.IN_STOCK and branch_id != till.branch_id:
        db.session.expire(item)
        raise ConflictError(
            _("%(code)s belongs to branch %(branch)s.", code=item.code, branch=item.branch.name)
        )
    raise ConflictError(_("%(code)s is already sold.", code=item.code))


def _sale_line(sale: Sale, position: int, pl) -> dict:
    """The receipt's line: its own copy of price, discount and VAT rate as priced now."""
    line = pl.line or CartLine()  # a deposit counted has no cart line of its own
    return dict(
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
        reverses_line_id=None,
        business_case=pl.business_case,
        ref_sale_id=pl.ref_sale_id,
        service=pl.service,
    )


def _take_from_stock(actor: Actor, sale: Sale, branch_id: int, priced: Priced, now: datetime) -> None:
    """The stock ledger's bookings of the sale, in one statement: each unique item once, counted
    articles by quantity (untracked articles book nothing)."""
    rows = []
    for pl in priced.lines:
        line = pl.line
        if line is None or line.service or (line.item is None and not line.article.track_stock):
            continue
        rows.append(
            {
                "at": now,
                "kind": MovementKind.SALE.value,
                "item_id": line.item.id if line.item else None,
                "article_id": None if line.item else line.article.id,
                "quantity": -1 if line.item else -pl.quantity,
                "price_cents": None,
                "reason": None,
                "note": None,
                "user_id": actor.user_id,
                "till_id": actor.till_id,
                "reverses_id": None,
                "ref_type": "sale",
                "ref_id": str(sale.id),
                "branch_id": branch_id,  # the till's
            }
        )
    if rows:
        db.session.execute(_insert(StockMovement), rows)


def _paid_out(total_cents: int) -> list[Payment]:
    """A deposit refunded is paid out in cash; a deposit kept moves no money."""
    if not total_cents:
        return []
    return [
        Payment(
            method=PaymentMethod.CASH,
            amount_cents=total_cents,
            tendered_cents=None,
            change_cents=0,
            voucher_number=None,
            voucher_issuer=None,
        )
    ]


def cashier_label(actor: Actor) -> str:
    """The pseudonymous cashier number kept with the sale (and in the DSFinV-K export). The
    receipt prints the first name beside it from the user, which the retention run removes."""
    if actor.user is None:
        return "-"
    return str(actor.user.id)
