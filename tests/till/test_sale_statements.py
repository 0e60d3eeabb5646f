"""A 5-line sale books with few statements: counted here, as the benchmark's floor assumes."""

import uuid

import sqlalchemy as sa

from store.extensions import db


def _count(engine):
    """Statements per transaction on `engine` while the test runs: a list of lists."""
    seen = [[]]

    def statement(conn, cursor, text, params, context, executemany):
        words = text.split()
        seen[-1].append(f"{words[0]} {words[2 if words[0] == 'INSERT' else 1]}")

    def commit(conn):
        seen.append([])

    sa.event.listen(engine, "before_cursor_execute", statement)
    sa.event.listen(engine, "commit", commit)
    return seen, lambda: (
        sa.event.remove(engine, "before_cursor_execute", statement),
        sa.event.remove(engine, "commit", commit),
    )


def test_a_five_line_sale_books_in_at_most_15_statements(client, shop, take_in, api_token):
    headers = api_token(shop.cashier)
    items = shop.items + take_in(shop.clothes, "Hose", 800, quantity=1)
    body = {
        "id": str(uuid.uuid4()),
        "till": shop.till.id,
        "lines": [{"code": item.code} for item in items[:4]]
        + [{"article": shop.book_article.id, "quantity": 2}],
        "payments": [{"method": "cash", "amount_cents": 5000}],
    }
    warm = dict(body, id=str(uuid.uuid4()), lines=[{"article": shop.book_article.id}])
    assert client.post("/api/v1/sales", json=warm, headers=headers).status_code == 201
    seen, stop = _count(db.engine)
    try:
        answer = client.post("/api/v1/sales", json=body, headers=headers)
    finally:
        stop()
    assert answer.status_code == 201, answer.json
    assert len(answer.json["lines"]) == 5 and answer.json["tse"]["state"] == "signed"
    # "SET LOCAL synchronous_commit" (PostgreSQL: the TSE counters' commit need not wait for the
    # disk) sets how a transaction commits; it reads or writes no row.
    transactions = [[s for s in t if not s.startswith("SET ")] for t in seen]
    transactions = [t for t in transactions if t]
    # The booking: token, till, the id's replay check, items, articles, the receipt number, the sale,
    # the claim, lines, payments, stock, audit: one statement each.
    booking = transactions[0]
    assert len(booking) <= 15, booking
    assert booking.count("INSERT sale_line") == 1 and booking.count("UPDATE item") == 1
    # Then, after its commit: the TSE's counters and the start it signed (the simulator's own
    # transaction on PostgreSQL), and the signature stored with the receipt queued (the drawer's
    # pulse first in it); the printer's work follows in the tests' request.
    tse = ["UPDATE tse_device", "INSERT tse_simulator_start"]
    own = transactions[1] == tse
    signature = transactions[1] + (transactions[2] if own else [])
    assert signature[:2] == tse and "INSERT fiscal_transaction" in signature
    assert len(signature) <= 7, signature
