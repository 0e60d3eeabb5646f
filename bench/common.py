"""Shared helpers for the benchmarks: a migrated database, a live server, timing."""

import http.client
import json
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
logging.getLogger("werkzeug").setLevel(logging.WARNING)


def database_url() -> tuple[str, str]:
    """(url, label): BENCH_DATABASE_URL (PostgreSQL server, a database is made) or SQLite."""
    server = os.environ.get("BENCH_DATABASE_URL")
    if not server:
        folder = tempfile.mkdtemp(prefix="kaufhaus-bench-")
        return f"sqlite:///{folder}/bench.db", "SQLite"
    from sqlalchemy.engine import make_url

    url = make_url(server).set(drivername="postgresql+psycopg")
    name = f"kh_bench_{os.getpid()}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False), "PostgreSQL"


def make_app(url: str):
    os.environ.setdefault("KAUFHAUS_INSTANCE", tempfile.mkdtemp(prefix="kaufhaus-bench-inst-"))
    from flask_migrate import upgrade

    from store import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "PRINT_IN_REQUEST": False,
        }
    )
    with app.app_context():
        upgrade()
    return app


@contextmanager
def live(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()


class Client:
    """A keep-alive HTTP client, as a till's browser would hold one connection."""

    def __init__(self, port: int, token: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def request(self, method: str, path: str, body=None) -> tuple[int, dict | bytes]:
        payload = json.dumps(body) if body is not None else None
        try:
            self.conn.request(method, path, body=payload, headers=self.headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # gunicorn's sync workers close the connection after each answer: connect again and
            # send the same request (a sale carries its id, so a resend books it once).
            self.conn.close()
            self.conn.request(method, path, body=payload, headers=self.headers)
            response = self.conn.getresponse()
        data = response.read()
        if response.getheader("Content-Type", "").endswith("json"):
            return response.status, json.loads(data)
        return response.status, data


def timed(fn, runs: int) -> list[float]:
    """Milliseconds per run."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(
    title: str, ours: list[float], baseline: list[float] | None = None, baseline_label: str = "raw SQL"
) -> None:
    def stats(times):
        ordered = sorted(times)
        p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
        return statistics.median(ordered), p95

    med, p95 = stats(ours)
    line = f"  {title:44} median {med:8.2f} ms  p95 {p95:8.2f} ms"
    if baseline:
        bmed, bp95 = stats(baseline)
        line += (
            f"   | {baseline_label}: median {bmed:7.2f} ms  p95 {bp95:7.2f} ms"
            f"  | ratio {med / bmed:5.1f}x median, {p95 / bp95:5.1f}x p95"
        )
    print(line, flush=True)


def in_first_branch(rows: list[dict]) -> list[dict]:
    """Rows written in bulk name their branch themselves: the first branch's (a single shop's),
    made if there is none yet."""
    from store.branches.models import first_branch
    from store.extensions import db

    branch = first_branch(db.session)
    db.session.flush()
    return [dict(row, branch_id=branch.id) for row in rows]
