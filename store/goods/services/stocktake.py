"""Stocktakes: count a shelf with the scanner, then write off what is missing."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor, AuditEntry, audit
from store.core.errors import ConflictError, ValidationError
from store.core.timeutil import utcnow
from store.extensions import db
from store.goods.models import Item, ItemStatus, Stocktake, StocktakeScan, WriteOffReason
from store.goods.services.items import find_item, items_by_codes
from store.goods.services.stock import write_off


def start_stocktake(
    actor: Actor, location: str, *, branch_id: int | None = None, now: datetime | None = None
) -> Stocktake:
    """Count a shelf of a branch (None: the first branch, as in a single shop)."""
    location = (location or "").strip()
    if not location:
        raise ValidationError(_("Please choose the shelf or area to count."), field="location")
    running = open_stocktake(location, branch_id)
    if running is not None:
        return running  # one count per shelf at a time: go on with it
    stocktake = Stocktake(
        location=location[:40], started_at=now or utcnow(), started_by_id=actor.user_id
    )
    if branch_id is not None:
        stocktake.branch_id = branch_id
    db.session.add(stocktake)
    audit(actor, "stocktake.start", stocktake, {"location": location, "branch": stocktake.branch_id})
    return stocktake


def open_stocktake(location: str, branch_id: int | None = None) -> Stocktake | None:
    """The count of this shelf (of this branch) that is still running, if any (to continue it, not
    start twice)."""
    query = sa.select(Stocktake).where(
        Stocktake.location == (location or "").strip()[:40], Stocktake.finished_at.is_(None)
    )
    if branch_id is not None:
        query = query.where(Stocktake.branch_id == branch_id)
    return db.session.scalar(query.order_by(Stocktake.id.desc()).limit(1))


def stocktake_branch_id(stocktake_id: int) -> int | None:
    """The branch of a stocktake (None: no such stocktake), for the pages' branch guard."""
    return db.session.scalar(sa.select(Stocktake.branch_id).where(Stocktake.id == stocktake_id))


def scan_for_stocktake(
    actor: Actor, stocktake: Stocktake, code: str, *, now: datetime | None = None
) -> Item:
    """Count one scanned item. Scanning twice counts once."""
    if stocktake.finished_at is not None:
        raise ConflictError(_("This stocktake is finished."))
    item = find_item(code)
    exists = db.session.scalar(
        sa.select(StocktakeScan.id).where(
            StocktakeScan.stocktake_id == stocktake.id, StocktakeScan.item_id == item.id
        )
    )
    if not exists:
        db.session.add(StocktakeScan(stocktake=stocktake, item=item, at=now or utcnow()))
    return item


class ScanNote(StrEnum):
    """What the counter should hear about a scanned item."""

    COUNTED = "counted"
    AGAIN = "again"  # scanned before in this count
    NOT_IN_STOCK = "not_in_stock"  # sold or written off, says the ledger: for a supervisor
    OTHER_BRANCH = "other_branch"  # in the stock of another branch: for a supervisor
    NO_SHELF = "no_shelf"  # counted, but the ledger has no shelf for it
    OTHER_SHELF = "other_shelf"  # belongs to another shelf: put it back there


def scan_note(stocktake: Stocktake, item: Item, *, again: bool) -> ScanNote:
    """The one thing to say about a scan, the oddest first."""
    if item.status != ItemStatus.IN_STOCK:
        return ScanNote.NOT_IN_STOCK
    if item.branch_id != stocktake.branch_id:
        return ScanNote.OTHER_BRANCH
    if item.location is None:
        return ScanNote.NO_SHELF
    if item.location != stocktake.location:
        return ScanNote.OTHER_SHELF
    return ScanNote.AGAIN if again else ScanNote.COUNTED


def missing_items(stocktake: Stocktake) -> list[Item]:
    """Items the ledger puts on this shelf of the stocktake's branch, in stock, that were not
    scanned (another branch's shelf of the same name is not this one)."""
    scanned = sa.select(StocktakeScan.item_id).where(StocktakeScan.stocktake_id == stocktake.id)
    query = (
        sa.select(Item)
        .where(
            Item.branch_id == stocktake.branch_id,
            Item.location == stocktake.location,
            Item.status == ItemStatus.IN_STOCK,
            Item.taken_in_at <= stocktake.started_at,
            Item.id.not_in(scanned),
        )
        .order_by(Item.id)
    )
    return list(db.session.scalars(query))


def finish_stocktake(
    actor: Actor,
    stocktake: Stocktake,
    *,
    write_off_missing: bool,
    note: str = "",
    now: datetime | None = None,
) -> list[Item]:
    """Close the count; optionally write off every missing item in one step."""
    now = now or utcnow()
    if stocktake.finished_at is not None:
        raise ConflictError(_("This stocktake is finished."))
    missing = missing_items(stocktake)
    if write_off_missing:
        text = (note or "").strip() or _("not found at stocktake %(id)s", id=stocktake.id)
        for item in missing:
            write_off(actor, item, WriteOffReason.MISSING, text, now=now)
    stocktake.finished_at = now
    audit(
        actor,
        "stocktake.finish",
        stocktake,
        {"missing": [i.code for i in missing], "written_off": write_off_missing},
        now=now,
    )
    return missing


def list_stocktakes(limit: int = 30, branch_ids: set[int] | None = None) -> list[Stocktake]:
    """The most recent stocktakes (of these branches; None: of all), open ones first."""
    query = sa.select(Stocktake)
    if branch_ids is not None:
        query = query.where(Stocktake.branch_id.in_(branch_ids))
    return list(
        db.session.scalars(
            query.order_by(
                Stocktake.finished_at.is_not(None), Stocktake.started_at.desc(), Stocktake.id.desc()
            ).limit(limit)
        )
    )


@dataclass
class StocktakeResult:
    """What a finished stocktake found missing, and whether it was written off."""

    finished_at: datetime | None
    finished_by: object | None  # the User who finished it
    missing: list[Item]
    written_off: bool


def stocktake_result(stocktake: Stocktake) -> StocktakeResult | None:
    """The outcome of a finished stocktake, as its audit entry recorded it."""
    if stocktake.finished_at is None:
        return None
    entry = db.session.scalar(
        sa.select(AuditEntry)
        .where(
            AuditEntry.action == "stocktake.finish",
            AuditEntry.object_type == Stocktake.__tablename__,
            AuditEntry.object_id == str(stocktake.id),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    data = (entry.data if entry is not None else None) or {}
    return StocktakeResult(
        finished_at=stocktake.finished_at,
        finished_by=entry.user if entry is not None else None,
        missing=items_by_codes([c for c in data.get("missing", []) if c]),
        written_off=bool(data.get("written_off")),
    )
