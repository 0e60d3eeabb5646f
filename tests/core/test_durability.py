"""Commits that need not wait for the disk stay committed, and leave every other commit waiting."""

import sqlalchemy as sa

from store.core import durability
from store.core.settings import Setting
from store.extensions import db


def _waiting(conn) -> None:
    """The test server of PostgreSQL runs without waiting for the disk: this connection waits."""
    if conn.dialect.name != "sqlite":
        conn.exec_driver_sql("SET synchronous_commit = on")
        conn.commit()


def _setting(conn) -> str:
    if conn.dialect.name == "sqlite":
        return {0: "off", 1: "normal", 2: "full", 3: "extra"}[
            conn.exec_driver_sql("PRAGMA synchronous").scalar()
        ]
    return conn.exec_driver_sql("SHOW synchronous_commit").scalar()


def test_a_relaxed_commit_is_stored_and_the_connection_waits_for_the_disk_again(app):
    with db.engine.connect() as conn:
        _waiting(conn)
        before = _setting(conn)
        conn.commit()  # relaxed() begins the transaction itself
        with durability.relaxed(conn):
            conn.execute(sa.insert(Setting).values(key="relaxed", value=1))
            assert _setting(conn) in ("normal", "off")  # inside: no wait for the disk
        assert _setting(conn) == before  # after: as the pool set it
    assert before in ("full", "on")
    assert db.session.get(Setting, "relaxed").value == 1  # committed, seen from another connection


def test_a_failed_relaxed_write_stores_nothing_and_restores_the_setting(app):
    with db.engine.connect() as conn:
        _waiting(conn)
        before = _setting(conn)
        conn.commit()  # relaxed() begins the transaction itself
        try:
            with durability.relaxed(conn):
                conn.execute(sa.insert(Setting).values(key="gone", value=1))
                raise RuntimeError("the printer answered nonsense")
        except RuntimeError:
            pass
        assert _setting(conn) == before
    assert db.session.get(Setting, "gone") is None
