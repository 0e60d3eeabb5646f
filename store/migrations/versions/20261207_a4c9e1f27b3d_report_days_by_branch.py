"""The reports' day store keyed by branch: receipts, payments and goods of a closed day per branch,
so that a report of one branch reads only its own rows.

The day store is derived data (store/reports/models.py): its tables can be emptied at any time and
the next report (or the worker's daily fill) computes the closed days again from the bookings. So this
migration empties the whole day store (report_day and report_sales_day too, so that every stored day
is computed afresh with the same key) and recreates report_receipts_day, report_payments_day and
report_goods_day with `branch_id` in their primary key. Nothing else is touched; no booking is lost.

Revision ID: a4c9e1f27b3d
Revises: 4e6b9d0c2a17
Create Date: 2026-12-03 13:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a4c9e1f27b3d"
down_revision = "4e6b9d0c2a17"
branch_labels = None
depends_on = None

TABLES = ("report_goods_day", "report_payments_day", "report_receipts_day")


def _create(by_branch: bool) -> None:
    key = ["branch_id"] if by_branch else []

    def extra() -> list[sa.Column]:
        return (
            [sa.Column("branch_id", sa.Integer(), autoincrement=False, nullable=False)]
            if by_branch
            else []
        )

    op.create_table(
        "report_receipts_day",
        sa.Column("day", sa.Date(), nullable=False),
        *extra(),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("eligibility", sa.Boolean(), nullable=False),
        sa.Column("receipts", sa.Integer(), nullable=False),
        sa.Column("gross_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", *key, "kind", "eligibility", name=op.f("pk_report_receipts_day")),
    )
    op.create_table(
        "report_payments_day",
        sa.Column("day", sa.Date(), nullable=False),
        *extra(),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", *key, "method", name=op.f("pk_report_payments_day")),
    )
    op.create_table(
        "report_goods_day",
        sa.Column("day", sa.Date(), nullable=False),
        *extra(),
        sa.Column("category_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("taken_in", sa.Integer(), nullable=False),
        sa.Column("sold", sa.Integer(), nullable=False),
        sa.Column("written_off", sa.Integer(), nullable=False),
        sa.Column("sold_seconds", sa.BigInteger(), nullable=False),
        sa.Column("sold_counted", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", *key, "category_id", name=op.f("pk_report_goods_day")),
    )


def _recreate(by_branch: bool) -> None:
    # derived data: emptied, filled again from the bookings by the next report
    op.execute(sa.text("DELETE FROM report_sales_day"))
    op.execute(sa.text("DELETE FROM report_day"))
    for table in TABLES:
        op.drop_table(table)
    _create(by_branch)


def upgrade():
    _recreate(True)


def downgrade():
    _recreate(False)
