"""Several shops on one PostgreSQL: 10 branches × 4 tills, a year of sales in each, two app servers;
every figure beside the single shop's, measured in the same run on the same database.

- sales per second and the p95 of a sale: the 40 tills of all branches selling at once through two
  app servers (gunicorn gthread, one worker each, the tills shared between them), beside the 4 tills
  of one branch selling alone through the same two servers;
- the Z report of one till's day, for a till of every branch (median over the branches), with a
  year of every branch's sales in the database, beside the same report with one branch's year only
  (measured first, before the other branches' years are loaded);
- the reports dashboard of 12 months (with turnover by branch, and of one branch chosen), beside the
  same with one shop's year.

    BENCH_DATABASE_URL=postgresql://… .venv/bin/python bench/branches.py [--branches 10]
        [--year-sales 40000] [--seconds 10]

On SQLite it says so and stops: several shops are served from PostgreSQL.
"""

import argparse
import random
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from common import Client, database_url, make_app, report, timed  # noqa: I001
from till import checked, durability, five_lines, gunicorn_server, load_year, warm_up

TILLS = 4
ITEMS_PER_BRANCH = 20_000


def setup(app, branches: int) -> list[dict]:
    """Branches, each with 4 open tills on virtual printers, a cashier with an API token and its
    labelled items. Returns one dict per branch."""
    from store.auth import services as auth
    from store.branches import services as branch_services
    from store.core.audit import Actor
    from store.extensions import db
    from store.goods import services as goods
    from store.goods.codes import make_code
    from store.goods.models import Item
    from store.printing.services import save_printer
    from store.till import services as till

    made = []
    with app.app_context():
        actor = Actor.system()
        category = goods.save_category(actor, None, name="Hausrat", vat_rate_bp=1900)
        books = goods.save_category(actor, None, name="Bücher", vat_rate_bp=700)
        article = goods.save_article(actor, None, name="Buch", category_id=books.id, price_cents=100)
        next_item = 1
        for b in range(1, branches + 1):
            branch = (
                branch_services.get_branch(branch_services.first_branch_id())
                if b == 1
                else branch_services.save_branch(actor, None, name=f"Filiale {b}", address=f"Straße {b}")
            )
            user = auth.create_user(
                actor, username=f"kasse{b}", role="trainee", password="bench-pass", first_name="Bench"
            )
            branch_services.set_user_branches(actor, user, [branch])
            tills = []
            for n in range(1, TILLS + 1):
                printer = save_printer(
                    actor, None, name=f"Bon {b}-{n}", backend="virtual", params={}, branch_id=branch.id
                )
                db.session.flush()
                tills.append(
                    till.save_till(
                        actor,
                        None,
                        name=f"Kasse {b}-{n}",
                        serial=f"B{b}K{n}",
                        receipt_printer_id=printer.id,
                        branch_id=branch.id,
                    )
                )
            db.session.commit()
            for t in tills:
                till.open_session(actor, t, float_cents=10000)
            now = datetime.now(UTC)
            ids = range(next_item, next_item + ITEMS_PER_BRANCH)
            db.session.execute(
                sa.insert(Item),
                [
                    {
                        "id": i,
                        "code": make_code(i),
                        "category_id": category.id,
                        "description": f"Artikel {i}",
                        "price_cents": 250,
                        "condition": "good",
                        "taken_in_at": now,
                        "status": "in_stock",
                        "branch_id": branch.id,
                    }
                    for i in ids
                ],
            )
            next_item += ITEMS_PER_BRANCH
            token = auth.create_api_token(actor, user)[1]
            db.session.commit()
            codes = [make_code(i) for i in ids]
            random.Random(b).shuffle(codes)
            made.append(
                {"id": branch.id, "token": token, "codes": codes, "tills": [t.id for t in tills]}
            )
        db.session.execute(sa.text("SELECT setval('item_id_seq', (SELECT max(id) FROM item))"))
        db.session.commit()
        for shop in made:
            shop["article"], shop["category"] = article.id, category.id
    return made


