"""Reports: versioned environmental factors per category (append-only), the day store (the figures of
each closed day, derived from the bookings) and covering indexes for the reports' grouped queries.

Revision ID: e1a2b3c4d5e6
Revises: e4b8c2d1a9f7
Create Date: 2026-12-03 01:00:00
"""

import sqlalchemy as sa
from alembic import op

import store.core.types
from store.core.immutable import drop_append_only, make_append_only

revision = "e1a2b3c4d5e6"
down_revision = "e4b8c2d1a9f7"
branch_labels = None
depends_on = None

# Covering indexes for the dashboard's grouped queries (declared in store/reports/models.py).
INDEXES = [
    (
        "ix_sale_report",
        "sale",
        ["created_at", "training", "id", "till_id", "kind", "eligibility", "total_cents"],
    ),
    (
        "ix_sale_line_report",
        "sale_line",
        ["sale_id", "vat_rate_bp", "category_id", "quantity", "total_cents"],
    ),
    ("ix_payment_report", "payment", ["sale_id", "method", "amount_cents"]),
    ("ix_item_report", "item", ["taken_in_at", "category_id"]),
    ("ix_item_status_taken_in", "item", ["status", "taken_in_at"]),
    ("ix_stock_movement_report", "stock_movement", ["at", "kind", "item_id", "quantity"]),
]


def upgrade():
    op.create_table(
        "category_impact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("grams_per_item", sa.Integer(), nullable=False),
        sa.Column("co2e_g_per_kg", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("set_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_category_impact_category_id_category")
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["user.id"], name=op.f("fk_category_impact_set_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category_impact")),
    )
    with op.batch_alter_table("category_impact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_category_impact_category_id"), ["category_id"], unique=False
        )
    make_append_only(op, "category_impact")
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    day_store()


def day_store():
    op.create_table(
        "report_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("stored_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_report_day")),
    )
    op.create_table(
        "report_sales_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("till_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("vat_rate_bp", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("category_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("gross_cents", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "till_id", "vat_rate_bp", "category_id", name=op.f("pk_report_sales_day")
        ),
    )
    op.create_table(
        "report_receipts_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("eligibility", sa.Boolean(), nullable=False),
        sa.Column("receipts", sa.Integer(), nullable=False),
        sa.Column("gross_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "kind", "eligibility", name=op.f("pk_report_receipts_day")),
    )
    op.create_table(
        "report_payments_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "method", name=op.f("pk_report_payments_day")),
    )
    op.create_table(
        "report_goods_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("taken_in", sa.Integer(), nullable=False),
        sa.Column("sold", sa.Integer(), nullable=False),
        sa.Column("written_off", sa.Integer(), nullable=False),
        sa.Column("sold_seconds", sa.BigInteger(), nullable=False),
        sa.Column("sold_counted", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "category_id", name=op.f("pk_report_goods_day")),
    )


def downgrade():
    for table in ("report_goods_day", "report_payments_day", "report_receipts_day", "report_sales_day"):
        op.drop_table(table)
    op.drop_table("report_day")
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
    drop_append_only(op, "category_impact")
    with op.batch_alter_table("category_impact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_category_impact_category_id"))
    op.drop_table("category_impact")
