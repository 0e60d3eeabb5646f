"""The till, measured like for like: every figure beside a floor measured in the same run.

- a 5-line sale over HTTP (token, booking, TSE signature, receipt and drawer kick queued on a virtual
  receipt printer) against its floor: the same rows written by raw SQL in one transaction behind a
  bare Flask route, on an engine with the same PRAGMAs, over the same kind of keep-alive connection.
  The two are timed in turns (interleaved), after a warm-up; median and p95 of each;
- the same floor with SQLite's synchronous=NORMAL: what durability on power loss (FULL) costs;
- a code lookup over HTTP against its floor (one SELECT behind the bare route);
- 4 tills selling at once (gunicorn gthread with 2 workers, as deployed, on either database; its
  workers booted and warmed up before the clock starts), counting lost and doubled sales, in turns
  with 4 tills selling to the floor's route on a gunicorn of its own, booted beside it;
- 4 and 16 tills with the TSE simulator waiting 200 ms per call, in turns likewise: no till waits
  on another's TSE;
- the Z report of one day's session with a year of sales in the database.

    .venv/bin/python bench/till.py [--runs 200] [--year-sales 150000]
    BENCH_DATABASE_URL=postgresql://… .venv/bin/python bench/till.py
"""

import argparse
import contextlib
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from common import Client, database_url, in_first_branch, live, make_app, report, timed  # noqa: I001

ROOT = Path(__file__).resolve().parent.parent
ITEMS = 200_000


def setup(app, items: int, tills: int = 16):
    from store.auth import services as auth
    from store.core.audit import Actor
    from store.extensions import db
    from store.goods import services as goods
    from store.goods.codes import make_code
    from store.goods.models import Item, StockMovement
    from store.printing.services import save_printer
    from store.till import services as till

    with app.app_context():
        actor = Actor.system()
        user = auth.create_user(
            actor, username="kasse", role="trainee", password="bench-pass", first_name="Bench"
        )
        category = goods.save_category(actor, None, name="Hausrat", vat_rate_bp=1900)
        books = goods.save_category(actor, None, name="Bücher", vat_rate_bp=700)
        article = goods.save_article(actor, None, name="Buch", category_id=books.id, price_cents=100)
        made = []
        for n in range(1, tills + 1):
            printer = save_printer(actor, None, name=f"Bon {n}", backend="virtual", params={})
            db.session.flush()
            made.append(
                till.save_till(
                    actor, None, name=f"Kasse {n}", serial=f"B{n}", receipt_printer_id=printer.id
                )
            )
        db.session.commit()
        for t in made:
            till.open_session(actor, t, float_cents=10000)
        db.session.commit()
        now = datetime.now(UTC)
        for start in range(1, items + 1, 50_000):
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
                for i in range(start, min(start + 50_000, items + 1))
            ]
            db.session.execute(sa.insert(Item), in_first_branch(rows))
            db.session.execute(
                sa.insert(StockMovement),
                [{"at": now, "kind": "intake", "item_id": r["id"], "quantity": 1} for r in rows],
            )
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("SELECT setval('item_id_seq', (SELECT max(id) FROM item))"))
        token = auth.create_api_token(actor, user)[1]
        db.session.commit()
        settled(db.engine)
        codes = [make_code(i) for i in range(1, items + 1)]
        random.Random(1).shuffle(codes)
        return token, codes, article.id, [t.id for t in made], category.id


