"""printers and the print queue

Revision ID: a7d3e91f2c10
Revises: cb0cf40e430a
Create Date: 2026-11-25 08:18:24.361140
"""

import sqlalchemy as sa
from alembic import op

import store.core.types

revision = "a7d3e91f2c10"
down_revision = "cb0cf40e430a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "printer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("backend", sa.String(length=16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("codepage", sa.String(length=16), nullable=False),
        sa.Column("columns", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_printer")),
        sa.UniqueConstraint("name", name=op.f("uq_printer_name")),
    )
    op.create_table(
        "print_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("printer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "printing", "done", "failed", name="jobstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("next_attempt_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("printed_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ref_type", sa.String(length=32), nullable=True),
        sa.Column("ref_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_print_job_created_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["printer_id"], ["printer.id"], name=op.f("fk_print_job_printer_id_printer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_job")),
    )
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_print_job_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_print_job_printer_id"), ["printer_id"], unique=False)
        batch_op.create_index("ix_print_job_ref", ["ref_type", "ref_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_print_job_status"), ["status"], unique=False)

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_print_job_status"))
        batch_op.drop_index("ix_print_job_ref")
        batch_op.drop_index(batch_op.f("ix_print_job_printer_id"))
        batch_op.drop_index(batch_op.f("ix_print_job_created_at"))

    op.drop_table("print_job")
    op.drop_table("printer")
