"""Scale-out on PostgreSQL: two app server processes and two worker processes against one database.
The tills of two branches sell at once through both app servers (the same sale sent to both at once,
too): no sale lost or doubled, every print job printed exactly once, each sale a crash left unsigned
signed once by the workers, and each branch's DSFinV-K export reconciles on its own."""

import csv
import io
import os
import subprocess
import sys
import threading
import uuid
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from store.auth import services as auth
from store.auth.models import User
from store.branches import services as branches
from store.core.audit import Actor
from store.core.timeutil import to_local
from store.extensions import db
from store.fiscal import dsfinvk
from store.printing import services as printing
from store.printing.models import JobStatus, PrintJob
from store.till import services as t
from store.till.models import Sale, Till
from store.tse.models import FiscalTransaction
from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[2]
SALES_PER_TILL = 12
pytestmark = pytest.mark.skipif(not PG_URL, reason="app servers on several machines share PostgreSQL")


def spawn(app, script: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "KAUFHAUS_INSTANCE": app.instance_path, "PYTHONPATH": str(ROOT)}
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests/tools" / script), url, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def port_of(server: subprocess.Popen) -> int:
    for line in server.stdout:
        if line.startswith(b"PORT "):
            return int(line.split()[1])
    raise AssertionError("the app server did not start")


def cents(text: str) -> int:
    return int(Decimal(text.replace(",", ".")) * 100)


def rows(archive: bytes, name: str) -> list[dict]:
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        text = z.read(name).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'))


def second_branch_till(shop) -> Till:
    """The till of a second branch, Kaufhaus Nord; the supervisor (whose token sells) works in both."""
    north = branches.save_branch(Actor.system(), None, name="Kaufhaus Nord", address="Nordweg 2")
    db.session.flush()
    branches.set_user_branches(Actor.system(), shop.supervisor, [shop.till.branch, north])
    printer = printing.save_printer(
        Actor.system(), None, name="Bondrucker 2", backend="virtual", params={}, branch_id=north.id
    )
    db.session.flush()
    till = t.save_till(
        Actor.system(),
        None,
        name="Kasse 2",
        serial="K2-0002",
        receipt_printer_id=printer.id,
        branch_id=north.id,
    )
    db.session.commit()
    t.open_session(Actor(user=shop.cashier, source="web", till_id=till.id), till, float_cents=5000)
    db.session.commit()
    return till


