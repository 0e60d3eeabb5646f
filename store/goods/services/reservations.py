"""Reservations: a unique item held for one customer until a date.

While a reservation is active, the item stays in stock (it is on the shelf and counted at a stocktake)
but `check_sellable` refuses it, so scanning its label at any till says "reserved until …". The
customer's reservation number, typed into a till's scan field (`item_for_till`), brings the item into
that till's cart and makes that till the one that may sell it; the sale checks this after its
conditional UPDATE of the items (`claim_reserved`), so a till that had the item in its cart before it
was reserved, or a second till, is refused with 409.

A reservation ends once: sold, released by staff, or lapsed after its date (`lapse_due`, run by the
`reservations lapse` command from cron). Each end is a conditional UPDATE of its status, so two runs
racing end it exactly once.

A deposit is agreed with the reservation (`deposit_cents`, due) and taken at a till, where it is a
receipt of its own (store.till.services.deposits, DSFinV-K `Anzahlungseinstellung`). This module
records which receipt took it (`record_deposit`) and which settled it — the sale that counted it
(`claim_reserved`), or the refund or keeping after the reservation ended (`settle_deposit`) — each
with a conditional UPDATE, so a deposit is taken once and settled once.
"""

import functools
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.goods.models import Item, ItemStatus, Reservation, ReservationStatus
from store.goods.services.items import (
    active_reservation,
    check_goods_sellable,
    check_sellable,
    current_price,
    find_item,
    reserved_note,
)

# How far ahead a reservation may run: furniture waits a couple of weeks at most.
MAX_DAYS = 28
NUMBER_BASE = 10000


def reservation_number(reservation_id: int) -> str:
    """The number the customer is given: NUMBER_BASE + id and a check digit (typos are caught)."""
    body = str(NUMBER_BASE + reservation_id)
    return body + _check_digit(body)


