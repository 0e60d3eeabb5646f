"""The till: a 5-line sale end to end over HTTP vs the same rows by raw SQL; four tills selling at
once (gunicorn on PostgreSQL, or the threaded server on SQLite); the Z report over a year of sales.

    .venv/bin/python bench/till.py [--runs 200] [--year-sales 150000]
    BENCH_DATABASE_URL=postgresql://… .venv/bin/python bench/till.py
"""

import argparse
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from common import Client, database_url, live, make_app, report, timed  # noqa: I001

ROOT = Path(__file__).resolve().parent.parent


def setup(app, items: int):
    from store.auth import services as auth
    from store.core.audit import Actor
    from store.extensions import db
    from store.goods import services as goods
    from store.goods.codes import make_code
    from store.goods.models import Item, StockMovement
    from store.till import services as till

    with app.app_context():
        actor = Actor.system()
        user = auth.create_user(
            actor, username="kasse", role="trainee", password="bench-pass", first_name="Bench"
        )
        category = goods.save_category(actor, None, name="Hausrat", vat_rate_bp=1900)
        books = goods.save_category(actor, None, name="Bücher", vat_rate_bp=700)
        article = goods.save_article(actor, None, name="Buch", category_id=books.id, price_cents=100)
        tills = [till.save_till(actor, None, name=f"Kasse {n}", serial=f"B{n}") for n in range(1, 5)]
        db.session.commit()
        for t in tills:
            till.open_session(actor, t, float_cents=10000)
        now = datetime.now(UTC)
        rows = [
            {
                "id": i,
                "code": make_code(i),
                "category_id": category.id,
                "description": f"Artikel {i}",
                "price_cents": 250,
                "condition": "good",
                "taken_in_at": now,
                "status": "in_stock",
            }
            for i in range(1, items + 1)
        ]
        db.session.execute(sa.insert(Item), rows)
        db.session.execute(
            sa.insert(StockMovement),
            [{"at": now, "kind": "intake", "item_id": r["id"], "quantity": 1} for r in rows],
        )
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("SELECT setval('item_id_seq', (SELECT max(id) FROM item))"))
        token = auth.create_api_token(actor, user)[1]
        db.session.commit()
        return token, [r["code"] for r in rows], article.id, [t.id for t in tills], category.id


def five_lines(codes, article_id, till_id):
    return {
        "id": str(uuid.uuid4()),
        "till": till_id,
        "lines": [{"code": codes.pop()} for _ in range(4)] + [{"article": article_id, "quantity": 2}],
        "payments": [{"method": "cash", "amount_cents": 2000}],
    }


def raw_sale(conn, codes, article_id, till_id, category_id, receipt):
    """The same rows a sale writes, as plain SQL in one transaction (no rules, no audit)."""
    now = datetime.now(UTC)
    session_id = conn.execute(
        sa.text("SELECT current_session_id FROM till WHERE id = :t"), {"t": till_id}
    ).scalar()
    sale_id = conn.execute(
        sa.text(
            "INSERT INTO sale (uuid, kind, till_id, session_id, receipt_number, started_at, "
            "created_at, cashier_label, total_cents, eligibility) VALUES (:u, 'sale', :t, :s, :r, "
            ":now, :now, 'raw', 1200, false) RETURNING id"
        ),
        {"u": str(uuid.uuid4()), "t": till_id, "s": session_id, "r": receipt, "now": now},
    ).scalar()
    for position in range(1, 6):
        code = codes.pop() if position < 5 else None
        if code:
            conn.execute(
                sa.text("UPDATE item SET status = 'sold' WHERE code = :c AND status = 'in_stock'"),
                {"c": code},
            )
        conn.execute(
            sa.text(
                "INSERT INTO sale_line (sale_id, position, category_id, code, description, quantity,"
                " label_price_cents, unit_price_cents, markdown_percent, discount_percent, "
                "discount_cents, eligibility_discount_cents, vat_rate_bp, total_cents) VALUES "
                "(:s, :p, :c, :code, 'x', 1, 250, 250, 0, 0, 0, 0, 1900, 250)"
            ),
            {"s": sale_id, "p": position, "c": category_id, "code": code},
        )
    conn.execute(
        sa.text(
            "INSERT INTO payment (sale_id, method, amount_cents, tendered_cents, "
            "change_cents) VALUES (:s, 'cash', 1200, 2000, 800)"
        ),
        {"s": sale_id},
    )


def concurrent(port, token, codes, article_id, till_ids, seconds=10.0):
    """Four tills, each its own connection, selling as fast as they can for `seconds`."""
    from common import Client

    done, errors = [], []
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def till_loop(till_id):
        client = Client(port, token)
        while time.monotonic() < stop:
            with lock:
                if len(codes) < 4:
                    return
                body = five_lines(codes, article_id, till_id)
            try:
                status, _answer = client.request("POST", "/api/v1/sales", body)
            except OSError as error:
                errors.append((body["id"], repr(error)))
                continue
            (done if status == 201 else errors).append((body["id"], status))

    threads = [threading.Thread(target=till_loop, args=(t,)) for t in till_ids]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done, errors, time.monotonic() - started


