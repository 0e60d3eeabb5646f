"""Hardening (issue 15): API tokens get an expiry, a scope and a last-used time; sales a
server-made e-receipt token (backfilled); partner secrets are encrypted at rest.

Existing tokens expire API_TOKEN_DAYS after this upgrade (they had no expiry) and keep full access.

Revision ID: e15a0b1c2d3e
Revises: d9e3f4a5b6c7
Create Date: 2026-12-03 01:00:00
"""

import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op
from flask import current_app

import store.core.types
from store.core import crypto
from store.core.immutable import drop_append_only, make_append_only

revision = "e15a0b1c2d3e"
down_revision = "d9e3f4a5b6c7"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("expires_at", store.core.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("scope", sa.String(length=8), server_default="write", nullable=False)
        )
        batch_op.add_column(
            sa.Column("last_used_at", store.core.types.UTCDateTime(timezone=True), nullable=True)
        )
    days = current_app.config.get("API_TOKEN_DAYS", 365)
    expires = datetime.now(UTC) + timedelta(days=days)
    token = sa.table(
        "api_token", sa.column("id"), sa.column("expires_at", store.core.types.UTCDateTime())
    )
    bind.execute(token.update().where(token.c.expires_at.is_(None)).values(expires_at=expires))

    # The sale table is append-only: its triggers stand aside for the backfill of the new column
    # (a link token, no booking value) and are made again after.
    drop_append_only(op, "sale")
    with op.batch_alter_table("sale", schema=None) as batch_op:
        batch_op.add_column(sa.Column("receipt_token", sa.String(length=43), nullable=True))
    sale = sa.table("sale", sa.column("id"), sa.column("receipt_token"))
    for (sale_id,) in bind.execute(sa.select(sale.c.id).where(sale.c.receipt_token.is_(None))).all():
        bind.execute(
            sale.update().where(sale.c.id == sale_id).values(receipt_token=secrets.token_urlsafe(24))
        )
    with op.batch_alter_table("sale", schema=None) as batch_op:
        batch_op.alter_column("receipt_token", existing_type=sa.String(length=43), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_sale_receipt_token"), ["receipt_token"])
    make_append_only(op, "sale")

    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.alter_column("secret", existing_type=sa.String(length=200), type_=sa.String(length=500))
    partner = sa.table("partner", sa.column("id"), sa.column("secret"))
    for partner_id, secret in bind.execute(sa.select(partner.c.id, partner.c.secret)).all():
        if secret and not secret.startswith(crypto.PREFIX):
            bind.execute(
                partner.update().where(partner.c.id == partner_id).values(secret=crypto.encrypt(secret))
            )


def downgrade():
    bind = op.get_bind()
    partner = sa.table("partner", sa.column("id"), sa.column("secret"))
    for partner_id, secret in bind.execute(sa.select(partner.c.id, partner.c.secret)).all():
        if secret:
            bind.execute(
                partner.update().where(partner.c.id == partner_id).values(secret=crypto.decrypt(secret))
            )
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.alter_column("secret", existing_type=sa.String(length=500), type_=sa.String(length=200))

    drop_append_only(op, "sale")
    with op.batch_alter_table("sale", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_sale_receipt_token"), type_="unique")
        batch_op.drop_column("receipt_token")
    make_append_only(op, "sale")

    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("last_used_at")
        batch_op.drop_column("scope")
        batch_op.drop_column("expires_at")
