"""A branch's own label printer: where its intake's labels print when no till's label printer is at
hand. Existing branches have none (the store's label printer serves them, as before).

Revision ID: c8e2a6f4b1d9
Revises: b5d2f8a3c6e1
Create Date: 2026-12-03 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c8e2a6f4b1d9"
down_revision = "b5d2f8a3c6e1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("branch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("label_printer_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_branch_label_printer_id_printer"), "printer", ["label_printer_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("branch", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_branch_label_printer_id_printer"), type_="foreignkey")
        batch_op.drop_column("label_printer_id")