def gunicorn_server(url: str):
    """gunicorn with 4 workers on a free port, on the bench database."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    env = dict(
        os.environ,
        DATABASE_URL=url,
        SECRET_KEY="bench",
        KAUFHAUS_INSTANCE=os.environ["KAUFHAUS_INSTANCE"],
    )
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "store:create_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def year_of_sales(app, url, count: int, till_id: int, category_id: int):
    """Bulk-load `count` sales into one session, then time the Z report figures."""
    from store.extensions import db
    from store.till import services as till
    from store.till.models import Payment, Sale, SaleLine, Till

    rng = random.Random(3)
    with app.app_context():
        t = db.session.get(Till, till_id)
        session_id = t.current_session_id
        start = datetime.now(UTC) - timedelta(days=365)
        next_id = (db.session.scalar(sa.select(sa.func.max(Sale.id))) or 0) + 1
        base_receipt = 10_000_000
        for chunk in range(0, count, 10_000):
            n = min(10_000, count - chunk)
            sales, lines, pays = [], [], []
            for k in range(n):
                sid = next_id + chunk + k
                at = start + timedelta(minutes=(chunk + k) * 3)
                total = 0
                for position in range(1, rng.randrange(2, 5)):
                    rate = rng.choice([1900, 700])
                    amount = rng.randrange(50, 3000, 10)
                    total += amount
                    lines.append(
                        {
                            "sale_id": sid,
                            "position": position,
                            "category_id": category_id,
                            "description": "x",
                            "quantity": 1,
                            "label_price_cents": amount,
                            "unit_price_cents": amount,
                            "markdown_percent": 0,
                            "discount_percent": 0,
                            "discount_cents": 0,
                            "eligibility_discount_cents": 0,
                            "vat_rate_bp": rate,
                            "total_cents": amount,
                        }
                    )
                sales.append(
                    {
                        "id": sid,
                        "uuid": str(uuid.uuid4()),
                        "kind": "sale",
                        "till_id": till_id,
                        "session_id": session_id,
                        "receipt_number": base_receipt + chunk + k,
                        "started_at": at,
                        "created_at": at,
                        "cashier_label": "bench",
                        "total_cents": total,
                        "eligibility": False,
                    }
                )
                pays.append(
                    {
                        "sale_id": sid,
                        "method": rng.choice(["cash", "card"]),
                        "amount_cents": total,
                        "change_cents": 0,
                    }
                )
            db.session.execute(sa.insert(Sale), sales)
            db.session.execute(sa.insert(SaleLine), lines)
            db.session.execute(sa.insert(Payment), pays)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("SELECT setval('sale_id_seq', (SELECT max(id) FROM sale))"))
            db.session.commit()
            db.session.execute(sa.text("ANALYZE"))
        session = till.current_session(t)

        def z():
            db.session.expire_all()
            till.session_report(session)

        ours = timed(z, 3)
        engine = sa.create_engine(url)
        with engine.connect() as conn:

            def raw():
                conn.execute(
                    sa.text(
                        "SELECT l.vat_rate_bp, sum(l.total_cents) FROM sale_line l JOIN sale s ON "
                        "s.id = l.sale_id WHERE s.session_id = :s GROUP BY l.vat_rate_bp"
                    ),
                    {"s": session_id},
                ).all()
                conn.execute(
                    sa.text(
                        "SELECT p.method, sum(p.amount_cents) FROM payment p JOIN sale s ON "
                        "s.id = p.sale_id WHERE s.session_id = :s GROUP BY p.method"
                    ),
                    {"s": session_id},
                ).all()
                conn.execute(
                    sa.text(
                        "SELECT l.category_id, sum(l.quantity), sum(l.total_cents) FROM sale_line l "
                        "JOIN sale s ON s.id = l.sale_id WHERE s.session_id = :s GROUP BY "
                        "l.category_id"
                    ),
                    {"s": session_id},
                ).all()

            base = timed(raw, 3)
        engine.dispose()
        return ours, base


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--year-sales", type=int, default=150_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    url, label = database_url()
    app = make_app(url)
    items = args.runs * 4 * 2 + 40_000
    token, codes, article_id, till_ids, category_id = setup(app, items)
    print(f"Till on {label}:")
    with live(app) as port:
        client = Client(port, token)

        def sale():
            status, body = client.request(
                "POST", "/api/v1/sales", five_lines(codes, article_id, till_ids[0])
            )
            assert status == 201, body

        ours = timed(sale, args.runs)
        engine = sa.create_engine(url)
        receipt = [20_000_000]

        def raw():
            receipt[0] += 1
            with engine.begin() as conn:
                raw_sale(conn, codes, article_id, till_ids[0], category_id, receipt[0])

        base = timed(raw, args.runs)
        engine.dispose()
        report("5-line sale (HTTP, commit, receipt queued)", ours, base)

        if label == "PostgreSQL":
            proc, gport = gunicorn_server(url)
            try:
                done, errors, took = concurrent(gport, token, codes, article_id, till_ids, args.seconds)
            finally:
                proc.terminate()
                proc.wait(timeout=10)
            server = "gunicorn, 4 workers"
        else:
            done, errors, took = concurrent(port, token, codes, article_id, till_ids, args.seconds)
            server = "threaded server"
    with app.app_context():
        from store.extensions import db
        from store.till.models import Sale

        booked = set(db.session.scalars(sa.select(Sale.uuid)).all())
        sold_twice = db.session.scalar(
            sa.text(
                "SELECT count(*) FROM (SELECT item_id FROM stock_movement WHERE kind = 'sale' "
                "GROUP BY item_id HAVING count(*) > 1) d"
            )
        )
    lost = [sid for sid, _ in done if sid not in booked]
    print(
        f"  4 tills at once ({server}): {len(done) / took:7.1f} sales/s over {took:.1f} s, "
        f"{len(done)} sales, {len(errors)} refused, lost {len(lost)}, items sold twice "
        f"{sold_twice}"
    )
    ours, base = year_of_sales(app, url, args.year_sales, till_ids[1], category_id)
    report(f"Z report over {args.year_sales} sales", ours, base)


if __name__ == "__main__":
    sys.exit(main())