def durability(url: str) -> str:
    """What a commit waits for: the settings every figure below was measured with."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            from store.core import sqlite

            sqlite._on_connect(conn.connection.dbapi_connection, None)
            names = ("journal_mode", "synchronous")
            shown = [f"{n}={conn.exec_driver_sql(f'PRAGMA {n}').scalar()}" for n in names]
            levels = {"synchronous=0": "OFF", "synchronous=1": "NORMAL", "synchronous=2": "FULL"}
            shown = [f"synchronous={levels[s]}" if s in levels else s for s in shown]
        else:
            names = ("fsync", "synchronous_commit")
            shown = [f"{n}={conn.exec_driver_sql(f'SHOW {n}').scalar()}" for n in names]
    engine.dispose()
    return ", ".join(shown)


def five_lines(codes, article_id, till_id):
    return {
        "id": str(uuid.uuid4()),
        "till": till_id,
        "lines": [{"code": codes.pop()} for _ in range(4)] + [{"article": article_id, "quantity": 2}],
        "payments": [{"method": "cash", "amount_cents": 2000}],
    }


# ---------------------------------------------------------------- the floor


def floor_app(url: str, synchronous: str = "FULL"):
    """A bare Flask app: the rows of a sale by raw SQL in one transaction, and a code lookup. Its
    engine has the store's PRAGMAs (store.core.sqlite), with `synchronous` as given."""
    from flask import Flask, jsonify, request

    from store.core import sqlite

    engine = sa.create_engine(url, pool_size=20)
    if engine.dialect.name == "sqlite":

        def on_connect(dbapi_connection, record):
            sqlite._on_connect(dbapi_connection, record)
            dbapi_connection.execute(f"PRAGMA synchronous={synchronous}")

        sa.event.listen(engine, "connect", on_connect)
    app = Flask("floor")
    # Each process numbers its own receipts (gunicorn runs several): the floor takes no counter.
    receipt = [(30_000_000 if synchronous == "FULL" else 40_000_000) + os.getpid() % 10_000 * 100_000]
    lock = threading.Lock()
    payload = b"x" * 1200  # about a rendered receipt

    @app.post("/floor/sale")
    def sale():
        body = request.get_json()
        with lock:
            receipt[0] += 1
            number = receipt[0]
        with engine.begin() as conn:
            raw_sale(conn, body, number, payload)
        return jsonify({"id": body["id"], "receipt_number": number}), 201

    @app.get("/floor/items/<code>")
    def item(code):
        with engine.connect() as conn:
            row = conn.execute(
                sa.text(
                    "SELECT i.code, i.description, i.price_cents, i.status, c.vat_rate_bp FROM item i "
                    "JOIN category c ON c.id = i.category_id WHERE i.code = :c"
                ),
                {"c": code},
            ).first()
        return (jsonify(dict(row._mapping)), 200) if row is not None else (jsonify({}), 404)

    return app, engine


def floor_wsgi():
    """The floor for gunicorn (`till:floor_wsgi()`, run in bench/), on DATABASE_URL."""
    return floor_app(os.environ["DATABASE_URL"])[0]


