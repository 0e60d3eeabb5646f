"""Selling: paying the open cart at the till (checkout) or a whole sale in one call (sell, the API),
and the booking both share.

A sale is booked in one short transaction that holds only the booking: the receipt number (one
UPDATE … RETURNING), the unique items claimed together (one conditional UPDATE … RETURNING: fewer
rows than asked means another till was first, and nothing is booked), the sale, its lines, payments
and stock movements inserted in batches, and the audit row. It commits before the TSE is asked, so no
lock is held while a network TSE takes its time. The signature is then stored with the receipt's
print job in a transaction of its own. A sale whose signing was interrupted (a crash, a time-out) is
signed by the workers' recovery step (`sign_unsigned`), with the same TSE transaction id, so it is
never lost and never signed twice.
"""

import functools
import time
import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from store.core import durability, transaction
from store.core.audit import Actor
from store.core.errors import ConflictError, NotFoundError, ValidationError
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.goods import services as goods
from store.goods.models import Article, Item
from store.till.models import (
    Cart,
    CartLine,
    PaymentMethod,
    Sale,
    Till,
)
from store.till.services.booking import book, check_items
from store.till.services.cart import open_cart, price_cart, tse_started
from store.till.services.lookups import find_sale
from store.till.services.payments import PaymentIn, money_split
from store.till.services.printouts import queue_receipt
from store.tse import signing
from store.tse.backends.base import Receipt, Started
from store.tse.models import FiscalTransaction

# A sale's id → the id of its TSE transaction (uuid5): the same on every retry, so the TSE (fiskaly's
# transaction revisions) and our unique tx_id make a repeated signing a no-op. Never change it.
TX_NAMESPACE = uuidlib.UUID("0b6f4c1e-6a55-5d2c-9f0e-3c1d7a2b8e41")


def tse_tx_id(sale_uuid: str) -> str:
    return str(uuidlib.uuid5(TX_NAMESPACE, str(sale_uuid)))


@dataclass
class Signing:
    """What signing a booked sale needs once the booking has committed."""

    started: Started | None = None
    start_error: str | None = None


def checkout(
    actor: Actor,
    till: Till,
    payments: list[PaymentIn],
    *,
    cart_uuid: str | None = None,
    now: datetime | None = None,
) -> tuple[Sale, bool]:
    """Pay the till's open cart: book it, commit, sign, queue the receipt. Returns (sale, created).

    Paying again with the same cart id returns the sale that was booked, and books nothing new.
    """
    now = as_utc(now)
    if cart_uuid:
        existing = find_sale(cart_uuid)
        if existing is not None:
            return _again(existing)
    cart = open_cart(till)
    if cart is None or (cart_uuid and cart.uuid != cart_uuid):
        raise ConflictError(_("There is nothing to pay on this till."))
    if not cart.lines:
        raise ValidationError(_("The receipt is empty. Please scan something first."))
    priced = price_cart(cart, local_today(now))
    check_items(
        [pl.line.item for pl in priced.lines if pl.line is not None and pl.line.item is not None]
    )
    durability.relax_until_commit(db.session)  # finish()'s second commit waits for the disk
    sale = book(actor, till, cart.uuid, cart.started_at, cart.eligibility, priced, payments, now)
    how = Signing(tse_started(cart), cart.tse_error)
    cart.is_open = False
    cart.lines.clear()
    finish(actor, till, sale, how, now=now)
    return sale, True


def _again(sale: Sale) -> tuple[Sale, bool]:
    """A sale sent again, answered as booked. Its booking's commit may not have waited for the disk
    (a crash before its signature's commit): the answer waits for it."""
    durability.barrier(db.session)
    return sale, False


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
    sign: bool = True,
    now: datetime | None = None,
) -> tuple[Sale, bool]:
    """A whole sale in one call (the API): lines and payments together. Idempotent by its id.

    `sign=False` books only (the caller commits and calls `finish`); otherwise the booking is
    committed here and the sale signed and its receipt queued in a second, short transaction."""
    now = as_utc(now)
    existing = find_sale(sale_uuid)
    if existing is not None:
        same_sale(existing, till, lines, payments, eligibility)
        return _again(existing)
    cart = Cart(started_at=now, eligibility=eligibility)  # in memory only: priced, never stored
    try:
        cart.lines = _cart_lines(lines)
        priced = price_cart(cart, local_today(now))
        check_items([pl.line.item for pl in priced.lines if pl.line.item is not None])
    except ConflictError:
        # "Sold already" may be this very sale, booked by the same request sent twice at once,
        # which committed between the look-up above and the items' read.
        existing = find_sale(sale_uuid)
        if existing is None:
            raise
        same_sale(existing, till, lines, payments, eligibility)
        return _again(existing)
    if sign:
        durability.relax_until_commit(db.session)  # finish()'s second commit waits for the disk
    sale = book(actor, till, sale_uuid, now, eligibility, priced, payments, now)
    if sign:
        finish(actor, till, sale, Signing(), printed=printed, now=now)
    return sale, True


