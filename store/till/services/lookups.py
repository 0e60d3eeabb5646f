"""Look-ups of what was booked: sales by id, the receipts of a till or session, the voids and returns
of a sale, daily closings."""

import functools

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.bounds import is_id
from store.core.errors import NotFoundError
from store.core.pricing import vat_breakdown
from store.extensions import db
from store.till.models import Closing, Sale, Till, TillSession


def find_sale(sale_uuid: str) -> Sale | None:
    # Every new sale asks first, and is not found: an id costs less to look for than a Sale.
    sale_id = db.session.connection().scalar(_id_by_uuid(), {"uuid": str(sale_uuid)})
    return db.session.get(Sale, sale_id) if sale_id is not None else None


@functools.cache
def _id_by_uuid():
    """Built once: building a statement costs more than running this one."""
    sale = Sale.__table__
    return sa.select(sale.c.id).where(sale.c.uuid == sa.bindparam("uuid"))


def get_sale(sale_ref: str | int) -> Sale:
    if str(sale_ref).isdigit():
        sale = db.session.get(Sale, int(sale_ref)) if is_id(sale_ref) else None
    else:
        sale = find_sale(str(sale_ref))
    if sale is None:
        raise NotFoundError(_("This sale does not exist."))
    return sale


def sales_of_session(session: TillSession) -> list[Sale]:
    return list(
        db.session.scalars(sa.select(Sale).where(Sale.session_id == session.id).order_by(Sale.id))
    )


def recent_sales(
    till: Till | None = None, limit: int = 50, branch_ids: set[int] | None = None
) -> list[Sale]:
    query = sa.select(Sale).order_by(Sale.id.desc()).limit(limit)
    if branch_ids is not None:
        query = query.join(Till, Sale.till_id == Till.id).where(Till.branch_id.in_(branch_ids))
    if till is not None:
        query = query.where(Sale.till_id == till.id)
    return list(db.session.scalars(query))


def list_closings(
    till: Till | None = None, limit: int = 100, branch_ids: set[int] | None = None
) -> list[Closing]:
    query = sa.select(Closing).order_by(Closing.id.desc()).limit(limit)
    if branch_ids is not None:
        query = query.join(Till, Closing.till_id == Till.id).where(Till.branch_id.in_(branch_ids))
    if till is not None:
        query = query.where(Closing.till_id == till.id)
    return list(db.session.scalars(query))


def reversals_of(sale: Sale) -> list[Sale]:
    """The voids and returns that refer to a sale, oldest first."""
    return list(db.session.scalars(sa.select(Sale).where(Sale.reverses_id == sale.id).order_by(Sale.id)))


def get_closing(closing_id: int) -> Closing:
    closing = db.session.get(Closing, closing_id)
    if closing is None:
        raise NotFoundError(_("This daily closing does not exist."))
    return closing


def sale_vat(sale: Sale) -> list:
    """The VAT of a receipt per rate, as it printed (rounded once per rate)."""
    return vat_breakdown([(line.vat_rate_bp, line.total_cents) for line in sale.lines])
