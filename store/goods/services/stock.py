"""Ledger movements after intake: write-offs and their corrections, new prices, the till's sales
and returns, counted articles."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import ConflictError, ValidationError
from store.core.settings import get_setting
from store.core.timeutil import utcnow
from store.extensions import db
from store.goods.models import Article, Item, ItemStatus, MovementKind, StockMovement, WriteOffReason
from store.goods.services.items import check_goods_sellable
from store.goods.services.ledger import book_movement, set_status
from store.goods.services.reservations import claim_for_sale, end_reservation_of


def write_off(
    actor: Actor,
    item: Item,
    reason: WriteOffReason | str,
    note: str = "",
    *,
    now: datetime | None = None,
) -> StockMovement:
    """Take an item out of stock (damaged, disposed, given to another charity, missing)."""
    now = now or utcnow()
    try:
        reason = WriteOffReason(reason)
    except ValueError:
        raise ValidationError(_("Please choose a reason."), field="reason") from None
    if reason == WriteOffReason.OTHER and not (note or "").strip():
        raise ValidationError(_("Please say why."), field="note")
    set_status(item, ItemStatus.IN_STOCK, ItemStatus.WRITTEN_OFF)
    end_reservation_of(actor, item, now)  # a damaged or missing piece is held for nobody
    movement = book_movement(
        actor,
        now,
        MovementKind.WRITE_OFF,
        item=item,
        quantity=-1,
        reason=reason,
        note=(note or "").strip()[:200],
    )
    audit(actor, "item.write_off", item, {"reason": reason.value, "note": note}, now=now)
    return movement


def correct_movement(
    actor: Actor, movement: StockMovement, note: str, *, now: datetime | None = None
) -> StockMovement:
    """Reverse a wrong booking with a counter-booking; the original stays as it was."""
    now = now or utcnow()
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Please say why the booking is corrected."), field="note")
    if movement.kind not in (MovementKind.WRITE_OFF, MovementKind.STOCK_IN):
        raise ValidationError(
            _(
                "Only write-offs and stock additions can be corrected here. "
                "Sales are corrected at the till with a void or a return."
            )
        )
    already = db.session.scalar(
        sa.select(StockMovement.id).where(StockMovement.reverses_id == movement.id)
    )
    if already:
        raise ConflictError(_("This booking was corrected already."))
    if movement.item is not None:
        set_status(movement.item, ItemStatus.WRITTEN_OFF, ItemStatus.IN_STOCK)
    counter = book_movement(
        actor,
        now,
        MovementKind.CORRECTION,
        item=movement.item,
        article=movement.article,
        quantity=-movement.quantity,
        reverses=movement,
        note=note[:200],
    )
    audit(actor, "stock.correction", counter, {"reverses": movement.id, "note": note}, now=now)
    return counter


def change_price(
    actor: Actor, item: Item, price_cents: int, note: str = "", *, now: datetime | None = None
) -> StockMovement:
    """A new label price (the old label should be replaced: reprint it)."""
    now = now or utcnow()
    if item.status != ItemStatus.IN_STOCK:
        raise ConflictError(_("Only items in stock can get a new price."))
    if price_cents <= 0 or price_cents > get_setting("max_price_cents"):
        raise ValidationError(_("Please enter a sensible price."), field="price")
    old = item.price_cents
    item.price_cents = price_cents
    movement = book_movement(
        actor,
        now,
        MovementKind.PRICE,
        item=item,
        quantity=0,
        price_cents=price_cents,
        note=(note or "").strip()[:200],
    )
    audit(actor, "item.price", item, {"old": old, "new": price_cents, "note": note}, now=now)
    return movement


def mark_sold(actor: Actor, item: Item, *, sale_ref: str, now: datetime) -> StockMovement:
    """The till's booking of a sold unique item. Raises ConflictError if another till was first, or
    if the item is reserved and its number was not typed at this till."""
    check_goods_sellable(item)
    set_status(item, ItemStatus.IN_STOCK, ItemStatus.SOLD)
    claim_for_sale(actor, item, sale_ref, now)  # after the claim: it holds the item's row
    return book_movement(actor, now, MovementKind.SALE, item=item, quantity=-1, ref=("sale", sale_ref))


def mark_returned(
    actor: Actor, item: Item, *, sale_ref: str, now: datetime, to_stock: bool = True
) -> StockMovement:
    """A returned or voided unique item comes back to stock (or is written off at once)."""
    set_status(item, ItemStatus.SOLD, ItemStatus.IN_STOCK)
    movement = book_movement(
        actor, now, MovementKind.RETURN, item=item, quantity=1, ref=("sale", sale_ref)
    )
    if not to_stock:
        write_off(actor, item, WriteOffReason.DAMAGED, _("returned damaged"), now=now)
    return movement


def book_article(
    actor: Actor,
    article: Article,
    quantity: int,
    kind: MovementKind,
    *,
    now: datetime,
    ref: tuple[str, str] | None = None,
    note: str = "",
) -> StockMovement | None:
    """Book counted articles (sold: negative quantity). Untracked articles book nothing."""
    if not article.track_stock:
        return None
    return book_movement(actor, now, kind, article=article, quantity=quantity, ref=ref, note=note)


def article_stock(article: Article) -> int | None:
    if not article.track_stock:
        return None
    return db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(StockMovement.quantity), 0)).where(
            StockMovement.article_id == article.id
        )
    )


STOCK_IN_MAX = 10_000


def add_article_stock(
    actor: Actor, article: Article, quantity: int, note: str = "", *, now: datetime | None = None
) -> StockMovement:
    """Book counted articles into stock (a delivery, or more found at a count)."""
    now = now or utcnow()
    if not article.track_stock:
        raise ValidationError(_("The stock of this article is not counted."), field="quantity")
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or not (1 <= quantity <= STOCK_IN_MAX)
    ):
        raise ValidationError(
            _("The quantity must be between 1 and %(n)s.", n=STOCK_IN_MAX), field="quantity"
        )
    note = (note or "").strip()[:200]
    movement = book_movement(
        actor, now, MovementKind.STOCK_IN, article=article, quantity=quantity, note=note
    )
    audit(actor, "article.stock_in", article, {"quantity": quantity, "note": note}, now=now)
    return movement
