"""shifts: stations, agreements, templates, planned shifts, clock events, attendance, month closings, calendar links

Revision ID: b7c1d2e3f4a5
Revises: 96ac1e2fa733
Create Date: 2026-11-25 09:20:21.416076
"""

import sqlalchemy as sa
from alembic import op

import store.core.types
from store.core.immutable import drop_append_only, make_append_only

revision = "b7c1d2e3f4a5"
down_revision = "96ac1e2fa733"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "station",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("staffed_weekdays", sa.JSON(), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station")),
        sa.UniqueConstraint("name", name=op.f("uq_station_name")),
    )
    op.create_table(
        "agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "measure",
            sa.Enum(
                "agh",
                "tam",
                "internship",
                "apprenticeship",
                "volunteer",
                name="measure",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("weekly_minutes", sa.Integer(), nullable=False),
        sa.Column("workdays", sa.JSON(), nullable=False),
        sa.Column("hourly_allowance_cents", sa.Integer(), nullable=True),
        sa.Column("max_months", sa.Integer(), nullable=True),
        sa.Column("updated_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_agreement_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement")),
    )
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_user_id"), ["user_id"], unique=False)

    op.create_table(
        "attendance_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "code",
            sa.Enum(
                "present",
                "sick_certificate",
                "sick_no_certificate",
                "child_sick",
                "excused",
                "unexcused",
                "leave",
                "public_holiday",
                "external_measure",
                name="attendancecode",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("break_minutes", sa.Integer(), nullable=False),
        sa.Column("late_minutes", sa.Integer(), nullable=False),
        sa.Column("early_leave_minutes", sa.Integer(), nullable=False),
        sa.Column("certificate_until", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("reported_in", sa.String(length=7), nullable=True),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["user.id"], name=op.f("fk_attendance_entry_confirmed_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["attendance_entry.id"],
            name=op.f("fk_attendance_entry_replaces_id_attendance_entry"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_attendance_entry_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_entry")),
        sa.UniqueConstraint("replaces_id", name=op.f("uq_attendance_entry_replaces_id")),
    )
    with op.batch_alter_table("attendance_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_entry_reported_in"), ["reported_in"], unique=False
        )
        batch_op.create_index("ix_attendance_entry_user_day", ["user_id", "day"], unique=False)
        batch_op.create_index(
            "uq_attendance_entry_first",
            ["user_id", "day"],
            unique=True,
            sqlite_where=sa.text("replaces_id IS NULL"),
            postgresql_where=sa.text("replaces_id IS NULL"),
        )

    op.create_table(
        "calendar_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_calendar_token_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_token_token_hash")),
    )
    with op.batch_alter_table("calendar_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "month_closing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["user.id"], name=op.f("fk_month_closing_closed_by_id_user")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_month_closing_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_month_closing")),
        sa.UniqueConstraint("month", "user_id", name=op.f("uq_month_closing_month_user_id")),
    )
    with op.batch_alter_table("month_closing", schema=None) as batch_op:
        batch_op.create_index(
            "uq_month_closing_all",
            ["month"],
            unique=True,
            sqlite_where=sa.text("user_id IS NULL"),
            postgresql_where=sa.text("user_id IS NULL"),
        )

    op.create_table(
        "shift_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_shift_template_station_id_station")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_template")),
    )
    with op.batch_alter_table("shift_template", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shift_template_station_id"), ["station_id"], unique=False)

    op.create_table(
        "clock_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("in", "out", "void", name="clockkind", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("till_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_clock_event_recorded_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"], ["clock_event.id"], name=op.f("fk_clock_event_replaces_id_clock_event")
        ),
        sa.ForeignKeyConstraint(["till_id"], ["till.id"], name=op.f("fk_clock_event_till_id_till")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_clock_event_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock_event")),
        sa.UniqueConstraint("replaces_id", name=op.f("uq_clock_event_replaces_id")),
        sa.UniqueConstraint("user_id", "seq", name=op.f("uq_clock_event_user_id_seq")),
    )
    with op.batch_alter_table("clock_event", schema=None) as batch_op:
        batch_op.create_index("ix_clock_event_user_at", ["user_id", "at"], unique=False)

    op.create_table(
        "shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum("planned", "cancelled", name="shiftstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_shift_station_id_station")
        ),
        sa.ForeignKeyConstraint(
            ["template_id"], ["shift_template.id"], name=op.f("fk_shift_template_id_shift_template")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_shift_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift")),
    )
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shift_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_shift_station_id"), ["station_id"], unique=False)
        batch_op.create_index("ix_shift_user_day", ["user_id", "day"], unique=False)

    op.create_table(
        "shift_template_member",
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["shift_template.id"],
            name=op.f("fk_shift_template_member_template_id_shift_template"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_shift_template_member_user_id_user")
        ),
        sa.PrimaryKeyConstraint("template_id", "user_id", name=op.f("pk_shift_template_member")),
    )
    # Bookings: corrections are counter-entries, so the database refuses UPDATE and DELETE.
    make_append_only(op, "clock_event")
    make_append_only(op, "attendance_entry")
    make_append_only(op, "month_closing")


def downgrade():
    drop_append_only(op, "month_closing")
    drop_append_only(op, "attendance_entry")
    drop_append_only(op, "clock_event")
    op.drop_table("shift_template_member")
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.drop_index("ix_shift_user_day")
        batch_op.drop_index(batch_op.f("ix_shift_station_id"))
        batch_op.drop_index(batch_op.f("ix_shift_day"))

    op.drop_table("shift")
    with op.batch_alter_table("clock_event", schema=None) as batch_op:
        batch_op.drop_index("ix_clock_event_user_at")

    op.drop_table("clock_event")
    with op.batch_alter_table("shift_template", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shift_template_station_id"))

    op.drop_table("shift_template")
    with op.batch_alter_table("month_closing", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_month_closing_all",
            sqlite_where=sa.text("user_id IS NULL"),
            postgresql_where=sa.text("user_id IS NULL"),
        )

    op.drop_table("month_closing")
    with op.batch_alter_table("calendar_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_token_user_id"))

    op.drop_table("calendar_token")
    with op.batch_alter_table("attendance_entry", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_attendance_entry_first",
            sqlite_where=sa.text("replaces_id IS NULL"),
            postgresql_where=sa.text("replaces_id IS NULL"),
        )
        batch_op.drop_index("ix_attendance_entry_user_day")
        batch_op.drop_index(batch_op.f("ix_attendance_entry_reported_in"))

    op.drop_table("attendance_entry")
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_user_id"))

    op.drop_table("agreement")
    op.drop_table("station")
