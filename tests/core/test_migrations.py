"""Migrations build exactly the models' schema, on SQLite and PostgreSQL, and keep data on upgrade."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from store import MIGRATIONS, create_app
from store.extensions import db
from tests.conftest import base_config


def _fresh_app(databases, tmp_path):
    uri = databases.empty()
    return create_app(base_config(uri, tmp_path)), uri


def test_models_and_migrations_agree(databases, tmp_path, monkeypatch):
    monkeypatch.setenv("KAUFHAUS_INSTANCE", str(tmp_path))
    app, uri = _fresh_app(databases, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    databases.drop(uri)
    assert diff == []


def test_upgrade_keeps_rows_written_by_the_first_schema(databases, tmp_path, monkeypatch):
    monkeypatch.setenv("KAUFHAUS_INSTANCE", str(tmp_path))
    app, uri = _fresh_app(databases, tmp_path)
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config(MIGRATIONS))
        revisions = list(reversed(list(script.walk_revisions())))
        assert len(revisions) >= 2
        upgrade(revision=revisions[0].revision)
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    'INSERT INTO "user" (username, first_name, last_name, role, is_active_account, '
                    "created_at) VALUES ('old', 'Olga', 'Alt', 'trainee', true, '2024-01-02 03:04:05')"
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            row = conn.execute(
                sa.text("SELECT username, first_name FROM \"user\" WHERE username = 'old'")
            ).one()
            head = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        db.engine.dispose()
    databases.drop(uri)
    assert tuple(row) == ("old", "Olga")
    assert head == revisions[-1].revision


def test_audit_log_refuses_update_and_delete_in_the_database(app, make_user):
    import pytest

    make_user("admin")  # writes an audit row
    for statement in ("UPDATE audit_entry SET action = 'x'", "DELETE FROM audit_entry"):
        with pytest.raises(sa.exc.DatabaseError):
            with db.engine.begin() as conn:
                conn.execute(sa.text(statement))
    assert db.session.scalar(sa.text("SELECT count(*) FROM audit_entry")) >= 1


def test_every_booking_table_has_its_append_only_triggers(app):
    from store.core.immutable import APPEND_ONLY

    if db.engine.dialect.name == "sqlite":
        rows = db.session.execute(
            sa.text("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
        guarded = {table for table, sql in rows if "append-only" in sql}
    else:
        rows = db.session.execute(
            sa.text(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgname LIKE '%append_only'"
            )
        ).all()
        guarded = {table for (table,) in rows}
    assert set(APPEND_ONLY) <= guarded
