"""The reports: the dashboard for a year over 150 000 sales and 100 000 items (the page over HTTP,
and the service alone) beside raw SQL of the same aggregates; the funders' monthly PDF.

    .venv/bin/python bench/reports.py [--sales 150000] [--items 100000] [--runs 5]
    BENCH_DATABASE_URL=postgresql://… .venv/bin/python bench/reports.py

Targets (issue 17): the dashboard ≤ 300 ms on both databases, the monthly PDF ≤ 2 s.
"""

import argparse
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from common import database_url, in_first_branch, make_app, report, timed  # noqa: I001

YEAR = 2025
CHUNK = 10_000


def line_row(sale_id: int, position: int, category_id: int, rate: int, amount: int) -> dict:
    return {
        **{"sale_id": sale_id, "position": position, "category_id": category_id, "description": "x"},
        **{"quantity": 1, "label_price_cents": amount, "unit_price_cents": amount},
        **{"markdown_percent": 0, "discount_percent": 0, "discount_cents": 0},
        **{"eligibility_discount_cents": 0, "vat_rate_bp": rate, "total_cents": amount},
    }


def sale_row(sale_id: int, till_id: int, session_id: int, at: datetime, total: int) -> dict:
    return {
        **{"id": sale_id, "uuid": str(uuid.uuid4()), "kind": "sale", "till_id": till_id},
        **{"session_id": session_id, "receipt_number": 1_000_000 + sale_id, "started_at": at},
        **{"created_at": at, "cashier_label": "b", "total_cents": total},
    }


