"""The reports' day store and indexes.

Bookings never change, and a day that has ended gets no new ones; so the figures of each closed day are
computed once from the bookings and kept in the tables below (derived data: they can be emptied at
any time and are filled again on the next report). A report reads the stored days and only today live.

The covering indexes let both databases answer the grouped queries over the bookings from the index
alone. Declared here, beside the queries that need them; migration 20261203_e1a2b3c4d5e6 creates
them and the tables; 20261207_a4c9e1f27b3d keys receipts, payments and goods by branch too.

Each row is of one branch (sales: through their till; receipts and payments: their sale's till's
branch; goods: the item's branch), so a report of one branch reads only its rows."""

from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.core.types import UTCDateTime
from store.extensions import db
from store.goods.models import Item, StockMovement
from store.till.models import Payment, Sale, SaleLine

INDEXES = [
    sa.Index(
        "ix_sale_report",
        Sale.created_at,
        Sale.training,
        Sale.id,
        Sale.till_id,
        Sale.kind,
        Sale.eligibility,
        Sale.total_cents,
    ),
    sa.Index(
        "ix_sale_line_report",
        SaleLine.sale_id,
        SaleLine.vat_rate_bp,
        SaleLine.category_id,
        SaleLine.quantity,
        SaleLine.total_cents,
    ),
    sa.Index("ix_payment_report", Payment.sale_id, Payment.method, Payment.amount_cents),
    sa.Index("ix_item_report", Item.taken_in_at, Item.category_id),
    sa.Index("ix_item_status_taken_in", Item.status, Item.taken_in_at),
    sa.Index(
        "ix_stock_movement_report",
        StockMovement.at,
        StockMovement.kind,
        StockMovement.item_id,
        StockMovement.quantity,
    ),
]


class StoredDay(db.Model):
    """A closed local day whose figures the tables below hold (read instead of the bookings)."""

    __tablename__ = "report_day"

    day: so.Mapped[date] = so.mapped_column(primary_key=True)
    stored_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)


class SalesDay(db.Model):
    """A closed day's sale lines by till, VAT rate and category (training sales left out)."""

    __tablename__ = "report_sales_day"

    day: so.Mapped[date] = so.mapped_column(primary_key=True)
    till_id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    vat_rate_bp: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    category_id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    gross_cents: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    quantity: so.Mapped[int]


class ReceiptsDay(db.Model):
    """A closed day's receipts by branch, kind (sale, void, return) and entitlement card."""

    __tablename__ = "report_receipts_day"

    day: so.Mapped[date] = so.mapped_column(primary_key=True)
    branch_id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    kind: so.Mapped[str] = so.mapped_column(sa.String(16), primary_key=True)
    eligibility: so.Mapped[bool] = so.mapped_column(primary_key=True)
    receipts: so.Mapped[int]
    gross_cents: so.Mapped[int] = so.mapped_column(sa.BigInteger)


class PaymentsDay(db.Model):
    """A closed day's payments by branch and method."""

    __tablename__ = "report_payments_day"

    day: so.Mapped[date] = so.mapped_column(primary_key=True)
    branch_id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    method: so.Mapped[str] = so.mapped_column(sa.String(16), primary_key=True)
    amount_cents: so.Mapped[int] = so.mapped_column(sa.BigInteger)


class GoodsDay(db.Model):
    """A closed day's goods flow by branch and category: taken in, sold, written off, days to sale."""

    __tablename__ = "report_goods_day"

    day: so.Mapped[date] = so.mapped_column(primary_key=True)
    branch_id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    category_id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    taken_in: so.Mapped[int]
    sold: so.Mapped[int]
    written_off: so.Mapped[int]
    sold_seconds: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    sold_counted: so.Mapped[int]
