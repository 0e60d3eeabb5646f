"""Database triggers that make booking tables append-only (GoBD: no update, no delete).

Migrations call `make_append_only(op, "table")`; the code never updates or deletes these rows either.
"""

from alembic import op as alembic_op

# Every table whose rows are bookings (GoBD): the migrations make each one append-only.
APPEND_ONLY = ("audit_entry", "stock_movement", "safety_test", "till_session", "cash_movement",
               "sale", "sale_line", "payment", "closing", "fiscal_transaction",
               "assessment", "assessment_rating")


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
