"""Commits that need not wait for the disk.

Every booking waits until its commit is on disk (SQLite synchronous=FULL, PostgreSQL
synchronous_commit=on): an acknowledged sale survives a power cut. A few writes may be lost in a
power cut without harm, because what they record is done again if it is missing (a print job's
"printed" mark: the receipt is printed again). Those commit without waiting, and so hold SQLite's
single write lock for microseconds instead of an fsync, which the next sale would wait for.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session


@contextmanager
def relaxed(conn: Connection) -> Iterator[None]:
    """A transaction on `conn` (not yet begun) that commits without waiting for the disk: it survives
    a crash of the process or the server, not a power cut."""
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")  # only outside a transaction
        conn.commit()
    try:
        with conn.begin():
            if not sqlite:
                conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
            yield
    finally:
        if sqlite:
            conn.rollback()  # a failed statement inside leaves nothing open
            conn.exec_driver_sql("PRAGMA synchronous=FULL")  # the pool's setting (store.core.sqlite)
            conn.commit()


RELAXED = "kaufhaus.relaxed"  # on a pooled SQLite connection whose next commits do not wait


def relax_until_commit(session: Session) -> None:
    """Let the session's transaction commit without waiting for the disk, because a later commit of
    the same request waits, and takes it along: a database's log reaches the disk in order (SQLite's
    WAL is one file, synced whole; PostgreSQL flushes its WAL up to the later commit's record). The
    sale's booking commits so, and its signature's commit, which acknowledges the sale, waits.

    SQLite changes it only outside a transaction: called after a write, it changes nothing (the
    commit waits, as always). The connection is set back when it returns to the pool."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
        return
    if conn.connection.dbapi_connection.in_transaction:
        return
    conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
    conn.connection.info[RELAXED] = True  # the pooled connection's own (the check-in event's too)


def restore_on_checkin(dbapi_connection, record) -> None:
    """Pool event (SQLite): a relaxed connection goes back to the pool waiting for the disk again."""
    if record.info.pop(RELAXED, False) and dbapi_connection is not None:
        dbapi_connection.execute("PRAGMA synchronous=FULL")


def barrier(session: Session) -> None:
    """Make sure what was committed without waiting is on disk once this transaction commits: for an
    answer about a booking whose own commit did not wait (a retried sale found unsigned after a
    crash). SQLite: sync the WAL file now; PostgreSQL: make this transaction a writing one, whose
    commit waits for the log up to it."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        conn.exec_driver_sql("SELECT pg_current_xact_id()")
        return
    path = conn.engine.url.database
    if not path or path == ":memory:":
        return
    try:
        fd = os.open(path + "-wal", os.O_RDONLY)
    except FileNotFoundError:
        return  # no WAL: everything is in the database file
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
