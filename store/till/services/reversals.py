"""Voids and returns: a counter-sale of the lines taken back, refunded, items back to stock (or
written off), signed and printed like any receipt. A sale is voided at most once (a unique index)."""

import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core.audit import Actor, audit
from store.core.errors import ConflictError, ValidationError
from store.core.exports import safe_cell
from store.core.timeutil import as_utc
from store.extensions import db
from store.goods import services as goods
from store.goods.models import Article, Item, MovementKind
from store.till.models import Payment, PaymentMethod, Sale, SaleKind, SaleLine, Till
from store.till.services.booking import cashier_label
from store.till.services.cash import current_session
from store.till.services.payments import money_split
from store.till.services.printouts import kick_drawer, queue_receipt
from store.till.services.tills import next_number
from store.tse import signing


def reversed_quantities(sale: Sale) -> dict[int, int]:
    """How much of each line was already voided or returned (positive numbers)."""
    rows = db.session.execute(
        sa.select(SaleLine.reverses_line_id, sa.func.sum(SaleLine.quantity))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(Sale.reverses_id == sale.id)
        .group_by(SaleLine.reverses_line_id)
    ).all()
    return {line_id: -qty for line_id, qty in rows}


@dataclass(frozen=True)
class ReversalOptions:
    """What can still be taken back of a receipt: per line the pieces left, and whether a void or a
    return is possible at all."""

    remaining: dict[int, int]
    can_void: bool
    can_return: bool


def reversal_options(sale: Sale) -> ReversalOptions:
    done = reversed_quantities(sale) if sale.kind == SaleKind.SALE else {}
    remaining = {line.id: line.quantity - done.get(line.id, 0) for line in sale.lines}
    return ReversalOptions(
        remaining=remaining,
        can_void=sale.kind == SaleKind.SALE and not done,
        can_return=sale.kind == SaleKind.SALE and any(n > 0 for n in remaining.values()),
    )


def void_sale(
    actor: Actor, sale: Sale, reason: str, *, confirmed_by: User, now: datetime | None = None
) -> Sale:
    """Storno: a counter-sale of every line, refunded the way it was paid; items back to stock."""
    if sale.kind != SaleKind.SALE:
        raise ValidationError(_("Only sales can be voided."))
    if any(line.ref_sale_id is not None for line in sale.lines):
        raise ValidationError(
            _("This sale counted a deposit. Please take the items back as a return instead.")
        )
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
        if lines[line_id].ref_sale_id is not None:
            raise ValidationError(_("A deposit counted in a sale is not taken back."))
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
    now = as_utc(now)
    reason = safe_cell((reason or "").strip())  # recorded as the export shows it (no formula)
    if not reason:
        raise ValidationError(_("Please give a reason."), field="reason")
    till = sale.till
    taken = [
        (position, line, quantities[line.id], _share(line, quantities[line.id]))
        for position, line in enumerate(sale.lines, start=1)
        if quantities.get(line.id)
    ]
    total = sum(share["total_cents"] for _p, _l, _q, share in taken)
    counter = _counter_sale(actor, sale, kind, -total, reason, confirmed_by, now)
    for position, line, qty, share in taken:
        db.session.add(_counter_line(counter, position, line, qty, share))
        if not sale.training:
            _back_to_stock(actor, counter, line, qty, to_stock, now)
    for payment in _refunds(sale, total, refund_as_paid):
        payment.sale_id = counter.id
        db.session.add(payment)
    db.session.flush()
    db.session.refresh(counter)
    # DSFinV-K 2.4 "Storno": a void after the receipt was finished is a new Beleg with negative
    # amounts (signed as such: fiskaly RECEIPT), BON_STORNO = 1 in the export, not AVBelegstorno.
    receipt_type = "AVTraining" if sale.training else "Beleg"
    receipt = signing.receipt_for(
        receipt_type,
        [(line.vat_rate_bp, line.total_cents) for line in counter.lines],
        *money_split(counter.payments),
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
        kick_drawer(actor, till, now)
    return counter


def _counter_sale(
    actor: Actor,
    sale: Sale,
    kind: SaleKind,
    total: int,
    reason: str,
    confirmed_by: User | None,
    now: datetime,
) -> Sale:
    """The negative receipt of a void or return, numbered in the till's open session."""
    till = sale.till
    session = current_session(till)
    counter = Sale(
        uuid=str(uuidlib.uuid4()),
        kind=kind,
        till_id=till.id,
        session_id=session.id,
        receipt_number=next_number(till, Till.last_receipt_number),
        started_at=now,
        created_at=now,
        cashier_id=actor.user_id,
        cashier_label=cashier_label(actor),
        total_cents=total,
        eligibility=sale.eligibility,
        training=sale.training,
        reverses_id=sale.id,
        reason=reason[:200],
        confirmed_by_id=confirmed_by.id if confirmed_by else None,
    )
    db.session.add(counter)
    db.session.flush()
    return counter


def _counter_line(counter: Sale, position: int, line: SaleLine, qty: int, share: dict) -> SaleLine:
    """The line taken back: the original's prices, its share of the amounts, negative."""
    return SaleLine(
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
        business_case=line.business_case,
        service=line.service,
    )


def _back_to_stock(
    actor: Actor, counter: Sale, line: SaleLine, qty: int, to_stock: bool, now: datetime
) -> None:
    """A labelled item back to stock (or written off); an article back by quantity."""
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


def _refunds(sale: Sale, total: int, refund_as_paid: bool) -> list[Payment]:
    """A void pays back the way the sale was paid; a return pays back in cash."""
    if refund_as_paid:
        return [
            Payment(
                method=p.method,
                amount_cents=-p.amount_cents,
                tendered_cents=None,
                change_cents=0,
                voucher_number=p.voucher_number,
                voucher_issuer=p.voucher_issuer,
            )
            for p in sale.payments
        ]
    return [
        Payment(
            method=PaymentMethod.CASH,
            amount_cents=-total,
            tendered_cents=None,
            change_cents=0,
        )
    ]


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
