"""Transfers of goods between branches: a supervisor scans items out of one branch into another.

Each item is booked on both sides of the stock ledger (transfer_out at the branch it leaves,
transfer_in at the branch it reaches, with who did it and one transfer number for the lot) and
changes its branch with a conditional UPDATE, so a till selling it at that moment cannot race it.
Sold, written-off and reserved items stay where they are. The transfer sheet is made from the
bookings, so it can be printed again at any time.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.branches.models import Branch
from store.core.audit import Actor, audit
from store.core.errors import ConflictError, NotFoundError, ValidationError
from store.core.timeutil import as_utc
from store.extensions import db
from store.goods.models import Item, ItemStatus, MovementKind, StockMovement
from store.goods.services.items import active_reservation, find_item
from store.goods.services.ledger import book_movement

MAX_CODES = 300  # one transfer sheet
REF_TYPE = "transfer"


@dataclass
class Transfer:
    """One transfer: its number, the two branches, when, by whom, and the items."""

    number: str
    from_branch: Branch
    to_branch: Branch
    at: datetime
    by: str
    items: list[Item]


def _branch(branch_id: int | None, field: str) -> Branch:
    branch = db.session.get(Branch, branch_id) if branch_id else None
    if branch is None:
        raise ValidationError(_("There is no such branch."), field=field)
    return branch


def _items(codes: list[str], source: Branch) -> list[Item]:
    cleaned = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    if not cleaned:
        raise ValidationError(_("Scan at least one item."), field="codes")
    if len(cleaned) > MAX_CODES:
        raise ValidationError(_("At most %(n)s items per transfer.", n=MAX_CODES), field="codes")
    items = []
    for code in cleaned:
        item = find_item(code)
        if item.branch_id != source.id:
            raise ConflictError(
                _("%(code)s belongs to branch %(branch)s.", code=item.code, branch=item.branch.name)
            )
        if item.status == ItemStatus.SOLD:
            raise ConflictError(_("%(code)s is already sold.", code=item.code))
        if item.status != ItemStatus.IN_STOCK:
            raise ConflictError(_("%(code)s is not in stock and cannot be moved.", code=item.code))
        if active_reservation(item) is not None:
            raise ConflictError(
                _("%(code)s is reserved for a customer and cannot be moved.", code=item.code)
            )
        items.append(item)
    return items


def transfer_items(
    actor: Actor,
    codes: list[str],
    from_branch_id: int,
    to_branch_id: int,
    *,
    now: datetime | None = None,
) -> Transfer:
    """Move the items with these codes from one branch to another. All or nothing."""
    now = as_utc(now)
    source = _branch(from_branch_id, "from_branch")
    target = _branch(to_branch_id, "to_branch")
    if source.id == target.id:
        raise ValidationError(_("Choose two different branches."), field="to_branch")
    if not target.is_active:
        raise ValidationError(_("This branch is closed."), field="to_branch")
    items = _items(codes, source)
    number = uuid.uuid4().hex[:12].upper()
    for item in items:
        moved = db.session.execute(
            sa.update(Item)
            .where(Item.id == item.id, Item.branch_id == source.id, Item.status == ItemStatus.IN_STOCK)
            .values(branch_id=target.id)
            .execution_options(synchronize_session=False)
        ).rowcount
        if moved != 1:  # sold or moved by someone else in the meantime
            raise ConflictError(_("%(code)s changed meanwhile; please scan it again.", code=item.code))
        ref = (REF_TYPE, number)
        book_movement(
            actor,
            now,
            MovementKind.TRANSFER_OUT,
            item=item,
            quantity=-1,
            ref=ref,
            branch_id=source.id,
            note=target.name[:200],
        )
        book_movement(
            actor,
            now,
            MovementKind.TRANSFER_IN,
            item=item,
            quantity=1,
            ref=ref,
            branch_id=target.id,
            note=source.name[:200],
        )
        item.branch_id = target.id
        db.session.expire(item, ["branch"])
    db.session.flush()
    audit(
        actor,
        "goods.transfer",
        None,
        {"number": number, "from": source.id, "to": target.id, "codes": [i.code for i in items]},
        now=now,
    )
    return get_transfer(number)


def get_transfer(number: str) -> Transfer:
    """A transfer by its number, from its bookings."""
    outs = list(
        db.session.scalars(
            sa.select(StockMovement)
            .where(
                StockMovement.ref_type == REF_TYPE,
                StockMovement.ref_id == number,
                StockMovement.kind == MovementKind.TRANSFER_OUT,
            )
            .order_by(StockMovement.id)
        )
    )
    if not outs:
        raise NotFoundError(_("There is no such transfer."))
    ins = db.session.scalar(
        sa.select(StockMovement.branch_id)
        .where(
            StockMovement.ref_type == REF_TYPE,
            StockMovement.ref_id == number,
            StockMovement.kind == MovementKind.TRANSFER_IN,
        )
        .limit(1)
    )
    first = outs[0]
    return Transfer(
        number=number,
        from_branch=db.session.get(Branch, first.branch_id),
        to_branch=db.session.get(Branch, ins),
        at=first.at,
        by=first.user.display_name if first.user else "",
        items=[m.item for m in outs],
    )