def year_of_sales(app, shop: dict, count: int, seed: int) -> None:
    """A year of `count` sales in one branch, spread over its tills (till.load_year each)."""
    for n, till_id in enumerate(shop["tills"]):
        load_year(app, count // len(shop["tills"]), till_id, shop["category"], seed * 100 + n)


def selling(ports: list[int], shops: list[dict], seconds: float):
    """Every till of these shops sells as fast as it can for `seconds`, the tills dealt out over
    the app servers. (sale ids booked, sale times in ms, refused, seconds taken)."""
    done, times, refused = [], [], []
    lock = threading.Lock()
    tills = [(shop, till_id) for shop in shops for till_id in shop["tills"]]
    gate = threading.Barrier(len(tills) + 1)
    stop = [0.0]

    def loop(n: int, shop: dict, till_id: int) -> None:
        client = Client(ports[n % len(ports)], shop["token"])
        client.request("GET", "/api/v1/tills")  # connected before the clock starts
        gate.wait()
        while time.monotonic() < stop[0]:
            with lock:
                if len(shop["codes"]) < 4:
                    return
                body = five_lines(shop["codes"], shop["article"], till_id)
            began = time.perf_counter()
            status, _answer = client.request("POST", "/api/v1/sales", body)
            took = (time.perf_counter() - began) * 1000
            with lock:
                (done if status == 201 else refused).append((body["id"], status))
                times.append(took)

    threads = [threading.Thread(target=loop, args=(n, s, t)) for n, (s, t) in enumerate(tills)]
    for thread in threads:
        thread.start()
    stop[0] = time.monotonic() + seconds
    began = time.monotonic()
    gate.wait()
    for thread in threads:
        thread.join()
    return done, times, refused, time.monotonic() - began


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)] if ordered else float("nan")


def z_reports(app, shops: list[dict]) -> list[float]:
    """The Z report (as the closing computes it) of the first till of every branch: median ms."""
    from store.extensions import db
    from store.till import services as till
    from store.till.models import Till

    per_branch = []
    with app.app_context():
        for shop in shops:
            session = till.current_session(db.session.get(Till, shop["tills"][0]))

            def z(session=session):
                db.session.expire_all()
                till.session_report(session)

            z()
            per_branch.append(statistics.median(timed(z, 10)))
        db.session.remove()
    return per_branch


def dashboard(app, branch_id: int | None = None) -> list[float]:
    """The reports dashboard of the last 12 months (turnover by branch among its figures; of one
    branch, as the header's switcher chooses it), after the worker's daily fill of the closed days,
    as a user opens it: ms per run."""
    from store.extensions import db
    from store.reports import services
    from store.reports.services import days

    today = datetime.now(UTC).date()
    year = services.Period(today - timedelta(days=364), today)
    with app.app_context(), app.test_request_context():
        days.fill_closed_days(datetime.now(UTC))
        db.session.commit()

        def show():
            db.session.expire_all()
            services.dashboard(year, branches=frozenset({branch_id}) if branch_id else None)

        show()
        times = timed(show, 5)
        db.session.remove()
    return times


# long function: the benchmark's steps, one after the other, each printing its line
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--branches", type=int, default=10)
    parser.add_argument("--year-sales", type=int, default=40_000, help="sales per branch and year")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    url, label = database_url()
    if label != "PostgreSQL":
        print("Branches: several shops run on PostgreSQL (BENCH_DATABASE_URL); skipped on SQLite.")
        return
    app = make_app(url)
    shops = setup(app, args.branches)
    print(
        f"Branches on {label} ({args.branches} branches × {TILLS} tills, {ITEMS_PER_BRANCH} items and "
        f"{args.year_sales} sales a year each, {durability(url)}):",
        flush=True,
    )
    year_of_sales(app, shops[0], args.year_sales, seed=1)
    single_z, single_dashboard = z_reports(app, shops[:1]), dashboard(app)
    for n, shop in enumerate(shops[1:], start=2):
        year_of_sales(app, shop, args.year_sales, seed=n)
    many_z = z_reports(app, shops)
    report(
        "Z report of a till's day, per branch (median)",
        many_z,
        single_z * len(many_z),
        "single shop",
    )
    report("dashboard, 12 months, all branches", dashboard(app), single_dashboard, "single shop")
    report(
        "dashboard, 12 months, one branch chosen",
        dashboard(app, shops[-1]["id"]),
        single_dashboard,
        "single shop",
    )

    servers = [gunicorn_server(url, workers=1, threads=2 * TILLS * args.branches // 2) for _ in range(2)]
    try:
        ports = [port for _proc, port in servers]
        for port in ports:
            warm_up(port, shops[0]["token"], connections=8, seconds=2)
        rows = []
        for name, taking in (("1 branch, 4 tills", shops[:1]), (f"{len(shops)} branches", shops)):
            done, times, refused, took = selling(ports, taking, args.seconds)
            lost, twice = checked(app, done)
            rows.append((name, len(done) / took, statistics.median(times), _p95(times)))
            print(
                f"  {name:22} through 2 app servers: {len(done) / took:7.1f} sales/s, sale median "
                f"{statistics.median(times):6.1f} ms p95 {_p95(times):6.1f} ms, {len(refused)} refused, "
                f"lost {lost}, items sold twice {twice}",
                flush=True,
            )
        print(
            f"  {rows[1][0]} vs {rows[0][0]}: {rows[1][1] / rows[0][1]:.2f}x the sales/s, "
            f"p95 {rows[1][3] / rows[0][3]:.2f}x",
            flush=True,
        )
    finally:
        for proc, _port in servers:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
