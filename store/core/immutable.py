"""Database triggers that make booking tables append-only (GoBD: no update, no delete).

Migrations call `make_append_only(op, "table")`; the code never updates or deletes these rows either.

One exception, for data protection: the personal free text of some bookings of participants (a
note, a reason, an address) must go when the person's retention period ends. For those tables the
UPDATE trigger stands aside while an `erasure_window` row exists. Only the retention run opens one
(`erasure_window()`), inside its own transaction, and removes it before the commit, so no other
connection ever sees it open. DELETE stays refused, and fiscal tables have no such exception.
"""

from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from alembic import op as alembic_op

from store.core.timeutil import utcnow
from store.core.types import UTCDateTime
from store.extensions import db

# Every table whose rows are bookings (GoBD): the migrations make each one append-only.
APPEND_ONLY = (
    "audit_entry",
    "stock_movement",
    "safety_test",
    "till_session",
    "cash_movement",
    "sale",
    "sale_line",
    "payment",
    "closing",
    "fiscal_transaction",
    "assessment",
    "assessment_rating",
    "clock_event",
    "attendance_entry",
    "month_closing",
    "record_mark",
    "category_impact",
    "voided_line",
)
# Bookings of participants whose personal free text the retention run may clear: table → columns.
ERASABLE = {
    "clock_event": ("reason", "address"),
    "attendance_entry": ("note", "reason"),
    "assessment_rating": ("note",),
}


class ErasureWindow(db.Model):
    """Open only inside the retention run's transaction (see the module's docstring)."""

    __tablename__ = "erasure_window"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    opened_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)


@contextmanager
def erasure_window():
    """Let the ERASABLE columns be cleared within the current transaction."""
    window = ErasureWindow(opened_at=utcnow())
    db.session.add(window)
    db.session.flush()
    try:
        yield
        db.session.flush()
    finally:
        db.session.delete(window)
        db.session.flush()


def make_append_only(op: "alembic_op", table: str, *, allow_update: bool = False) -> None:
    """Refuse DELETE (and UPDATE unless allow_update) on `table`, on SQLite and PostgreSQL."""
    dialect = op.get_bind().dialect.name
    actions = ["DELETE"] if allow_update else ["UPDATE", "DELETE"]
    if dialect == "sqlite":
        for action in actions:
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION kaufhaus_refuse_change() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE {' OR '.join(actions)} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION kaufhaus_refuse_change()"
        )
    else:
        raise RuntimeError(f"append-only triggers are not written for {dialect}")


def drop_append_only(op: "alembic_op", table: str, *, allow_update: bool = False) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for action in ["DELETE"] if allow_update else ["UPDATE", "DELETE"]:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action.lower()}")
    elif dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")


def make_erasable(op: "alembic_op", table: str) -> None:
    """Replace the UPDATE refusal of an append-only table by one that stands aside while an
    erasure window is open, and then only for the ERASABLE columns (DELETE stays refused)."""
    bind = op.get_bind()
    dialect = bind.dialect.name
    erasable = ERASABLE[table]
    if dialect == "sqlite":
        # SQLite triggers cannot compare whole rows: every other column is named, as the table
        # is at this migration (a later migration that adds a column calls this again).
        others = [c["name"] for c in sa.inspect(bind).get_columns(table) if c["name"] not in erasable]
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in others)
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        op.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "  # noqa: S608 (constant)
            f"WHEN NOT EXISTS (SELECT 1 FROM erasure_window) OR {changed} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION kaufhaus_refuse_change_unless_erasing() RETURNS trigger "
            "AS $$ BEGIN IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM erasure_window) "
            "AND to_jsonb(NEW) - TG_ARGV = to_jsonb(OLD) - TG_ARGV THEN RETURN NEW; END IF; "
            "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql"
        )
        columns = ", ".join(f"'{c}'" for c in erasable)
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION kaufhaus_refuse_change_unless_erasing({columns})"
        )
    else:
        raise RuntimeError(f"append-only triggers are not written for {dialect}")


def make_strict(op: "alembic_op", table: str) -> None:
    """Undo make_erasable: UPDATE refused again without exception."""
    drop_append_only(op, table)
    make_append_only(op, table)


def drop_erasure_function(op: "alembic_op") -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS kaufhaus_refuse_change_unless_erasing()")