def _cart_lines(lines: list[LineIn]) -> list[CartLine]:
    """The API's lines as cart lines: every code and every article read with one statement each."""
    codes = [line.code.strip() for line in lines if line.code]
    article_ids = [line.article for line in lines if line.article and not line.code]
    items = {}
    if codes:
        items = {item.code: item for item in db.session.scalars(_items_by_code(), {"codes": codes})}
    articles = {}
    if article_ids:
        found = db.session.scalars(_articles_by_id(), {"ids": article_ids})
        articles = {article.id: article for article in found}
    result, seen = [], set()
    for line in lines:
        if bool(line.code) == bool(line.article):
            raise ValidationError(_("Each line needs either a code or an article."), field="lines")
        if line.code:
            item = items.get(line.code.strip()) or goods.find_item(line.code)  # its message
            if item.id in seen or line.quantity != 1:
                raise ValidationError(
                    _("A labelled item is sold once; its quantity is always 1."), field="lines"
                )
            seen.add(item.id)
            result.append(CartLine(item=item, quantity=1, discount_percent=0))
            continue
        if not 1 <= line.quantity <= 999:
            raise ValidationError(_("The quantity must be between 1 and %(n)s.", n=999), field="lines")
        article = articles.get(line.article)
        if article is None:
            raise NotFoundError(_("This article does not exist."))
        result.append(CartLine(article=article, quantity=line.quantity, discount_percent=0))
    return result


@functools.cache
def _items_by_code():
    """Built once (building a statement costs more than running it), on first use: its options need
    every model mapped."""
    return (
        sa.select(Item)
        .join(Item.category)
        .options(so.contains_eager(Item.category))
        .where(Item.code.in_(sa.bindparam("codes", expanding=True)))
    )


@functools.cache
def _articles_by_id():
    return (
        sa.select(Article)
        .join(Article.category)
        .options(so.contains_eager(Article.category))
        .where(Article.id.in_(sa.bindparam("ids", expanding=True)), Article.is_active.is_(True))
    )


def same_sale(
    sale: Sale, till: Till, lines: list[LineIn], payments: list[PaymentIn], eligibility: bool
) -> None:
    """A sale sent again must be the same sale: another till, other lines or other payments under a
    booked sale's id are refused (409), never answered with the sale booked before."""
    asked = [
        ("code", line.code.strip()) if line.code else ("article", line.article, line.quantity)
        for line in lines
    ]
    booked = [
        ("code", line.code) if line.item_id else ("article", line.article_id, line.quantity)
        for line in sale.lines
    ]
    cash = sum(p.amount_cents or 0 for p in payments if p.method == PaymentMethod.CASH.value)
    paid = [
        (p.method, p.amount_cents, (p.voucher_number or "").strip(), (p.voucher_issuer or "").strip())
        for p in payments
        if p.method != PaymentMethod.CASH.value
    ] + ([("cash", cash, "", "")] if cash else [])
    stored = [
        (
            p.method.value,
            p.tendered_cents if p.method == PaymentMethod.CASH else p.amount_cents,
            p.voucher_number or "",
            p.voucher_issuer or "",
        )
        for p in sale.payments
    ]
    if (
        sale.till_id != till.id
        or asked != booked
        or paid != stored
        or bool(eligibility) != sale.eligibility
    ):
        raise ConflictError(
            _("A different sale was booked with this id already. Please send the sale with a new id.")
        )


def receipt_of(sale: Sale) -> Receipt:
    """What the TSE signs for a booked receipt: a sale, void, return or training receipt."""
    # A void is a Beleg with negative amounts (DSFinV-K 2.4 "Storno"), as reversals signs it.
    receipt_type = "AVTraining" if sale.training else "Beleg"
    return signing.receipt_for(
        receipt_type,
        [(line.vat_rate_bp, line.total_cents) for line in sale.lines],
        *money_split(sale.payments),
    )


