"""Crash test: 4 clients burst sales at the app under gunicorn, the server is killed (kill -9, master
and workers) in the middle of the burst and started again, and the clients re-send what was not
acknowledged, with the same sale ids. Every acknowledged sale is there exactly once, and the Z report
is the sum of the sales. Runs on the test database (SQLite or PostgreSQL)."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from store.extensions import db
from store.till.models import Sale

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
CLIENTS = 4
SALES_PER_CLIENT = 25
KILL_AFTER_ACKS = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving the app on the test database, in its own process group."""

    def __init__(self, uri: str, instance: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": uri,
            "SECRET_KEY": "crash-test",
            "KAUFHAUS_INSTANCE": str(instance),
            "KAUFHAUS_DEMO": "1",  # the TSE simulator signs
            "PYTHONPATH": str(ROOT),
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> "Server":
        self.process = subprocess.Popen(
            [str(GUNICORN), "--workers", "2", "--threads", "2", "--bind", f"127.0.0.1:{self.port}"]
            + ["--chdir", str(ROOT), "--log-level", "warning", "store:create_app()"],
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/health", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not come up")

    def kill(self) -> None:
        """kill -9 of the master and its workers, as a power cut would."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def server(app, tmp_path):
    servers: list[Server] = []

    def make() -> Server:
        s = Server(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "instance").start()
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.kill()


def sale_body(shop, sale_id: str) -> dict:
    return {
        "id": sale_id,
        "till": shop.till.id,
        "lines": [{"article": shop.book_article.id}],
        "payments": [{"method": "cash", "amount_cents": 50}],
    }


def test_acknowledged_sales_survive_kill_9_exactly_once(app, shop, api_token, server):
    cashier, supervisor = api_token(shop.cashier), api_token(shop.supervisor)
    bodies = {str(uuid.uuid4()): None for _ in range(CLIENTS * SALES_PER_CLIENT)}
    for sale_id in bodies:
        bodies[sale_id] = sale_body(shop, sale_id)
    ids = list(bodies)
    acknowledged: set[str] = set()
    lock = threading.Lock()
    first = server()

    def client(mine: list[str]) -> None:
        with requests.Session() as http:
            for sale_id in mine:
                try:
                    answer = http.post(
                        first.url + "/api/v1/sales", json=bodies[sale_id], headers=cashier, timeout=10
                    )
                except requests.RequestException:
                    continue  # not acknowledged: re-sent below
                if answer.status_code in (200, 201):
                    with lock:
                        acknowledged.add(sale_id)

    threads = [
        threading.Thread(target=client, args=(ids[n::CLIENTS],), daemon=True) for n in range(CLIENTS)
    ]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 120
    while len(acknowledged) < KILL_AFTER_ACKS and time.monotonic() < deadline:
        time.sleep(0.01)
    first.kill()  # mid-burst
    for t in threads:
        t.join(timeout=60)
    acked_before = set(acknowledged)
    assert KILL_AFTER_ACKS <= len(acked_before) < len(ids), len(acked_before)

    # Restart; re-send what was not acknowledged, with the same ids, until it is.
    second = server()
    with requests.Session() as http:
        for sale_id in ids:
            if sale_id in acknowledged:
                continue
            for _attempt in range(20):
                try:
                    answer = http.post(
                        second.url + "/api/v1/sales", json=bodies[sale_id], headers=cashier, timeout=10
                    )
                except requests.RequestException:
                    time.sleep(0.5)
                    continue
                if answer.status_code == 503:
                    time.sleep(int(answer.headers.get("Retry-After", "1")))
                    continue
                assert answer.status_code in (200, 201), answer.text
                acknowledged.add(sale_id)
                break
    assert acknowledged == set(ids)

    db.session.expire_all()
    counts = dict(
        db.session.execute(
            sa.select(Sale.uuid, sa.func.count()).where(Sale.till_id == shop.till.id).group_by(Sale.uuid)
        ).all()
    )
    assert set(counts) == set(ids) and set(counts.values()) == {1}  # each sale exactly once
    total = db.session.scalar(
        sa.select(sa.func.sum(Sale.total_cents)).where(Sale.till_id == shop.till.id)
    )
    assert total == 50 * len(ids)

    expected = 10000 + total  # the float and the cash taken
    closing = requests.post(
        second.url + f"/api/v1/tills/{shop.till.id}/session/close",
        json={"counted_cents": expected},
        headers=supervisor,
        timeout=30,
    )
    assert closing.status_code == 200, closing.text
    report = closing.json()
    assert report["report"]["total_cents"] == total
    assert report["report"]["receipts"] == len(ids)
    assert report["expected_cents"] == expected and report["difference_cents"] == 0
