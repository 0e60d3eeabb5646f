"""SQLite settings for a store that runs on one embedded file."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from store.core import durability


def _on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # tills read while another one writes
    cursor.execute("PRAGMA busy_timeout=10000")
    # FULL: an acknowledged sale survives a power cut, not only a crash of the process (with WAL,
    # NORMAL may lose the last commits on power loss). bench/till.py prints what it costs.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def init_app(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        from store.extensions import db

        engine: Engine = db.engine
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "checkin", durability.restore_on_checkin)