def _check_digit(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def is_reservation_number(text: str) -> bool:
    """Digits with a valid check digit, shorter than an item code (13 digits)."""
    text = (text or "").strip()
    return text.isdigit() and 6 <= len(text) <= 8 and _check_digit(text[:-1]) == text[-1]


def may_reserve(actor: Actor) -> bool:
    """Supervisors and admins anywhere; a trainee only at a till."""
    user = actor.user
    if user is None:
        return actor.source == "cli"
    if user.role in (Role.SUPERVISOR, Role.ADMIN, Role.COORDINATOR):
        return True
    return user.role == Role.TRAINEE and actor.till_id is not None


def reserve(
    actor: Actor,
    code: str,
    *,
    customer: str,
    until: date | None,
    phone: str | None = None,
    deposit_cents: int = 0,
    now: datetime | None = None,
) -> Reservation:
    """Hold the item with this code for a customer until a date."""
    now = as_utc(now)
    if not may_reserve(actor):
        raise PermissionDeniedError(_("Trainees reserve items at a till; please ask a supervisor."))
    customer = (customer or "").strip()
    if not customer:
        raise ValidationError(_("Please give a name or a number for the customer."), field="customer")
    today = local_today(now)
    if until is None or until < today:
        raise ValidationError(_("The date must not be in the past."), field="until")
    if until > today + timedelta(days=MAX_DAYS):
        raise ValidationError(_("A reservation runs for at most %(n)s days.", n=MAX_DAYS), field="until")
    item = find_item(code)
    check_sellable(item)  # sold, written off, untested appliance, or reserved already
    check_deposit(item, deposit_cents, today)
    _lock_in_stock(item)
    reservation = Reservation(
        item=item,
        customer=customer[:80],
        phone=(phone or "").strip()[:40] or None,
        until=until,
        deposit_cents=deposit_cents or 0,
        status=ReservationStatus.ACTIVE,
        created_at=now,
        created_by_id=actor.user_id,
    )
    db.session.add(reservation)
    db.session.flush()  # the unique index refuses a second active reservation (409)
    reservation.number = reservation_number(reservation.id)
    audit(
        actor,
        "reservation.create",
        reservation,
        {
            "item": item.code,
            "until": until.isoformat(),
            "number": reservation.number,
            "deposit_cents": reservation.deposit_cents,
        },
        now=now,
    )
    return reservation


def _lock_in_stock(item: Item) -> None:
    """Take the item's row lock with a no-op conditional UPDATE: a sale that claims the item at the
    same moment either waits for this reservation (and then sees it) or wins, and this finds the item
    sold and refuses."""
    changed = db.session.execute(
        sa.update(Item)
        .where(Item.id == item.id, Item.status == ItemStatus.IN_STOCK)
        .values(status=Item.status)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.refresh(item)
        raise ConflictError(_("%(code)s is not in stock any more.", code=item.code))


def get_reservation(reservation_id: int) -> Reservation:
    reservation = db.session.get(Reservation, reservation_id)
    if reservation is None:
        raise NotFoundError(_("This reservation does not exist."))
    return reservation


def find_reservation(number: str) -> Reservation:
    reservation = db.session.scalar(
        sa.select(Reservation).where(Reservation.number == (number or "").strip())
    )
    if reservation is None:
        raise NotFoundError(_("No reservation has the number %(n)s.", n=number))
    return reservation


def list_reservations(*, active_only: bool = True, limit: int = 200) -> list[Reservation]:
    query = sa.select(Reservation).order_by(Reservation.until, Reservation.id).limit(limit)
    if active_only:
        query = query.where(Reservation.status == ReservationStatus.ACTIVE)
    else:
        query = query.order_by(None).order_by(Reservation.id.desc())
    return list(db.session.scalars(query))


def reservations_for(items: list[Item]) -> dict[int, Reservation]:
    """The active reservations of these items, by item id (for lists)."""
    ids = [i.id for i in items]
    if not ids:
        return {}
    # Every sale asks, and nearly always finds none: ids cost less to look for than Reservations.
    found = db.session.connection().execute(_active_of_items(), {"ids": ids}).scalars().all()
    if not found:
        return {}
    rows = db.session.scalars(sa.select(Reservation).where(Reservation.id.in_(found)))
    return {r.item_id: r for r in rows}


@functools.cache
def _active_of_items():
    """Built once: building a statement costs more than running it."""
    table = Reservation.__table__
    return sa.select(table.c.id).where(
        table.c.item_id.in_(sa.bindparam("ids", expanding=True)),
        table.c.status == ReservationStatus.ACTIVE,
    )


def _end(
    actor: Actor, reservation: Reservation, status: ReservationStatus, now: datetime, **values
) -> bool:
    """Move an active reservation to its end, once: False if it had ended already."""
    changed = db.session.execute(
        sa.update(Reservation)
        .where(Reservation.id == reservation.id, Reservation.status == ReservationStatus.ACTIVE)
        .values(status=status, ended_at=now, ended_by_id=actor.user_id, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(reservation)
    return changed == 1


def release(actor: Actor, reservation: Reservation, *, now: datetime | None = None) -> Reservation:
    """Staff end a reservation before its date: the item is for sale again."""
    now = as_utc(now)
    if not _end(actor, reservation, ReservationStatus.RELEASED, now):
        raise ConflictError(_("This reservation has ended already."))
    audit(actor, "reservation.release", reservation, {"item": reservation.item.code}, now=now)
    return reservation


def end_reservation_of(actor: Actor, item: Item, now: datetime) -> None:
    """The item left stock another way (written off): its reservation, if any, ends."""
    reservation = active_reservation(item)
    if reservation is not None and _end(actor, reservation, ReservationStatus.RELEASED, now):
        audit(
            actor, "reservation.release", reservation, {"item": item.code, "why": "written_off"}, now=now
        )


def lapse_due(actor: Actor, *, now: datetime | None = None) -> int:
    """End the reservations whose date has passed (the item is for sale again). Each ends exactly
    once, however many runs race."""
    now = as_utc(now)
    today = local_today(now)
    due = db.session.scalars(
        sa.select(Reservation).where(
            Reservation.status == ReservationStatus.ACTIVE, Reservation.until < today
        )
    ).all()
    lapsed = 0
    for reservation in due:
        if _end(actor, reservation, ReservationStatus.LAPSED, now):
            audit(actor, "reservation.lapse", reservation, {"item": reservation.item.code}, now=now)
            lapsed += 1
    return lapsed


def item_for_till(actor: Actor, code: str) -> Item:
    """What the till's scan field found: an item's label, or a reservation's number, which brings
    the reserved item and makes this till the one that may sell it."""
    if not is_reservation_number(code):
        item = find_item(code)
        check_sellable(item)
        return item
    reservation = find_reservation(code)
    if reservation.status != ReservationStatus.ACTIVE:
        raise ConflictError(_("Reservation %(n)s has ended.", n=reservation.number))
    check_goods_sellable(reservation.item)
    reservation.till_id = actor.till_id
    audit(actor, "reservation.at_till", reservation, {"till": actor.till_id})
    return reservation.item


def check_deposit(item: Item, deposit_cents: int | None, today: date) -> None:
    """A deposit is between 0 and the item's price today."""
    if deposit_cents is None or deposit_cents < 0:
        raise ValidationError(_("The deposit must not be negative."), field="deposit_cents")
    if deposit_cents and deposit_cents > current_price(item, today).price_cents:
        raise ValidationError(
            _("The deposit must not be more than the price of the item."), field="deposit_cents"
        )


def reservation_for_till(actor: Actor, code: str) -> tuple[Item, Reservation | None]:
    """Like item_for_till, with the reservation when the number was typed (for its deposit)."""
    if not is_reservation_number(code):
        return item_for_till(actor, code), None
    item = item_for_till(actor, code)
    return item, find_reservation(code)


def _where_deposit(reservation: Reservation, *conditions):
    return (
        sa.update(Reservation)
        .where(Reservation.id == reservation.id, *conditions)
        .execution_options(synchronize_session=False)
    )


def record_deposit(
    actor: Actor, reservation: Reservation, cents: int, sale_ref: str, now: datetime
) -> None:
    """The till booked the receipt that took the deposit: once, while the reservation is active."""
    changed = db.session.execute(
        _where_deposit(
            reservation,
            Reservation.status == ReservationStatus.ACTIVE,
            Reservation.deposit_ref.is_(None),
        ).values(deposit_ref=sale_ref, deposit_cents=cents)
    ).rowcount
    db.session.refresh(reservation)
    if changed != 1:
        raise ConflictError(
            _(
                "The deposit of reservation %(n)s was taken already, or it has ended.",
                n=reservation.number,
            )
        )
    audit(actor, "reservation.deposit", reservation, {"sale": sale_ref, "deposit_cents": cents}, now=now)


def settle_deposit(
    actor: Actor, reservation: Reservation, outcome: str, sale_ref: str, now: datetime
) -> None:
    """An ended reservation's deposit was refunded or kept by the receipt `sale_ref`: once."""
    changed = db.session.execute(
        _where_deposit(
            reservation,
            Reservation.status != ReservationStatus.ACTIVE,
            Reservation.deposit_ref.is_not(None),
            Reservation.deposit_settled_ref.is_(None),
        ).values(deposit_settled_ref=sale_ref, deposit_outcome=outcome)
    ).rowcount
    db.session.refresh(reservation)
    if changed != 1:
        raise ConflictError(
            _("The deposit of reservation %(n)s was settled already.", n=reservation.number)
        )
    audit(actor, f"reservation.deposit_{outcome}", reservation, {"sale": sale_ref}, now=now)


def deposits_to_settle(limit: int = 100) -> list[Reservation]:
    """Reservations that ended (lapsed, released, written off) with their deposit still held."""
    return list(
        db.session.scalars(
            sa.select(Reservation)
            .where(
                Reservation.status.in_([ReservationStatus.LAPSED, ReservationStatus.RELEASED]),
                Reservation.deposit_ref.is_not(None),
                Reservation.deposit_settled_ref.is_(None),
            )
            .order_by(Reservation.ended_at, Reservation.id)
            .limit(limit)
        )
    )


def claim_for_sale(actor: Actor, item: Item, sale_ref: str, now: datetime) -> None:
    """Called by mark_sold after it claimed the item (holding its row)."""
    claim_reserved(actor, [item], sale_ref, now)


def claim_reserved(
    actor: Actor,
    items: list[Item],
    sale_ref: str,
    now: datetime,
    deposits_used: frozenset[int] = frozenset(),
) -> None:
    """Called by a sale after it claimed its items (holding their rows), one statement for all: a
    reserved item is sold only at the till where its reservation's number was typed, and the
    reservation ends as sold. A deposit taken must be counted in the sale (`deposits_used`: the
    reservations whose deposit the sale counts), and a deposit counted must still be held."""
    ended = set()
    for reservation in reservations_for(items).values():
        if actor.till_id is None or reservation.till_id != actor.till_id:
            raise ConflictError(reserved_note(reservation))
        held = reservation.deposit_state == "held"
        if held and reservation.id not in deposits_used:
            raise ConflictError(
                _(
                    "Reservation %(n)s has a deposit: please type its number at the till, "
                    "so that the deposit is counted.",
                    n=reservation.number,
                )
            )
        settled = {"deposit_settled_ref": sale_ref, "deposit_outcome": "used"} if held else {}
        _end(actor, reservation, ReservationStatus.SOLD, now, sale_ref=sale_ref, **settled)
        audit(actor, "reservation.sold", reservation, {"sale": sale_ref}, now=now)
        ended.add(reservation.id)
    if set(deposits_used) - ended:
        raise ConflictError(
            _("The reservation has ended: its deposit is paid back or kept, not counted in a sale.")
        )
