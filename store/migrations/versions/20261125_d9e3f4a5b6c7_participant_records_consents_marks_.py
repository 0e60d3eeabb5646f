"""Network: participant records, consents, marks (append-only), partners, the outbox; the
erasure window that lets the retention run clear participants' free text in bookings.

Revision ID: d9e3f4a5b6c7
Revises: c8d2e3f4a5b6
Create Date: 2026-11-25 10:51:26.074169
"""

import sqlalchemy as sa
from alembic import op

import store.core.types
from store.core.immutable import (
    ERASABLE,
    drop_append_only,
    drop_erasure_function,
    make_append_only,
    make_erasable,
    make_strict,
)

revision = "d9e3f4a5b6c7"
down_revision = "c8d2e3f4a5b6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "erasure_window",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opened_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_window")),
    )
    op.create_table(
        "partner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "jobcenter",
                "municipality",
                "youth_workshop",
                "youth_services",
                "school",
                "employer",
                "university",
                "other",
                name="partnerkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("url", sa.String(length=300), nullable=True),
        sa.Column("secret", sa.String(length=200), nullable=True),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner")),
        sa.UniqueConstraint("name", name=op.f("uq_partner_name")),
    )
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column(
            "basis",
            sa.Enum("consent", "law", name="consentbasis", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["user.id"], name=op.f("fk_consent_participant_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partner.id"], name=op.f("fk_consent_partner_id_partner")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_consent_recorded_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"], ["user.id"], name=op.f("fk_consent_withdrawn_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "outbox_event",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("created_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=True),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("released_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["user.id"], name=op.f("fk_outbox_event_participant_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_event")),
    )
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_event_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_event_released_at"), ["released_at"], unique=False)

    op.create_table(
        "participant_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("referring_partner_id", sa.Integer(), nullable=True),
        sa.Column("referrer_contact", sa.String(length=120), nullable=True),
        sa.Column("customer_number", sa.String(length=40), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column(
            "gender",
            sa.Enum("female", "male", "non_binary", name="gender", native_enum=False, length=16),
            nullable=True,
        ),
        sa.Column(
            "employment_status",
            sa.Enum(
                "unemployed",
                "long_term_unemployed",
                "inactive",
                "employed",
                name="employmentstatus",
                native_enum=False,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column(
            "education",
            sa.Enum(
                "isced_0_2", "isced_3_4", "isced_5_8", name="education", native_enum=False, length=16
            ),
            nullable=True,
        ),
        sa.Column("entry_completed_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("entry_age_band", sa.String(length=12), nullable=True),
        sa.Column("disability", sa.Boolean(), nullable=True),
        sa.Column("minority", sa.Boolean(), nullable=True),
        sa.Column("exit_on", sa.Date(), nullable=True),
        sa.Column(
            "exit_reason",
            sa.Enum(
                "job",
                "apprenticeship",
                "further_measure",
                "education",
                "measure_ended",
                "dropout",
                "health",
                "moved",
                "other",
                name="exitreason",
                native_enum=False,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("exit_job_seeking", sa.Boolean(), nullable=True),
        sa.Column("exit_in_education", sa.Boolean(), nullable=True),
        sa.Column("exit_qualification", sa.Boolean(), nullable=True),
        sa.Column("exit_employed", sa.Boolean(), nullable=True),
        sa.Column("created_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("anonymised_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["referring_partner_id"],
            ["partner.id"],
            name=op.f("fk_participant_record_referring_partner_id_partner"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_participant_record_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_record")),
        sa.UniqueConstraint("user_id", name=op.f("uq_participant_record_user_id")),
    )
    op.create_table(
        "record_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("shown", "reported", name="markkind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("how", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["user.id"], name=op.f("fk_record_mark_by_id_user")),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["user.id"], name=op.f("fk_record_mark_participant_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_mark")),
        sa.UniqueConstraint(
            "kind", "object_type", "object_id", name=op.f("uq_record_mark_kind_object_type_object_id")
        ),
    )
    with op.batch_alter_table("record_mark", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_mark_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "outbox_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "delivered",
                "failed",
                "cancelled",
                name="deliverystatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("delivered_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["outbox_event.id"], name=op.f("fk_outbox_delivery_event_id_outbox_event")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partner.id"], name=op.f("fk_outbox_delivery_partner_id_partner")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_delivery")),
        sa.UniqueConstraint(
            "event_id", "partner_id", name=op.f("uq_outbox_delivery_event_id_partner_id")
        ),
    )
    with op.batch_alter_table("outbox_delivery", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_delivery_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_delivery_partner_id"), ["partner_id"], unique=False)

    make_append_only(op, "record_mark")
    for table in ERASABLE:
        make_erasable(op, table)


def downgrade():
    for table in ERASABLE:
        make_strict(op, table)
    drop_erasure_function(op)
    drop_append_only(op, "record_mark")
    with op.batch_alter_table("outbox_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_delivery_partner_id"))
        batch_op.drop_index("ix_outbox_delivery_due")

    op.drop_table("outbox_delivery")
    with op.batch_alter_table("record_mark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_mark_participant_id"))

    op.drop_table("record_mark")
    op.drop_table("participant_record")
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_event_released_at"))
        batch_op.drop_index(batch_op.f("ix_outbox_event_participant_id"))

    op.drop_table("outbox_event")
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_participant_id"))

    op.drop_table("consent")
    op.drop_table("partner")
    op.drop_table("erasure_window")