def finish(
    actor: Actor,
    till: Till,
    sale: Sale,
    how: Signing,
    *,
    printed: bool = True,
    now: datetime | None = None,
) -> FiscalTransaction:
    """Commit the booking, then sign the sale and queue its receipt (the caller's commit stores
    them). The request commits twice on purpose: the booking must be stored and its locks
    released before the TSE is asked, which may take seconds. The booking's commit need not wait
    for the disk (durability.relax_until_commit): the second one, which acknowledges the sale, does,
    and takes the booking along."""
    transaction.commit(keep=True)  # the sale in memory is what was committed; no read back
    tx = signing.record(
        till.id,
        till.serial,
        receipt_of(sale),
        started=how.started,
        start_error=how.start_error,
        sale_id=sale.id,
        tx_id=tse_tx_id(sale.uuid),
        now=now,
    )
    sale.fiscal = tx
    if printed:
        cash = any(p.method == PaymentMethod.CASH for p in sale.payments)
        queue_receipt(actor, sale, tx=tx, drawer=till.has_drawer and cash, now=now)
    return tx


def sign_unsigned(now: datetime | None = None, limit: int = 20) -> int:
    """The workers' recovery step: sign (and print) the sales booked at least TSE_RECOVERY_SECONDS
    ago that have no TSE outcome yet — a crash or a lost connection between the booking's commit
    and the signature. Each is committed on its own; a sale signed meanwhile by someone else (the
    unique TSE transaction id refuses a second row) is left as it is. Returns how many it signed.

    Workers on several machines may run it at once: each takes one sale at a time and holds its
    row (`FOR UPDATE SKIP LOCKED` on PostgreSQL) while the TSE signs, so the others pass it over;
    holding it, it looks again whether the sale was signed meanwhile, so the TSE never signs a sale
    twice."""
    now = as_utc(now)
    cutoff = now - timedelta(seconds=current_app.config.get("TSE_RECOVERY_SECONDS", 60))
    done = last = 0
    for _turn in range(limit):
        sale_id = _next_unsigned(now, cutoff, after=last)
        if sale_id is None:
            break
        last = sale_id
        done += _recover(sale_id, now)
    db.session.commit()
    return done


def _next_unsigned(now: datetime, cutoff: datetime, after: int) -> int | None:
    """The next sale without a TSE outcome, locked for this worker (PostgreSQL; skipping those
    other workers hold)."""
    unsigned = sa.select(FiscalTransaction.id).where(FiscalTransaction.sale_id == Sale.id)
    pick = (
        sa.select(Sale.id)
        .where(
            Sale.id > after,
            Sale.created_at <= cutoff,
            Sale.created_at >= now - timedelta(days=31),
            ~unsigned.exists(),
        )
        .order_by(Sale.id)
        .limit(1)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(of=Sale, skip_locked=True)
    return db.session.scalar(pick)


def _recover(sale_id: int, now: datetime) -> int:
    """Sign one sale this worker holds. Commits (which lets go of the sale). 1 if it signed."""
    if signing.for_sale(sale_id) is not None:  # signed since the pick looked (a fresh statement)
        db.session.commit()
        return 0
    sale = db.session.get(Sale, sale_id)
    cart = db.session.scalar(sa.select(Cart).where(Cart.uuid == sale.uuid))
    how = Signing(tse_started(cart), cart.tse_error) if cart is not None else Signing()
    try:
        tx = signing.record(
            sale.till_id,
            sale.till.serial,
            receipt_of(sale),
            started=how.started,
            start_error=how.start_error,
            sale_id=sale.id,
            tx_id=tse_tx_id(sale.uuid),
            retry=True,
            now=now,
        )
        db.session.flush()  # the unique TSE transaction id refuses a second outcome here
        queue_receipt(Actor.system("worker"), sale, tx=tx, now=now)
        transaction.commit()  # one sale at a time: a failure leaves the others signed
    except IntegrityError:
        db.session.rollback()  # signed meanwhile (by its request, or by another worker)
        return 0
    return 1


def await_signature(sale: Sale, seconds: float = 15.0) -> FiscalTransaction | None:
    """The TSE outcome of a sale, waiting up to `seconds` while the request that booked it is still
    signing (a sale sent twice at once is answered the second time as it was the first)."""
    deadline = time.monotonic() + seconds
    while True:
        tx = signing.for_sale(sale.id)
        if tx is not None or time.monotonic() >= deadline:
            return tx
        if as_utc(sale.created_at) < as_utc(None) - timedelta(seconds=seconds):
            return None  # an old sale without an outcome: the recovery step will sign it
        time.sleep(0.05)