def raw_sale(conn, body, receipt, payload):
    """The rows a sale writes, as plain SQL (no rules, no signature)."""
    now = datetime.now(UTC)
    till_id = body["till"]
    codes = [line["code"] for line in body["lines"] if "code" in line]
    session_id = conn.execute(
        sa.text("SELECT current_session_id FROM till WHERE id = :t"), {"t": till_id}
    ).scalar()
    items = conn.execute(
        sa.text("SELECT id, category_id FROM item WHERE code IN :codes").bindparams(
            sa.bindparam("codes", expanding=True)
        ),
        {"codes": codes},
    ).all()
    conn.execute(
        sa.text("UPDATE till SET last_receipt_number = last_receipt_number + 1 WHERE id = :t"),
        {"t": till_id},
    )
    sale_id = conn.execute(
        sa.text(
            "INSERT INTO sale (uuid, kind, till_id, session_id, receipt_number, started_at, "
            "created_at, cashier_label, total_cents, eligibility, training, receipt_token) VALUES "
            "(:u, 'sale', :t, :s, :r, :now, :now, 'raw', 1200, false, false, :tok) RETURNING id"
        ),
        {
            "u": body["id"],
            "t": till_id,
            "s": session_id,
            "r": receipt,
            "now": now,
            "tok": secrets.token_urlsafe(24),
        },
    ).scalar()
    conn.execute(
        sa.text(
            "UPDATE item SET status = 'sold' WHERE id IN :ids AND status = 'in_stock' RETURNING id"
        ).bindparams(sa.bindparam("ids", expanding=True)),
        {"ids": [i.id for i in items]},
    ).all()
    conn.execute(
        sa.text(
            "INSERT INTO sale_line (sale_id, position, category_id, code, description, quantity,"
            " label_price_cents, unit_price_cents, markdown_percent, discount_percent, "
            "discount_cents, eligibility_discount_cents, vat_rate_bp, total_cents) VALUES "
            "(:s, :p, :c, :code, 'x', 1, 250, 250, 0, 0, 0, 0, 1900, 250)"
        ),
        [
            {"s": sale_id, "p": p, "c": items[0].category_id, "code": code}
            for p, code in enumerate([*codes, None], start=1)
        ],
    )
    conn.execute(
        sa.text(
            "INSERT INTO payment (sale_id, method, amount_cents, tendered_cents, "
            "change_cents) VALUES (:s, 'cash', 1200, 2000, 800)"
        ),
        {"s": sale_id},
    )
    conn.execute(
        sa.text(
            "INSERT INTO stock_movement (at, kind, item_id, quantity, ref_type, ref_id) VALUES "
            "(:now, 'sale', :i, -1, 'sale', :s)"
        ),
        [{"now": now, "i": i.id, "s": str(sale_id)} for i in items],
    )
    conn.execute(
        sa.text(
            "INSERT INTO audit_entry (at, source, action, object_type, object_id, data) VALUES "
            "(:now, 'api', 'sale.create', 'sale', :s, :d)"
        ),
        {"now": now, "s": str(sale_id), "d": json.dumps({"receipt": receipt})},
    )
    conn.execute(
        sa.text(
            "INSERT INTO fiscal_transaction (till_id, client_serial, tx_id, process_type, "
            "process_data, receipt_type, state, sale_id, recorded_at) VALUES (:t, 'raw', :x, "
            "'Kassenbeleg-V1', 'Beleg^12.00_0.00_0.00_0.00_0.00^12.00:Bar', 'Beleg', 'signed', :s, "
            ":now)"
        ),
        {"t": till_id, "x": str(uuid.uuid4()), "s": sale_id, "now": now},
    )
    conn.execute(
        sa.text(
            "INSERT INTO print_job (printer_id, kind, title, payload, status, attempts, created_at,"
            " next_attempt_at) SELECT receipt_printer_id, :k, 'raw', :p, 'pending', 0, :now, :now "
            "FROM till WHERE id = :t"
        ),
        [{"k": "receipt", "p": payload, "now": now, "t": till_id}],
    )


# ---------------------------------------------------------------- load


def interleaved(first, second, runs: int) -> tuple[list[float], list[float]]:
    """Time two callables in turns (the order swapping every run), so both meet the same machine.
    Each meets a server at rest: the printing that a sale's answer leaves behind (its receipt sent to
    the virtual printer, on a thread that starts once the answer is out) is done before the next call
    starts, so it is timed in neither (it counts in the tills-at-once lines)."""
    a, b = [], []
    for n in range(runs):
        pair = ((first, a), (second, b)) if n % 2 == 0 else ((second, b), (first, a))
        for fn, times in pair:
            at_rest()
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
    return a, b


def at_rest() -> None:
    """Wait for the wake-up threads of the app served in this process (store.core.queue.wake)."""
    for thread in threading.enumerate():
        if thread.name.startswith("wake "):
            thread.join()


