"""Branches (Filialen, issue 19): several shops in one system.

The existing single shop becomes the first branch, named and addressed from the store's settings
(STORE_NAME, STORE_ADDRESS); every till, printer, station and item and every user is assigned to it,
so nothing is lost and a single-shop store works as before. Stock movements get the branch they were
booked at (transfers book one at each side); older movements stay without one (they are the first
branch's: the ledger is append-only, so they are not rewritten).

Revision ID: b7a1c4e9d2f3
Revises: 5c0a1e7f3b2d
Create Date: 2026-12-03 09:50:00
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context

import store.core.types

revision = "b7a1c4e9d2f3"
down_revision = "5c0a1e7f3b2d"
branch_labels = None
depends_on = None

OWNED = ("till", "printer", "station", "item")


def _store_config() -> tuple[str, str]:
    cfg = current_app.config if has_app_context() else {}
    return (cfg.get("STORE_NAME") or "Kaufhaus")[:80], (cfg.get("STORE_ADDRESS") or "")[:200]


def upgrade():
    branch = op.create_table(
        "branch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("address", sa.String(length=200), server_default="", nullable=False),
        sa.Column("tax_number", sa.String(length=40), server_default="", nullable=False),
        sa.Column("vat_id", sa.String(length=20), server_default="", nullable=False),
        sa.Column("country", sa.String(length=3), server_default="DEU", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_branch")),
        sa.UniqueConstraint("name", name=op.f("uq_branch_name")),
    )
    op.create_table(
        "user_branch",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branch.id"],
            name=op.f("fk_user_branch_branch_id_branch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_user_branch_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "branch_id", name=op.f("pk_user_branch")),
    )
    conn = op.get_bind()
    name, address = _store_config()
    conn.execute(
        branch.insert().values(
            name=name,
            address=address,
            tax_number="",
            vat_id="",
            country="DEU",
            is_active=True,
            created_at=datetime.now(UTC),
        )
    )
    first = conn.execute(sa.text("SELECT min(id) FROM branch")).scalar()
    for table in OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("branch_id", sa.Integer(), nullable=True))
        conn.execute(sa.text(f"UPDATE {table} SET branch_id = :b"), {"b": first})  # noqa: S608 - fixed names
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("branch_id", existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_branch_id"), ["branch_id"], unique=False)
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_branch_id_branch"), "branch", ["branch_id"], ["id"]
            )
    conn.execute(
        sa.text('INSERT INTO user_branch (user_id, branch_id) SELECT id, :b FROM "user"'), {"b": first}
    )
    # The ledger is append-only: a plain ADD COLUMN (no table copy, the triggers stay).
    op.add_column("stock_movement", sa.Column("branch_id", sa.Integer(), nullable=True))


def downgrade():
    op.drop_column("stock_movement", "branch_id")
    for table in reversed(OWNED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_branch_id_branch"), type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{table}_branch_id"))
            batch_op.drop_column("branch_id")
    op.drop_table("user_branch")
    op.drop_table("branch")
