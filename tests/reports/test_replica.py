"""REPORTS_DATABASE_URL: the reports read from a second engine (a read-only replica), the store
books on its own database."""

import shutil
import uuid
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from store import create_app
from store.auth.models import User
from store.core.audit import Actor
from store.core.timeutil import local_today
from store.extensions import db
from store.reports.services import Period, bookings, sql
from store.till import services as till
from store.till.models import Sale, Till
from tests.conftest import PG_URL, base_config


def sell(till_id: int, user_id: int, code: str) -> None:
    """A sale at the till (by ids: the test's objects do not outlive the copy)."""
    actor = Actor(user=db.session.get(User, user_id), source="web", till_id=till_id)
    lines, paid = [till.LineIn(code=code)], [till.PaymentIn("cash", 2000)]
    till.sell(actor, db.session.get(Till, till_id), str(uuid.uuid4()), lines, paid)
    db.session.commit()


def copy_database(databases, uri: str, tmp_path) -> str:
    """A copy of the database as it is now: the replica, a little behind."""
    db.session.remove()
    db.engine.dispose()
    if PG_URL:
        name = f"replica_{uuid.uuid4().hex[:8]}"
        with databases.engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(uri).database}"'))
        databases.made.append(name)
        return make_url(uri).set(database=name).render_as_string(hide_password=False)
    target = tmp_path / "replica.db"
    shutil.copyfile(make_url(uri).database, target)
    return f"sqlite:///{target}"


def test_reports_read_the_replica_when_one_is_named(app, shop, databases, tmp_path):
    primary = app.config["SQLALCHEMY_DATABASE_URI"]
    till_id, user_id, codes = shop.till.id, shop.cashier.id, [item.code for item in shop.items]
    sell(till_id, user_id, codes[0])
    replica = copy_database(databases, primary, tmp_path)
    sell(till_id, user_id, codes[1])  # booked after the copy: not on the replica yet
    today = local_today()
    period = Period(today - timedelta(days=1), today + timedelta(days=1))
    assert sum(row[3] for row in bookings.receipts(period)) == 2  # without a replica: the store's own

    reporting = create_app({**base_config(primary, tmp_path), "REPORTS_DATABASE_URL": replica})
    with reporting.app_context():
        assert sql.replica() is not None and sql.replica().url != db.engine.url
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 2  # bookings
        assert sum(row[3] for row in bookings.receipts(period)) == 1  # the reports: the replica
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
