"""goods, stock ledger, settings

Revision ID: 4608537c2c11
Revises: a7d3e91f2c10
Create Date: 2026-11-25 08:24:39.186189
"""

import sqlalchemy as sa
from alembic import op

import store.core.types
from store.core.immutable import drop_append_only, make_append_only

revision = "4608537c2c11"
down_revision = "a7d3e91f2c10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("vat_rate_bp", sa.Integer(), nullable=False),
        sa.Column("price_min_cents", sa.Integer(), nullable=True),
        sa.Column("price_max_cents", sa.Integer(), nullable=True),
        sa.Column("markdown_steps", sa.JSON(), nullable=False),
        sa.Column("requires_safety_test", sa.Boolean(), nullable=False),
        sa.Column("has_clothing_fields", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["category.id"], name=op.f("fk_category_parent_id_category")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category")),
    )
    with op.batch_alter_table("category", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_category_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("track_stock", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_article_category_id_category")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article")),
    )
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_category_id"), ["category_id"], unique=False)

    op.create_table(
        "item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=13), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=120), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column(
            "condition",
            sa.Enum("new", "like_new", "good", "used", name="condition", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("size", sa.String(length=20), nullable=True),
        sa.Column("colour", sa.String(length=30), nullable=True),
        sa.Column("brand", sa.String(length=40), nullable=True),
        sa.Column("location", sa.String(length=40), nullable=True),
        sa.Column("photo", sa.String(length=80), nullable=True),
        sa.Column("donor_name", sa.String(length=120), nullable=True),
        sa.Column("donor_erase_on", sa.Date(), nullable=True),
        sa.Column("taken_in_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("taken_in_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("in_stock", "sold", "written_off", name="itemstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_item_category_id_category")
        ),
        sa.ForeignKeyConstraint(
            ["taken_in_by_id"], ["user.id"], name=op.f("fk_item_taken_in_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item")),
        sa.UniqueConstraint("code", name=op.f("uq_item_code")),
    )
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_category_id"), ["category_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_item_location"), ["location"], unique=False)
        batch_op.create_index(batch_op.f("ix_item_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_item_taken_in_at"), ["taken_in_at"], unique=False)

    op.create_table(
        "stocktake",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=40), nullable=False),
        sa.Column("started_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("finished_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["user.id"], name=op.f("fk_stocktake_started_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stocktake")),
    )
    op.create_table(
        "safety_test",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("tested_on", sa.Date(), nullable=False),
        sa.Column("tester", sa.String(length=80), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("values", sa.String(length=500), nullable=True),
        sa.Column("recorded_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_safety_test_item_id_item")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_safety_test_recorded_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_test")),
    )
    with op.batch_alter_table("safety_test", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_safety_test_item_id"), ["item_id"], unique=False)

    op.create_table(
        "stock_movement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "intake",
                "sale",
                "return",
                "write_off",
                "correction",
                "price",
                "stock_in",
                name="movementkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=True),
        sa.Column(
            "reason",
            sa.Enum(
                "damaged",
                "disposed",
                "charity",
                "missing",
                "safety_failed",
                "other",
                name="writeoffreason",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("till_id", sa.Integer(), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("ref_type", sa.String(length=32), nullable=True),
        sa.Column("ref_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "(item_id IS NULL) <> (article_id IS NULL)", name=op.f("ck_stock_movement_item_or_article")
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_stock_movement_article_id_article")
        ),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_stock_movement_item_id_item")),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["stock_movement.id"],
            name=op.f("fk_stock_movement_reverses_id_stock_movement"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_stock_movement_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movement")),
    )
    with op.batch_alter_table("stock_movement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_movement_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stock_movement_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_stock_movement_item_id"), ["item_id"], unique=False)

    op.create_table(
        "stocktake_scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stocktake_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_stocktake_scan_item_id_item")),
        sa.ForeignKeyConstraint(
            ["stocktake_id"], ["stocktake.id"], name=op.f("fk_stocktake_scan_stocktake_id_stocktake")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stocktake_scan")),
        sa.UniqueConstraint(
            "stocktake_id", "item_id", name=op.f("uq_stocktake_scan_stocktake_id_item_id")
        ),
    )
    with op.batch_alter_table("stocktake_scan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stocktake_scan_stocktake_id"), ["stocktake_id"], unique=False
        )

    make_append_only(op, "stock_movement")
    make_append_only(op, "safety_test")


def downgrade():
    drop_append_only(op, "safety_test")
    drop_append_only(op, "stock_movement")
    with op.batch_alter_table("stocktake_scan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stocktake_scan_stocktake_id"))

    op.drop_table("stocktake_scan")
    with op.batch_alter_table("stock_movement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_movement_item_id"))
        batch_op.drop_index(batch_op.f("ix_stock_movement_at"))
        batch_op.drop_index(batch_op.f("ix_stock_movement_article_id"))

    op.drop_table("stock_movement")
    with op.batch_alter_table("safety_test", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_test_item_id"))

    op.drop_table("safety_test")
    op.drop_table("stocktake")
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_taken_in_at"))
        batch_op.drop_index(batch_op.f("ix_item_status"))
        batch_op.drop_index(batch_op.f("ix_item_location"))
        batch_op.drop_index(batch_op.f("ix_item_category_id"))

    op.drop_table("item")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_category_id"))

    op.drop_table("article")
    op.drop_table("setting")
    with op.batch_alter_table("category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_category_parent_id"))

    op.drop_table("category")