def setup(app, n_sales: int, n_items: int) -> dict:  # noqa: C901 - one bulk load, step by step
    from store.auth import services as auth
    from store.core.audit import Actor
    from store.extensions import db
    from store.goods import services as goods
    from store.goods.models import Item, StockMovement
    from store.shifts.models import AttendanceEntry, Shift, Station
    from store.till import services as till
    from store.till.models import Payment, Sale, SaleLine

    rng = random.Random(17)
    with app.app_context():
        actor = Actor.system()
        auth.create_user(
            actor, username="chefin", role="coordinator", password="bench-pass-1", first_name="C"
        )
        trainees = [
            auth.create_user(
                actor, username=f"t{n}", role="trainee", password="bench-pass-1", first_name="T"
            )
            for n in range(12)
        ]
        leaves = []
        for top, rate in (
            ("Kleidung", 1900),
            ("Möbel", 1900),
            ("Bücher", 700),
            ("Elektro", 1900),
            ("Hausrat", 1900),
        ):
            parent = goods.save_category(actor, None, name=top, vat_rate_bp=rate)
            db.session.flush()
            for child in range(3):
                leaves.append(
                    (
                        goods.save_category(
                            actor, None, name=f"{top} {child}", parent_id=parent.id, vat_rate_bp=rate
                        ),
                        rate,
                    )
                )
        tills = [till.save_till(actor, None, name=f"Kasse {n}", serial=f"R{n}") for n in range(1, 4)]
        station = Station(name="Kasse", staffed_weekdays=[0, 1, 2, 3, 4], sort=1, is_active=True)
        db.session.add(station)
        db.session.commit()
        sessions = []
        for t in tills:
            sessions.append(till.open_session(actor, t, float_cents=10000).id)
        db.session.commit()
        start = datetime(YEAR, 1, 1, 8, 0, tzinfo=UTC)
        # items: taken in over the year; the first 60 % are sold, 5 % written off
        items, moves = [], []
        for i in range(1, n_items + 1):
            cat, _rate = rng.choice(leaves)
            taken = start + timedelta(minutes=i * 5)
            sold = i <= n_items * 0.6
            items.append(
                {
                    "id": i,
                    "code": None,
                    "category_id": cat.id,
                    "description": "x",
                    "price_cents": 500,
                    "condition": "good",
                    "taken_in_at": taken,
                    "status": "sold" if sold else ("written_off" if i % 20 == 0 else "in_stock"),
                }
            )
            moves.append(
                {"at": taken, "kind": "intake", "item_id": i, "quantity": 1, "price_cents": 500}
            )
            if sold:
                moves.append(
                    {
                        "at": taken + timedelta(days=rng.randrange(1, 60)),
                        "kind": "sale",
                        "item_id": i,
                        "quantity": -1,
                    }
                )
            elif i % 20 == 0:
                moves.append(
                    {
                        "at": taken + timedelta(days=30),
                        "kind": "write_off",
                        "item_id": i,
                        "quantity": -1,
                        "reason": "damaged",
                    }
                )
        for k in range(0, len(items), CHUNK):
            db.session.execute(sa.insert(Item), in_first_branch(items[k : k + CHUNK]))
        for k in range(0, len(moves), CHUNK):
            db.session.execute(sa.insert(StockMovement), moves[k : k + CHUNK])
        db.session.commit()
        step = 365 * 24 * 60 / n_sales  # minutes between sales over the year
        for chunk in range(0, n_sales, CHUNK):
            sales, lines, pays = [], [], []
            for k in range(chunk, min(chunk + CHUNK, n_sales)):
                sid = k + 1
                at = start + timedelta(minutes=k * step)
                till_no = k % 3
                total = 0
                for position in range(1, rng.randrange(2, 4)):
                    cat, rate = rng.choice(leaves)
                    amount = rng.randrange(50, 3000, 10)
                    total += amount
                    lines.append(line_row(sid, position, cat.id, rate, amount))
                sale = sale_row(sid, tills[till_no].id, sessions[till_no], at, total)
                sales.append({**sale, "cashier_id": trainees[k % 12].id, "eligibility": k % 9 == 0})
                pays.append(
                    {"sale_id": sid, "method": rng.choice(["cash", "card"]), "amount_cents": total}
                )
            db.session.execute(sa.insert(Sale), sales)
            db.session.execute(sa.insert(SaleLine), lines)
            db.session.execute(sa.insert(Payment), pays)
            db.session.commit()
        # a year of attendance: 12 trainees, weekdays, 4 h each
        shifts, entries = [], []
        now = datetime.now(UTC)
        day = date(YEAR, 1, 1)
        while day.year == YEAR:
            if day.weekday() < 5:
                for t in trainees:
                    at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=8)
                    shifts.append(
                        {
                            **{"user_id": t.id, "station_id": station.id, "day": day},
                            **{"starts_at": at, "ends_at": at + timedelta(hours=4), "status": "planned"},
                            **{"sequence": 0, "created_at": now, "updated_at": now},
                        }
                    )
                    entries.append(
                        {
                            **{"user_id": t.id, "day": day, "code": "present", "minutes": 240},
                            **{"confirmed_at": now, "source": "bench"},
                        }
                    )
            day += timedelta(days=1)
        db.session.execute(sa.insert(Shift), shifts)
        db.session.execute(sa.insert(AttendanceEntry), entries)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            for table in ("sale", "item", "stock_movement"):
                db.session.execute(
                    sa.text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                )
            db.session.commit()
            db.session.execute(sa.text("ANALYZE"))
        else:
            db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return {}


