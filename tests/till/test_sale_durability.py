"""A sale commits twice: the booking, then its signature. Only the second, which acknowledges the
sale, waits for the disk, and takes the booking along (a database's log reaches the disk in order).
A sale sent again is answered only once its booking is on disk."""

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from store.core import durability
from store.extensions import db
from tests.till.test_sale_signing import body


@pytest.fixture
def waits():
    """Whether each commit of a session waits for the disk ("yes"/"no"), in order: SQLite's
    synchronous level (FULL or NORMAL) or PostgreSQL's synchronous_commit, read just before it
    commits. (Commits on connections of their own, the TSE simulator's counters and the printed
    mark on PostgreSQL, do not wait, on purpose: see store/core/durability.py.)"""
    seen = []

    def before_commit(session):
        conn = session.connection()
        if conn.dialect.name == "sqlite":
            seen.append({1: "no", 2: "yes"}[conn.exec_driver_sql("PRAGMA synchronous").scalar()])
        else:
            seen.append(
                {"off": "no", "on": "yes"}[conn.exec_driver_sql("SHOW synchronous_commit").scalar()]
            )

    def durable(dbapi_connection, _record):  # the tests' server does not wait by default
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = on")
        dbapi_connection.commit()

    if db.engine.dialect.name != "sqlite":
        db.engine.dispose()
        sa.event.listen(db.engine, "connect", durable)
    sa.event.listen(so.Session, "before_commit", before_commit)
    yield seen
    sa.event.remove(so.Session, "before_commit", before_commit)


def test_the_booking_does_not_wait_for_the_disk_its_signature_does(app, client, shop, api_token, waits):
    headers = api_token(shop.cashier)
    # The token's first use notes when it was used: a write before the booking, after which SQLite
    # cannot change its level (that booking's commit waits; safe, only slower).
    assert client.get("/api/v1/tills", headers=headers).status_code == 200
    waits.clear()
    answer = client.post("/api/v1/sales", json=body(shop.till, shop.items[0].code), headers=headers)
    assert answer.status_code == 201
    # The booking, then the signature with the receipt's job, which acknowledges the sale.
    assert waits[:2] == ["no", "yes"]


def test_every_pooled_connection_waits_for_the_disk_again(app, client, shop, api_token):
    """Also after a booking that failed halfway (the item was sold meanwhile)."""
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL's setting is the transaction's own (SET LOCAL)
    headers = api_token(shop.cashier)
    sold = body(shop.till, shop.items[0].code)
    assert client.post("/api/v1/sales", json=sold, headers=headers).status_code == 201
    again = body(shop.till, shop.items[0].code)
    assert client.post("/api/v1/sales", json=again, headers=headers).status_code == 409
    held = [db.engine.connect() for _ in range(db.engine.pool.size())]
    try:
        assert {c.exec_driver_sql("PRAGMA synchronous").scalar() for c in held} == {2}
    finally:
        for conn in held:
            conn.close()


def test_a_sale_sent_again_is_answered_once_its_booking_is_on_disk(
    app, client, shop, api_token, monkeypatch
):
    headers = api_token(shop.cashier)
    sale = body(shop.till, shop.items[0].code)
    assert client.post("/api/v1/sales", json=sale, headers=headers).status_code == 201
    barriers = []
    barrier = durability.barrier
    monkeypatch.setattr(durability, "barrier", lambda session: (barriers.append(1), barrier(session)))
    assert client.post("/api/v1/sales", json=sale, headers=headers).status_code == 200
    assert barriers == [1]
