"""Finding items (by code, by filters, old stock), whether one may be sold, its price today, photos."""

import functools
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from store.branches.models import Branch
from store.core import storage
from store.core.audit import Actor, audit
from store.core.errors import ConflictError, NotFoundError, ValidationError
from store.core.i18n import local_date
from store.core.rows import columns_of, in_session, objects_of
from store.core.timeutil import local_today, utcnow
from store.extensions import db
from store.goods import codes
from store.goods.models import Category, Item, ItemStatus, Reservation, ReservationStatus
from store.goods.pricing import quote_item
from store.goods.services.categories import subtree_ids


def find_item(code: str) -> Item:
    """The item with this code (as scanned), or NotFoundError with a readable message."""
    code = (code or "").strip()
    query = sa.select(Item).options(so.joinedload(Item.category)).where(Item.code == code)
    item = db.session.scalar(query) if code else None  # with its category: the till needs it
    if item is None:
        if code.isdigit() and len(code) == 13 and not codes.is_valid(code):
            raise NotFoundError(
                _("The code %(code)s was not read correctly. Please scan again.", code=code)
            )
        raise NotFoundError(_("No item has the code %(code)s.", code=code))
    return item


def item_branch_id(item_id: int) -> int | None:
    """The branch of an item (None: no such item), for the views' branch guard."""
    return db.session.scalar(sa.select(Item.branch_id).where(Item.id == item_id))