RAW = [
    # the same aggregates the dashboard reads, for the year and the year before
    "SELECT {day}, s.till_id, l.vat_rate_bp, l.category_id, sum(l.total_cents), sum(l.quantity) "
    "FROM sale s JOIN sale_line l ON l.sale_id = s.id "
    "WHERE s.created_at >= :a AND s.created_at < :b AND s.training = false GROUP BY 1, 2, 3, 4",
    "SELECT kind, eligibility, count(*), sum(total_cents) FROM sale WHERE created_at >= :a AND "
    "created_at < :b AND training = false GROUP BY 1, 2",
    "SELECT p.method, sum(p.amount_cents) FROM payment p JOIN sale s ON s.id = p.sale_id WHERE "
    "s.created_at >= :a AND s.created_at < :b AND s.training = false GROUP BY 1",
    "SELECT category_id, count(*) FROM item WHERE taken_in_at >= :a AND taken_in_at < :b GROUP BY 1",
    "SELECT i.category_id, m.kind, sum(m.quantity) FROM stock_movement m "
    "JOIN item i ON i.id = m.item_id WHERE m.at >= :a AND m.at < :b "
    "AND m.kind IN ('sale', 'return', 'write_off', 'correction') GROUP BY 1, 2",
    "SELECT count(*) FROM item WHERE status = 'in_stock'",
    "SELECT sum(minutes) FROM attendance_entry WHERE day >= :da AND day < :db",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sales", type=int, default=150_000)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url, label = database_url()
    print(f"-- {label}: {args.sales} sales, {args.items} items over {YEAR}", flush=True)
    app = make_app(url)
    started = time.perf_counter()
    setup(app, args.sales, args.items)
    print(f"  (loaded in {time.perf_counter() - started:.0f} s)", flush=True)

    from store.extensions import db
    from store.reports import pdf, services

    year = services.Period(date(YEAR, 1, 1), date(YEAR, 12, 31))
    with app.app_context():
        # the print worker stores the closed days' figures once a day (the day store), as on
        # 1 January after the year: no user waits for them
        from store.reports.services import days

        fill_at = datetime(YEAR + 1, 1, 1, 12, 0, tzinfo=UTC)
        fill = timed(lambda: (days.fill_closed_days(fill_at), db.session.commit()), 1)
        first = timed(lambda: (db.session.expire_all(), services.dashboard(year)), 1)
        ours = timed(lambda: (db.session.expire_all(), services.dashboard(year)), args.runs)
    client = app.test_client()
    with app.app_context():
        from store.auth.models import User

        user = db.session.scalar(sa.select(User).where(User.username == "chefin"))
        token = None
        from store.auth import services as auth
        from store.core.audit import Actor

        _t, token = auth.create_api_token(Actor.system(), user, "bench")
        db.session.commit()
    client.post("/login", data={"username": "chefin", "password": "bench-pass-1"})
    page = timed(lambda: client.get(f"/reports/?from={YEAR}-01-01&to={YEAR}-12-31"), args.runs)
    api = timed(
        lambda: client.get(
            f"/api/v1/reports/sales?from={YEAR}-01-01&to={YEAR}-12-31&group=month",
            headers={"Authorization": f"Bearer {token}"},
        ),
        args.runs,
    )
    engine = sa.create_engine(url)
    day = (
        "(s.created_at AT TIME ZONE 'Europe/Berlin')::date"
        if engine.dialect.name == "postgresql"
        else "date(s.created_at, '+60 minutes')"
    )
    with engine.connect() as conn:

        def raw():
            for first, last in (
                (date(YEAR, 1, 1), date(YEAR + 1, 1, 1)),
                (date(YEAR - 1, 1, 1), date(YEAR, 1, 1)),
            ):
                a = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
                b = datetime.combine(last, datetime.min.time(), tzinfo=UTC)
                if engine.dialect.name == "sqlite":
                    a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
                for sql in RAW:
                    conn.execute(
                        sa.text(sql.format(day=day)), {"a": a, "b": b, "da": first, "db": last}
                    ).all()

        baseline = timed(raw, args.runs)
    report("the worker's daily fill of two years' closed days (no user waits)", fill)
    report("first dashboard of the year (after the worker's fill)", first, baseline)
    report("dashboard service, a year (and the year before)", ours, baseline)
    report("dashboard page over HTTP (rendered)", page, baseline)
    report("API /reports/sales, a year by month", api)
    month = services.month_period(YEAR, 11)
    with app.app_context():
        pdf_times = timed(
            lambda: (db.session.expire_all(), pdf.funders_pdf(services.funders_report(month))), 3
        )
    report("funders' monthly PDF (November)", pdf_times)
    print("  targets: dashboard ≤ 300 ms, monthly PDF ≤ 2000 ms", flush=True)


if __name__ == "__main__":
    main()
