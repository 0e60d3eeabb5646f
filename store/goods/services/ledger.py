"""The stock ledger's two primitives: a booking (one StockMovement row) and the change of an item's
status that is safe when two tills race."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor
from store.core.errors import ConflictError
from store.extensions import db
from store.goods.models import Article, Item, ItemStatus, MovementKind, StockMovement, WriteOffReason


def book_movement(
    actor: Actor,
    now: datetime,
    kind: MovementKind,
    *,
    item: Item | None = None,
    article: Article | None = None,
    quantity: int,
    price_cents: int | None = None,
    reason: WriteOffReason | None = None,
    note: str | None = None,
    reverses: StockMovement | None = None,
    ref: tuple[str, str] | None = None,
    branch_id: int | None = None,
) -> StockMovement:
    """One row of the stock ledger. Rows are never changed; a correction is a counter-booking."""
    movement = StockMovement(
        at=now,
        kind=kind,
        item=item,
        article=article,
        quantity=quantity,
        price_cents=price_cents,
        reason=reason,
        note=(note or None),
        user_id=actor.user_id,
        till_id=actor.till_id,
        reverses=reverses,
        ref_type=ref[0] if ref else None,
        ref_id=str(ref[1]) if ref else None,
        # Booked at the item's branch unless the caller says (a transfer books both sides).
        branch_id=branch_id if branch_id is not None else (item.branch_id if item is not None else None),
    )
    db.session.add(movement)
    return movement


def set_status(item: Item, expected: ItemStatus, new: ItemStatus) -> None:
    """Move an item's status only if it is still `expected` (safe when two tills race)."""
    changed = db.session.execute(
        sa.update(Item)
        .where(Item.id == item.id, Item.status == expected)
        .values(status=new)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.refresh(item)
        messages = {
            ItemStatus.SOLD: _("%(code)s is already sold.", code=item.code),
            ItemStatus.WRITTEN_OFF: _("%(code)s was written off already.", code=item.code),
            ItemStatus.IN_STOCK: _("%(code)s is in stock.", code=item.code),
        }
        raise ConflictError(messages[item.status])
    item.status = new
    db.session.flush()