def concurrent(port, token, codes, article_id, till_ids, seconds=10.0, floor=False):
    """Tills, each its own keep-alive connection, selling as fast as they can for `seconds` (to
    the floor's route: `floor`)."""
    sales = "/floor/sale" if floor else "/api/v1/sales"
    done, errors = [], []
    lock = threading.Lock()
    start_gate = threading.Barrier(len(till_ids) + 1)
    stop = [0.0]

    def till_loop(till_id):
        client = Client(port, token)
        client.request("GET", "/floor/items/-" if floor else "/api/v1/tills")  # connected first
        start_gate.wait()
        while time.monotonic() < stop[0]:
            with lock:
                if len(codes) < 4:
                    return
                body = five_lines(codes, article_id, till_id)
            try:
                status, _answer = client.request("POST", sales, body)
            except OSError as error:
                errors.append((body["id"], repr(error)))
                continue
            (done if status == 201 else errors).append((body["id"], status))

    threads = [threading.Thread(target=till_loop, args=(t,)) for t in till_ids]
    for thread in threads:
        thread.start()
    stop[0] = time.monotonic() + seconds
    started = time.monotonic()
    start_gate.wait()
    for thread in threads:
        thread.join()
    return done, errors, time.monotonic() - started


def gunicorn_server(
    url: str,
    *,
    workers: int = 2,
    threads: int = 8,
    env: dict | None = None,
    wsgi: str = "store:create_app()",
):
    """gunicorn (gthread: keep-alive connections) on a free port, its workers booted and answering
    before it is handed back. `wsgi`: the app (the floor's is "till:floor_wsgi()")."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    environment = dict(
        os.environ,
        DATABASE_URL=url,
        SECRET_KEY="bench",
        KAUFHAUS_INSTANCE=os.environ["KAUFHAUS_INSTANCE"],
        **(env or {}),
    )
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            "30",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            wsgi,
        ],
        cwd=ROOT if wsgi.startswith("store:") else ROOT / "bench",
        env=environment,
    )
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("gunicorn did not start")
    return proc, port


def warm_up(port, token, connections: int = 16, seconds: float = 3.0, path="/api/v1/tills") -> None:
    """Requests from many connections until every worker has booted and served (imports, pools)."""
    stop = time.monotonic() + seconds

    def loop():
        client = Client(port, token)
        while time.monotonic() < stop:
            client.request("GET", path)

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def in_turns(sides, seconds: float, slices: int):
    """Each side (name → concurrent()'s arguments: port, token, codes, article id, till ids, floor?)
    sells in turns: `slices` slices of seconds/slices each, side after side, so that a change in
    the machine's speed during the run (a shared host) falls on every side alike.
    {name: (sales, refused, seconds)}."""
    totals = {name: ([], [], 0.0) for name in sides}
    for _ in range(slices):
        for name, (port, token, codes, article_id, till_ids, floor) in sides.items():
            done, errors, took = concurrent(
                port, token, codes, article_id, till_ids, seconds / slices, floor=floor
            )
            sold, refused, spent = totals[name]
            totals[name] = (sold + done, refused + errors, spent + took)
    return totals


@contextlib.contextmanager
def servers(url, shapes):
    """gunicorn servers side by side, as deployed (gthread, 2 workers), each booted and warmed up
    before any is timed: shapes is name → (wsgi, threads, env, token). Yields name → port."""
    procs, ports = [], {}
    try:
        for name, (wsgi, threads, env, token) in shapes.items():
            proc, port = gunicorn_server(url, threads=threads, env=env, wsgi=wsgi)
            procs.append(proc)
            ports[name] = port
            if wsgi.startswith("store:"):
                warm_up(port, token)
            else:
                warm_up(port, "", path="/floor/items/-")
        yield ports
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


def checked(app, done) -> tuple[int, int]:
    """(lost, items sold twice) after a burst."""
    from store.extensions import db
    from store.till.models import Sale

    with app.app_context():
        booked = set(db.session.scalars(sa.select(Sale.uuid)).all())
        sold_twice = db.session.scalar(
            sa.text(
                "SELECT count(*) FROM (SELECT item_id FROM stock_movement WHERE kind = 'sale' "
                "GROUP BY item_id HAVING count(*) > 1) d"
            )
        )
        db.session.remove()
    return len([sid for sid, _ in done if sid not in booked]), sold_twice


def load_year(app, count: int, till_id: int, category_id: int, seed: int = 3) -> None:
    """Bulk-load a year of `count` sales at one till, one session per day (the last day is the
    till's open session), by SQLAlchemy Core in chunks."""
    from store.extensions import db
    from store.till.models import Payment, Sale, SaleLine, Till, TillSession

    rng = random.Random(seed)
    with app.app_context():
        t = db.session.get(Till, till_id)
        current = t.current_session_id
        start = datetime.now(UTC) - timedelta(days=365)
        next_session = (db.session.scalar(sa.select(sa.func.max(TillSession.id))) or 0) + 1
        db.session.execute(
            sa.insert(TillSession),
            [
                {
                    "id": next_session + day,
                    "till_id": till_id,
                    "opened_at": start + timedelta(days=day),
                    "float_cents": 10000,
                }
                for day in range(364)
            ],
        )
        per_day = max(count // 365, 1)
        next_id = (db.session.scalar(sa.select(sa.func.max(Sale.id))) or 0) + 1
        base_receipt = 10_000_000
        for chunk in range(0, count, 10_000):
            n = min(10_000, count - chunk)
            sales, lines, pays = [], [], []
            for k in range(n):
                sid = next_id + chunk + k
                day = min((chunk + k) // per_day, 364)
                session_id = current if day == 364 else next_session + day
                at = start + timedelta(days=day, minutes=(chunk + k) % per_day)
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
            db.session.execute(
                sa.text("SELECT setval('till_session_id_seq', (SELECT max(id) FROM till_session))")
            )
            db.session.commit()
        settled(db.engine)


def settled(engine) -> None:
    """After a bulk load: statistics made and the load written out of the log (a checkpoint), as on
    a server that has been running, so that no timed call pays for writing the load's pages."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("VACUUM ANALYZE")
            conn.exec_driver_sql("CHECKPOINT")
        else:
            conn.exec_driver_sql("ANALYZE")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def year_of_sales(app, url, count: int, till_id: int, category_id: int):
    """A year of `count` sales at one till (load_year), then the Z report of its open day timed
    against its floor: three sums over the session's rows."""
    from store.extensions import db
    from store.till import services as till
    from store.till.models import Till

    load_year(app, count, till_id, category_id)
    with app.app_context():
        session = till.current_session(db.session.get(Till, till_id))

        def z():
            db.session.expire_all()
            till.session_report(session)

        z()
        ours = timed(z, 20)
        engine = sa.create_engine(url)
        with engine.connect() as conn:

            def raw():
                for sql in (
                    "SELECT l.vat_rate_bp, sum(l.total_cents) FROM sale_line l JOIN sale s ON "
                    "s.id = l.sale_id WHERE s.session_id = :s GROUP BY l.vat_rate_bp",
                    "SELECT p.method, sum(p.amount_cents) FROM payment p JOIN sale s ON "
                    "s.id = p.sale_id WHERE s.session_id = :s GROUP BY p.method",
                    "SELECT l.category_id, sum(l.quantity), sum(l.total_cents) FROM sale_line l "
                    "JOIN sale s ON s.id = l.sale_id WHERE s.session_id = :s GROUP BY "
                    "l.category_id",
                ):
                    conn.execute(sa.text(sql), {"s": session.id}).all()

            raw()
            base = timed(raw, 20)
        engine.dispose()
        return ours, base


# long function: the benchmark's steps, one after the other, each printing its line
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--year-sales", type=int, default=150_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    url, label = database_url()
    app = make_app(url)
    token, codes, article_id, till_ids, category_id = setup(app, ITEMS)
    print(f"Till on {label} ({ITEMS} items, {durability(url)}):", flush=True)
    floor, floor_engine = floor_app(url)
    loose, loose_engine = floor_app(url, "NORMAL")
    with live(app) as port, live(floor) as fport, live(loose) as lport:
        client, fclient, lclient = Client(port, token), Client(fport, ""), Client(lport, "")

        def sale():
            status, body = client.request(
                "POST", "/api/v1/sales", five_lines(codes, article_id, till_ids[0])
            )
            assert status == 201, body

        def raw():
            status, body = fclient.request(
                "POST", "/floor/sale", five_lines(codes, article_id, till_ids[1])
            )
            assert status == 201, body

        def raw_loose():
            status, body = lclient.request(
                "POST", "/floor/sale", five_lines(codes, article_id, till_ids[2])
            )
            assert status == 201, body

        interleaved(sale, raw, 20)  # warm-up: imports, pools, caches
        ours, base = interleaved(sale, raw, args.runs)
        report("5-line sale (HTTP, signed, receipt queued)", ours, base, "HTTP floor")
        if label == "SQLite":
            full, normal = interleaved(raw, raw_loose, args.runs)
            report("floor, synchronous=FULL vs NORMAL", full, normal, "NORMAL")

        lookup_codes = [codes[n] for n in range(0, 4000, 7)]

        def lookup():
            status, _body = client.request("GET", f"/api/v1/items/{random.choice(lookup_codes)}")
            assert status == 200

        def raw_lookup():
            status, _body = fclient.request("GET", f"/floor/items/{random.choice(lookup_codes)}")
            assert status == 200

        interleaved(lookup, raw_lookup, 20)
        ours, base = interleaved(lookup, raw_lookup, args.runs)
        report("code lookup (HTTP)", ours, base, "HTTP floor")

        server = "gunicorn gthread, 2 workers"
        shapes = {
            "ours": ("store:create_app()", 8, None, token),
            "floor": ("till:floor_wsgi()", 8, None, ""),
        }
        with servers(url, shapes) as ports:
            sides = {
                "ours": (ports["ours"], token, codes, article_id, till_ids[:4], False),
                "floor": (ports["floor"], "", codes, article_id, till_ids[4:8], True),
            }
            totals = in_turns(sides, args.seconds, slices=4)
        done, errors, took = totals["ours"]
        lost, twice = checked(app, done)
        print(
            f"  4 tills at once ({server}): {len(done) / took:7.1f} sales/s over {took:.1f} s, "
            f"{len(done)} sales, {len(errors)} refused, lost {lost}, items sold twice {twice}",
            flush=True,
        )
        done, errors, took = totals["floor"]
        print(
            f"  4 tills at once, the floor ({server}, in turns with ours): "
            f"{len(done) / took:7.1f} sales/s, {len(errors)} refused",
            flush=True,
        )
    floor_engine.dispose()
    loose_engine.dispose()
    delayed(app, label, url, token, codes, article_id, till_ids, args.seconds)
    ours, base = year_of_sales(app, url, args.year_sales, till_ids[1], category_id)
    report(f"Z report, one day's session, {args.year_sales} sales in the year", ours, base)


def delayed(app, label, url, token, codes, article_id, till_ids, seconds) -> None:
    """4 and 16 tills with a TSE that takes 200 ms per call, in turns on two servers."""
    slow = {"TSE_SIMULATOR_DELAY_MS": "200"}
    shapes = {n: ("store:create_app()", max(8, n), slow, token) for n in (4, 16)}
    with servers(url, shapes) as ports:
        sides = {n: (ports[n], token, codes, article_id, till_ids[:n], False) for n in (4, 16)}
        totals = in_turns(sides, seconds, slices=2)
    rates = {}
    for n, (done, errors, took) in totals.items():
        lost, twice = checked(app, done)
        rates[n] = len(done) / took
        print(
            f"  {n:2} tills, TSE 200 ms per call: {rates[n]:7.1f} sales/s, {len(errors)} "
            f"refused, lost {lost}, items sold twice {twice}",
            flush=True,
        )
    print(f"  16 tills / 4 tills with the slow TSE: {rates[16] / rates[4]:.2f}x", flush=True)


if __name__ == "__main__":
    sys.exit(main())
