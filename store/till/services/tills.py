"""Tills: the list, one till by id or name, saving its settings, its printers, and its counters."""

import functools

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _

from store.branches.models import Branch
from store.branches.services import is_branch
from store.core.audit import Actor, audit
from store.core.bounds import is_id
from store.core.errors import NotFoundError, ValidationError
from store.core.rows import columns_of, in_session, objects_of
from store.extensions import db
from store.printing.models import Printer
from store.till.models import Till


def list_tills(include_inactive: bool = False, branch_ids: set[int] | None = None) -> list[Till]:
    """The tills (of these branches; None: of all)."""
    query = sa.select(Till).order_by(Till.name)
    if branch_ids is not None:
        query = query.where(Till.branch_id.in_(branch_ids))
    if not include_inactive:
        query = query.where(Till.is_active.is_(True))
    return list(db.session.scalars(query))


def till_branch_id(till_id: int) -> int | None:
    """The branch of a till (None: no such till), for the views' branch guard."""
    return db.session.scalar(sa.select(Till.branch_id).where(Till.id == till_id))


def get_till(till_id: int) -> Till:
    """The till with its receipt printer (a sale prints on it: read in the same statement)."""
    row = db.session.connection().execute(_till_with_printer(), {"id": till_id}).first()
    if row is None:
        raise NotFoundError(_("This till does not exist."))
    till, printer, branch = objects_of(row, Till, Printer, Branch)
    return in_session(till, receipt_printer=printer, branch=branch)


@functools.cache
def _till_with_printer():
    """Built once (every sale asks); a Core select made into objects (store.core.rows): loading
    it with the ORM cost twice as much as the statement. The branch is on every receipt."""
    till, printer, branch = Till.__table__, Printer.__table__, Branch.__table__
    return (
        sa.select(*columns_of(Till, Printer, Branch))
        .outerjoin(printer, printer.c.id == till.c.receipt_printer_id)
        .join(branch, branch.c.id == till.c.branch_id)
        .where(till.c.id == sa.bindparam("id"))
    )


def find_till(ref: str | int) -> Till:
    """A till by id or by name (the API accepts both)."""
    if str(ref).isdigit():
        return get_till(int(ref) if is_id(ref) else 0)
    query = sa.select(Till).options(so.joinedload(Till.receipt_printer)).where(Till.name == str(ref))
    till = db.session.scalar(query)
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
    branch_id: int | None = None,
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
    if branch_id is not None and not is_branch(branch_id):
        raise ValidationError(_("There is no such branch."), field="branch_id")
    if branch_id is not None:  # None: a new till stands in the first branch, a saved one stays
        till.branch_id = branch_id
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


def next_number(till: Till, column) -> int:
    """Raise a per-till counter inside the transaction (row lock on PostgreSQL): one UPDATE …
    RETURNING; the till in memory gets the new value without reading it back."""
    value = db.session.execute(_raise_counter(column.key), {"of_till": till.id}).scalar_one()
    so.attributes.set_committed_value(till, column.key, value)
    return value


@functools.cache
def _raise_counter(key: str):
    table = Till.__table__
    counter = table.c[key]
    return (
        sa.update(table)
        .where(table.c.id == sa.bindparam("of_till"))
        .values({counter: counter + 1})
        .returning(counter)
    )


def till_printer(till_id: int, kind: str) -> Printer | None:
    """The receipt or label printer configured for a till (a device lookup for printing)."""
    till = db.session.get(Till, till_id)
    if till is None:
        return None
    return till.label_printer if kind == "label" else till.receipt_printer


def receipt_printer(till: Till) -> Printer | None:
    printer = till.receipt_printer
    return printer if printer is not None and printer.is_active else None