def stock_of_branches(items, branch_ids: list[int]) -> list[str]:
    """Each till sells its own branch's stock: SALES_PER_TILL items for each till in turn, then one
    crashed sale's item for each. The codes, in that order."""
    till_of = [n // SALES_PER_TILL for n in range(len(branch_ids) * SALES_PER_TILL)]
    till_of += list(range(len(branch_ids)))
    for item, till_no in zip(items, till_of, strict=True):
        item.branch_id = branch_ids[till_no]
    db.session.commit()
    return [item.code for item in items]


def test_two_app_servers_and_two_workers_on_one_database(app, shop, take_in, tmp_path):
    tills = [shop.till, second_branch_till(shop)]
    names = [till.name for till in tills]
    branch_ids = [till.branch_id for till in tills]
    serials = [till.serial for till in tills]
    items = take_in(shop.clothes, "Hemd", 1000, quantity=2 * SALES_PER_TILL + 2)
    codes = stock_of_branches(items, branch_ids)
    boss_id = shop.supervisor.id
    _token, token = auth.create_api_token(Actor.system(), shop.supervisor, "Kassen")
    db.session.commit()
    crashed = []  # booked, then the process died before the TSE: the workers sign them
    for till, code in zip(tills, codes[-2:], strict=True):
        actor = Actor(user=shop.cashier, source="web", till_id=till.id)
        lines, paid = [t.LineIn(code=code)], [t.PaymentIn("cash", 1000)]
        sale, _new = t.sell(actor, till, str(uuid.uuid4()), lines, paid, sign=False)
        db.session.commit()
        crashed.append(sale.id)
    db.session.remove()

    log, stop = tmp_path / "printed.log", tmp_path / "stop"
    servers = [spawn(app, "server.py", str(log)) for _ in range(2)]
    workers = []
    try:
        urls = [f"http://127.0.0.1:{port_of(server)}/api/v1/sales" for server in servers]
        workers = [spawn(app, "worker.py", str(log), str(stop)) for _ in range(2)]
        answers: list[tuple[str, int, dict]] = []
        lock = threading.Lock()

        def sell(till_no: int) -> None:
            http = requests.Session()
            http.headers["Authorization"] = f"Bearer {token}"
            for n in range(SALES_PER_TILL):
                code = codes[till_no * SALES_PER_TILL + n]
                body = {
                    "id": str(uuid.uuid4()),
                    "till": names[till_no],
                    "lines": [{"code": code}],
                    "payments": [{"method": "cash", "amount_cents": 1000}],
                }
                targets = urls if n % 4 == 0 else [urls[(n + till_no) % 2]]  # some to both at once
                done: list = []

                def post(url: str, body: dict = body, done: list = done) -> None:
                    done.append(http.post(url, json=body, timeout=60))

                threads = [threading.Thread(target=post, args=(u,)) for u in targets]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                with lock:
                    answers.extend((body["id"], r.status_code, r.json()) for r in done)

        sellers = [threading.Thread(target=sell, args=(i,)) for i in range(len(tills))]
        for seller in sellers:
            seller.start()
        for seller in sellers:
            seller.join(300)
        stop.touch()
        for worker in workers:
            output, _ = worker.communicate(timeout=300)
            assert worker.returncode == 0, output.decode(errors="replace")[-3000:]
    finally:
        stop.touch()
        for process in servers + workers:
            if process.poll() is None:
                process.terminate()
                process.wait(10)

    # every sale booked once, whichever server answered, even when both got it at once
    assert all(status in (200, 201) for _id, status, _body in answers), answers
    sent = {sale_id for sale_id, _status, _body in answers}
    assert len(sent) == len(tills) * SALES_PER_TILL
    sales = db.session.scalars(sa.select(Sale)).all()
    assert len(sales) == len(sent) + len(crashed)
    assert {s.uuid for s in sales} >= sent
    for _sale_id, _status, body in answers:
        assert body["tse"]["state"] == "signed", body
    # each sale one signed TSE transaction, the crashed ones signed by the workers
    fiscal = Counter(
        db.session.scalars(
            sa.select(FiscalTransaction.sale_id).where(FiscalTransaction.sale_id.is_not(None))
        )
    )
    assert set(fiscal) == {s.id for s in sales} and set(fiscal.values()) == {1}
    # every print job printed exactly once (the servers' wake-ups and the workers together)
    jobs = db.session.scalars(sa.select(PrintJob)).all()
    assert {(job.status, job.attempts) for job in jobs} == {(JobStatus.DONE, 1)}
    printed = Counter(bytes.fromhex(line) for line in log.read_text().split())
    assert all(printed[job.payload] == 1 for job in jobs)
    assert len([j for j in jobs if j.kind == "receipt"]) == len(sales)

    # each till closes; its closing's DSFinV-K export reconciles on its own
    days = set()
    for till in db.session.scalars(sa.select(Till).where(Till.name.in_(names))):
        boss = Actor(user=db.session.get(User, boss_id), source="web", till_id=till.id)
        session = t.current_session(till)
        closing = t.close_session(boss, till, counted_cents=t.expected_cash(session))
        db.session.commit()
        days.add(to_local(closing.closed_at).date())
        archive = dsfinvk.export_closing(closing).file.read()
        booked = sum(s.total_cents for s in sales if s.till_id == till.id)
        cases = rows(archive, "businesscases.csv")
        assert sum(cents(r["Z_UMS_BRUTTO"]) for r in cases if r["GV_TYP"] == "Umsatz") == booked
        bons = [b for b in rows(archive, "transactions.csv") if b["BON_TYP"] == "Beleg"]
        assert {b["BON_ID"] for b in bons} >= {s.uuid for s in sales if s.till_id == till.id}
        # the receipts add up to the closing's business cases (sales, the float)
        assert sum(cents(b["UMS_BRUTTO"]) for b in bons) == sum(cents(r["Z_UMS_BRUTTO"]) for r in cases)
        assert closing.report["total_cents"] == booked
    # and each branch's export holds its own till only, and its receipts add up to its closing
    for till_no, branch_id in enumerate(branch_ids):
        files = dsfinvk.export_range(min(days), max(days), branch_id).file.read()
        closings = rows(files, "cashpointclosing.csv")
        assert [c["Z_KASSE_ID"] for c in closings] == [serials[till_no]]
        bons = [b for b in rows(files, "transactions.csv") if b["BON_TYP"] == "Beleg"]
        cases = rows(files, "businesscases.csv")
        assert sum(cents(b["UMS_BRUTTO"]) for b in bons) == sum(cents(r["Z_UMS_BRUTTO"]) for r in cases)
