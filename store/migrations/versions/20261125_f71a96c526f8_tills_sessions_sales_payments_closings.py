"""tills, sessions, sales, payments, closings

Revision ID: f71a96c526f8
Revises: 4608537c2c11
Create Date: 2026-11-25 08:36:50.186581
"""

import sqlalchemy as sa
from alembic import op

import store.core.types
from store.core.immutable import drop_append_only, make_append_only

revision = "f71a96c526f8"
down_revision = "4608537c2c11"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "till",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("location", sa.String(length=80), nullable=False),
        sa.Column("serial", sa.String(length=40), nullable=False),
        sa.Column("receipt_printer_id", sa.Integer(), nullable=True),
        sa.Column("label_printer_id", sa.Integer(), nullable=True),
        sa.Column("has_drawer", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("current_session_id", sa.Integer(), nullable=True),
        sa.Column("last_receipt_number", sa.Integer(), nullable=False),
        sa.Column("last_closing_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["label_printer_id"], ["printer.id"], name=op.f("fk_till_label_printer_id_printer")
        ),
        sa.ForeignKeyConstraint(
            ["receipt_printer_id"], ["printer.id"], name=op.f("fk_till_receipt_printer_id_printer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_till")),
        sa.UniqueConstraint("name", name=op.f("uq_till_name")),
        sa.UniqueConstraint("serial", name=op.f("uq_till_serial")),
    )
    op.create_table(
        "till_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("till_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("float_cents", sa.Integer(), nullable=False),
        sa.Column("float_counts", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["user.id"], name=op.f("fk_till_session_opened_by_id_user")
        ),
        sa.ForeignKeyConstraint(["till_id"], ["till.id"], name=op.f("fk_till_session_till_id_till")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_till_session")),
    )
    with op.batch_alter_table("till_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_till_session_till_id"), ["till_id"], unique=False)

    # The till points at its open session, which points at the till: add this one afterwards.
    with op.batch_alter_table("till", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_till_current_session_id_till_session"),
            "till_session",
            ["current_session_id"],
            ["id"],
            use_alter=True,
        )

    op.create_table(
        "cart",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("till_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("started_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cashier_id", sa.Integer(), nullable=True),
        sa.Column("eligibility", sa.Boolean(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["cashier_id"], ["user.id"], name=op.f("fk_cart_cashier_id_user")),
        sa.ForeignKeyConstraint(
            ["session_id"], ["till_session.id"], name=op.f("fk_cart_session_id_till_session")
        ),
        sa.ForeignKeyConstraint(["till_id"], ["till.id"], name=op.f("fk_cart_till_id_till")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cart")),
        sa.UniqueConstraint("uuid", name=op.f("uq_cart_uuid")),
    )
    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cart_is_open"), ["is_open"], unique=False)
        batch_op.create_index(batch_op.f("ix_cart_till_id"), ["till_id"], unique=False)

    op.create_table(
        "cash_movement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "float",
                "deposit",
                "withdrawal",
                "difference",
                name="cashkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"], ["till_session.id"], name=op.f("fk_cash_movement_session_id_till_session")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_cash_movement_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_movement")),
    )
    with op.batch_alter_table("cash_movement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cash_movement_session_id"), ["session_id"], unique=False)

    op.create_table(
        "closing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("till_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("closed_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("expected_cents", sa.Integer(), nullable=False),
        sa.Column("counted_cents", sa.Integer(), nullable=False),
        sa.Column("counted", sa.JSON(), nullable=True),
        sa.Column("difference_cents", sa.Integer(), nullable=False),
        sa.Column("difference_reason", sa.String(length=200), nullable=True),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["user.id"], name=op.f("fk_closing_closed_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["till_session.id"], name=op.f("fk_closing_session_id_till_session")
        ),
        sa.ForeignKeyConstraint(["till_id"], ["till.id"], name=op.f("fk_closing_till_id_till")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closing")),
        sa.UniqueConstraint("session_id", name=op.f("uq_closing_session_id")),
        sa.UniqueConstraint("till_id", "number", name=op.f("uq_closing_till_id_number")),
    )
    with op.batch_alter_table("closing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_closing_till_id"), ["till_id"], unique=False)

    op.create_table(
        "sale",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("sale", "void", "return", name="salekind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("till_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("receipt_number", sa.Integer(), nullable=False),
        sa.Column("started_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cashier_id", sa.Integer(), nullable=True),
        sa.Column("cashier_label", sa.String(length=40), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("eligibility", sa.Boolean(), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["cashier_id"], ["user.id"], name=op.f("fk_sale_cashier_id_user")),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["user.id"], name=op.f("fk_sale_confirmed_by_id_user")
        ),
        sa.ForeignKeyConstraint(["reverses_id"], ["sale.id"], name=op.f("fk_sale_reverses_id_sale")),
        sa.ForeignKeyConstraint(
            ["session_id"], ["till_session.id"], name=op.f("fk_sale_session_id_till_session")
        ),
        sa.ForeignKeyConstraint(["till_id"], ["till.id"], name=op.f("fk_sale_till_id_till")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sale")),
        sa.UniqueConstraint("till_id", "receipt_number", name=op.f("uq_sale_till_id_receipt_number")),
        sa.UniqueConstraint("uuid", name=op.f("uq_sale_uuid")),
    )
    with op.batch_alter_table("sale", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sale_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sale_reverses_id"), ["reverses_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sale_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sale_till_id"), ["till_id"], unique=False)
        batch_op.create_index(
            "uq_sale_void_of",
            ["reverses_id"],
            unique=True,
            sqlite_where=sa.text("kind = 'void'"),
            postgresql_where=sa.text("kind = 'void'"),
        )

    op.create_table(
        "cart_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cart_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("discount_percent", sa.Integer(), nullable=False),
        sa.Column("discount_reason", sa.String(length=120), nullable=True),
        sa.Column("discount_confirmed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_cart_line_article_id_article")
        ),
        sa.ForeignKeyConstraint(["cart_id"], ["cart.id"], name=op.f("fk_cart_line_cart_id_cart")),
        sa.ForeignKeyConstraint(
            ["discount_confirmed_by_id"],
            ["user.id"],
            name=op.f("fk_cart_line_discount_confirmed_by_id_user"),
        ),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_cart_line_item_id_item")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cart_line")),
    )
    with op.batch_alter_table("cart_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cart_line_cart_id"), ["cart_id"], unique=False)

    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column(
            "method",
            sa.Enum("cash", "card", "voucher", name="paymentmethod", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("tendered_cents", sa.Integer(), nullable=True),
        sa.Column("change_cents", sa.Integer(), nullable=False),
        sa.Column("voucher_number", sa.String(length=40), nullable=True),
        sa.Column("voucher_issuer", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["sale_id"], ["sale.id"], name=op.f("fk_payment_sale_id_sale")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_sale_id"), ["sale_id"], unique=False)

    op.create_table(
        "sale_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=13), nullable=True),
        sa.Column("description", sa.String(length=120), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("label_price_cents", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("markdown_percent", sa.Integer(), nullable=False),
        sa.Column("discount_percent", sa.Integer(), nullable=False),
        sa.Column("discount_cents", sa.Integer(), nullable=False),
        sa.Column("discount_reason", sa.String(length=120), nullable=True),
        sa.Column("eligibility_discount_cents", sa.Integer(), nullable=False),
        sa.Column("discount_confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("vat_rate_bp", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("reverses_line_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_sale_line_article_id_article")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_sale_line_category_id_category")
        ),
        sa.ForeignKeyConstraint(
            ["discount_confirmed_by_id"],
            ["user.id"],
            name=op.f("fk_sale_line_discount_confirmed_by_id_user"),
        ),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_sale_line_item_id_item")),
        sa.ForeignKeyConstraint(
            ["reverses_line_id"], ["sale_line.id"], name=op.f("fk_sale_line_reverses_line_id_sale_line")
        ),
        sa.ForeignKeyConstraint(["sale_id"], ["sale.id"], name=op.f("fk_sale_line_sale_id_sale")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sale_line")),
    )
    with op.batch_alter_table("sale_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sale_line_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sale_line_sale_id"), ["sale_id"], unique=False)

    make_append_only(op, "till_session")
    make_append_only(op, "cash_movement")
    make_append_only(op, "sale")
    make_append_only(op, "sale_line")
    make_append_only(op, "payment")
    make_append_only(op, "closing")


def downgrade():
    drop_append_only(op, "till_session")
    drop_append_only(op, "cash_movement")
    drop_append_only(op, "sale")
    drop_append_only(op, "sale_line")
    drop_append_only(op, "payment")
    drop_append_only(op, "closing")
    with op.batch_alter_table("till", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_till_current_session_id_till_session"), type_="foreignkey"
        )
    with op.batch_alter_table("sale_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sale_line_sale_id"))
        batch_op.drop_index(batch_op.f("ix_sale_line_item_id"))

    op.drop_table("sale_line")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_sale_id"))

    op.drop_table("payment")
    with op.batch_alter_table("cart_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cart_line_cart_id"))

    op.drop_table("cart_line")
    with op.batch_alter_table("sale", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_sale_void_of",
            sqlite_where=sa.text("kind = 'void'"),
            postgresql_where=sa.text("kind = 'void'"),
        )
        batch_op.drop_index(batch_op.f("ix_sale_till_id"))
        batch_op.drop_index(batch_op.f("ix_sale_session_id"))
        batch_op.drop_index(batch_op.f("ix_sale_reverses_id"))
        batch_op.drop_index(batch_op.f("ix_sale_created_at"))

    op.drop_table("sale")
    with op.batch_alter_table("closing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_closing_till_id"))

    op.drop_table("closing")
    with op.batch_alter_table("cash_movement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cash_movement_session_id"))

    op.drop_table("cash_movement")
    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cart_till_id"))
        batch_op.drop_index(batch_op.f("ix_cart_is_open"))

    op.drop_table("cart")
    with op.batch_alter_table("till_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_till_session_till_id"))

    op.drop_table("till_session")
    op.drop_table("till")