def get_item(item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    if item is None:
        raise NotFoundError(_("This item does not exist."))
    return item


def items_by_codes(code_list: list[str]) -> list[Item]:
    """Items for these codes, in the order given (unknown codes are skipped)."""
    found = {i.code: i for i in db.session.scalars(sa.select(Item).where(Item.code.in_(code_list)))}
    return [found[c] for c in code_list if c in found]


def check_sellable(item: Item, today: date | None = None) -> None:
    """Raise a clear ServiceError if this item cannot be sold now (reserved items included: only
    their reservation's number brings them to a till, see services.reservations)."""
    check_goods_sellable(item)
    reservation = active_reservation(item)
    if reservation is not None:
        raise ConflictError(reserved_note(reservation))


def active_reservation(item: Item) -> Reservation | None:
    """The item's active reservation, if it has one."""
    return db.session.scalar(
        sa.select(Reservation).where(
            Reservation.item_id == item.id, Reservation.status == ReservationStatus.ACTIVE
        )
    )


def reserved_note(reservation: "Reservation | Hold") -> str:
    """ "Reserviert bis 05.12.2026 (Nr. 100014)": what the item page, the search and the till say."""
    return _(
        "Reserved until %(date)s (no. %(number)s).",
        date=local_date(reservation.until),
        number=reservation.number,
    )


def check_goods_sellable(item: Item) -> None:
    """The item's own state: sold, written off, an appliance without a passed safety test."""
    if item.status == ItemStatus.SOLD:
        raise ConflictError(_("%(code)s is already sold.", code=item.code))
    if item.status == ItemStatus.WRITTEN_OFF:
        raise ConflictError(_("%(code)s was written off and cannot be sold.", code=item.code))
    if item.category.requires_safety_test:
        test = item.last_safety_test
        if test is None:
            raise ConflictError(
                _("This appliance has no safety test yet. It must not be sold until it has passed one.")
            )
        if not test.passed:
            raise ConflictError(_("This appliance failed its safety test. It must not be sold."))


def sale_block(item: Item, today: date | None = None) -> str | None:
    """Why this item cannot be sold now (the message check_sellable gives), or None."""
    return sale_state(item, active_reservation(item))


def sale_state(item: Item, reservation: "Reservation | Hold | None") -> str | None:
    """Why this item, with this active reservation (or None), cannot be sold now, or None."""
    try:
        check_goods_sellable(item)
    except ConflictError as error:
        return error.message
    return reserved_note(reservation) if reservation else None


class Hold(NamedTuple):
    """An item's active reservation, as far as the till needs it: until when, and its number."""

    until: date
    number: str | None


def look_up(code: str) -> tuple[Item, Hold | None]:
    """An item by its code as a till looks it up: with its category, its branch and its active
    reservation, in one statement. NotFoundError as find_item gives it.

    A Core select whose row is made into objects (store.core.rows): loading it with the ORM cost
    twice as much as the statement; the reservation comes as two columns."""
    code = (code or "").strip()
    row = db.session.connection().execute(_look_up_statement(), {"code": code}).first() if code else None
    if row is None:
        return find_item(code), None  # its message
    item, category, branch = objects_of(row, Item, Category, Branch)
    item = in_session(item, category=category, branch=branch)
    until, number = row[-2:]
    return item, (Hold(until, number) if until is not None else None)


@functools.cache
def _look_up_statement():
    """Built once, on first use (building a statement costs more than running it)."""
    item, reservation = Item.__table__, Reservation.__table__
    return (
        sa.select(*columns_of(Item, Category, Branch), reservation.c.until, reservation.c.number)
        .join_from(item, Category.__table__, Category.__table__.c.id == item.c.category_id)
        .join(Branch.__table__, Branch.__table__.c.id == item.c.branch_id)
        .outerjoin(
            reservation,
            (reservation.c.item_id == item.c.id) & (reservation.c.status == ReservationStatus.ACTIVE),
        )
        .where(item.c.code == sa.bindparam("code"))
        .limit(1)
    )


def current_price(item: Item, today: date | None = None):
    """The price the till charges today (markdown applied)."""
    return quote_item(item, today or local_today())


@dataclass
class ItemSearch:
    text: str = ""
    category_id: int | None = None
    status: str | None = ItemStatus.IN_STOCK.value
    min_weeks: int | None = None
    location: str | None = None
    branch_ids: set[int] | None = None  # the branches whose stock is searched (None: all)


def search_items(search: ItemSearch, *, page: int = 1, per_page: int = 50, now=None):
    """Items matching the filters, newest first, as a Flask-SQLAlchemy pagination."""
    query = sa.select(Item).order_by(Item.id.desc())
    text = (search.text or "").strip()
    if text:
        if text.isdigit():
            query = query.where(Item.code.startswith(text) | Item.description.ilike(f"%{text}%"))
        else:
            query = query.where(Item.description.ilike(f"%{text}%") | Item.brand.ilike(f"%{text}%"))
    if search.category_id:
        ids = subtree_ids(search.category_id)
        query = query.where(Item.category_id.in_(ids))
    if search.status:
        query = query.where(Item.status == ItemStatus(search.status))
    if search.min_weeks:
        query = query.where(Item.taken_in_at <= (now or utcnow()) - timedelta(weeks=search.min_weeks))
    if search.location:
        query = query.where(Item.location == search.location)
    if search.branch_ids is not None:
        query = query.where(Item.branch_id.in_(search.branch_ids))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def ageing(min_weeks: int, *, now: datetime | None = None) -> list[tuple[Category, int, int]]:
    """Per category: items in stock older than min_weeks, and their label value in cents."""
    cutoff = (now or utcnow()) - timedelta(weeks=min_weeks)
    rows = db.session.execute(
        sa.select(Item.category_id, sa.func.count(), sa.func.sum(Item.price_cents))
        .where(Item.status == ItemStatus.IN_STOCK, Item.taken_in_at <= cutoff)
        .group_by(Item.category_id)
    ).all()
    result = [(db.session.get(Category, cid), n, value or 0) for cid, n, value in rows]
    return sorted(result, key=lambda r: -r[1])


def locations() -> list[str]:
    """Shelves and areas in use, for the stocktake and the filters."""
    return list(
        db.session.scalars(
            sa.select(Item.location).where(Item.location.is_not(None)).distinct().order_by(Item.location)
        )
    )


PHOTO_MAX_PIXELS = 1200


def photo_folder() -> str:
    """Where item photos are kept with the default storage: the instance folder's photos/."""
    return str(Path(current_app.instance_path) / "photos")


def photo_key(name: str) -> str:
    """The key of an item photo in the shared storage (store.core.storage)."""
    return f"photos/{name}"


def save_photo(actor: Actor, item: Item, upload) -> str:
    """Store an item photo as a JPEG of at most 1200 px; a bad file changes nothing."""
    try:
        image = Image.open(upload)
        image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError):
        raise ValidationError(_("This file is not a photo."), field="photo") from None
    image.thumbnail((PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
    name = f"{item.code}.jpg"
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=82)
    storage.storage().put(photo_key(name), jpeg.getvalue(), "image/jpeg")
    item.photo = name
    audit(actor, "item.photo", item, {"file": name})
    return name
