"""Commits that need not wait for the disk.

Every booking waits until its commit is on disk (SQLite synchronous=FULL, PostgreSQL
synchronous_commit=on): an acknowledged sale survives a power cut. A few writes may be lost in a
power cut without harm, because what they record is done again if it is missing (a print job's
"printed" mark: the receipt is printed again). Those commit without waiting, and so hold SQLite's
single write lock for microseconds instead of an fsync, which the next sale would wait for.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection


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
