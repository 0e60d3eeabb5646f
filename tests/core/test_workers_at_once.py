"""Workers on several machines against one PostgreSQL: two worker processes take the same queue at
once, and each print job reaches paper exactly once, each unsigned sale is signed once."""

import os
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from store.core import queue
from store.core.audit import Actor
from store.extensions import db
from store.printing import services as printing
from store.printing.models import JobStatus, PrintJob
from store.till import services as t
from store.till.models import Sale
from store.tse.models import FiscalTransaction, TseDevice
from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[2]
pg_only = pytest.mark.skipif(not PG_URL, reason="several machines share a PostgreSQL server")


def start_worker(app, log: Path, *command: str) -> subprocess.Popen:
    env = {**os.environ, "KAUFHAUS_INSTANCE": app.instance_path, "PYTHONPATH": str(ROOT)}
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests/tools/worker.py"), url, str(log), *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_all(workers: list[subprocess.Popen], seconds: float = 120) -> None:
    for worker in workers:
        try:
            output, _ = worker.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        assert worker.returncode == 0, output.decode(errors="replace")[-3000:]


@pg_only
def test_two_worker_processes_print_each_job_once_and_sign_each_sale_once(app, shop, tmp_path):
    printer = shop.till.receipt_printer
    jobs = [
        printing.enqueue(Actor.system(), printer, "test", f"job {n}".encode(), title=f"job {n}")
        for n in range(120)
    ]
    db.session.commit()  # the plain commit: no wake-up, the workers do it all
    payloads = [job.payload for job in jobs]
    device = db.session.scalar(sa.select(TseDevice))
    numbers_before = device.last_tx_number if device else 0
    unsigned = []
    for n in range(3):
        item = shop.items[n]
        sale, _created = t.sell(
            shop.actor,
            shop.till,
            str(uuid.uuid4()),
            [t.LineIn(code=item.code)],
            [t.PaymentIn("cash", 2000)],
            sign=False,  # booked and committed, then the process died before the TSE
        )
        db.session.commit()
        unsigned.append(sale.id)
    db.session.remove()

    log = tmp_path / "printed.log"
    wait_all([start_worker(app, log), start_worker(app, log)])

    printed = Counter(bytes.fromhex(line) for line in log.read_text().split())
    assert all(printed[payload] == 1 for payload in payloads), "a job printed twice or not at all"
    rows = db.session.scalars(sa.select(PrintJob).where(PrintJob.kind == "test")).all()
    assert {(row.status, row.attempts) for row in rows} == {(JobStatus.DONE, 1)}
    for sale_id in unsigned:
        fiscal = db.session.scalars(
            sa.select(FiscalTransaction).where(FiscalTransaction.sale_id == sale_id)
        ).all()
        assert [row.state for row in fiscal] == ["signed"]
        receipts = printing.jobs_for(("sale", str(sale_id)))
        assert [job.status for job in receipts] == [JobStatus.DONE]
        assert printed[receipts[0].payload] == 1
    device = db.session.scalar(sa.select(TseDevice))
    assert device.last_tx_number - numbers_before == len(unsigned)  # the TSE signed each sale once
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == len(unsigned)


@pg_only
def test_exclusive_is_given_to_one_transaction_at_a_time(app):
    key = {"k": _key("retention")}
    try_lock = sa.text("select pg_try_advisory_xact_lock(:k)")
    with db.engine.connect() as other:  # another worker
        assert queue.exclusive("retention")
        assert other.scalar(try_lock, key) is False  # not while this transaction runs
        other.rollback()
        db.session.commit()  # given back at the commit
        assert other.scalar(try_lock, key) is True
        assert queue.exclusive("retention") is False  # now the other one has it
        other.rollback()


def _key(name: str) -> int:
    import hashlib

    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def test_claim_next_takes_each_due_row_once(app, shop):
    printer = shop.till.receipt_printer
    for n in range(3):
        printing.enqueue(Actor.system(), printer, "test", b"x%d" % n, title="x")
    db.session.commit()
    from store.core.timeutil import utcnow

    now = utcnow()
    held = [queue.claim_next(printing.PRINT_QUEUE, now) for _ in range(4)]
    assert [h is not None for h in held] == [True, True, True, False]
    assert len({h.row_id for h in held[:3]}) == 3
    assert all(db.session.get(PrintJob, h.row_id).status == JobStatus.PRINTING for h in held[:3])
