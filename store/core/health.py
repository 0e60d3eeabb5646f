"""Health checks for a load balancer or systemd: GET /health (the process answers; no database) and
GET /health/ready (the database answers, its migrations are current, and when each worker last
finished a round).

Workers beat by touching a file in the instance folder after every round (`beat`), so the check
needs no table and a worker's beat costs no database write.
"""

import time
from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify

from store.core.access import public
from store.extensions import db

bp = Blueprint("health", __name__)

WORKERS = ("print", "outbox")


def _beat_file(name: str) -> Path:
    return Path(current_app.instance_path) / f"heartbeat-{name}"


def beat(name: str) -> None:
    """A worker finished a round (called by store.core.queue.run_worker)."""
    try:
        path = _beat_file(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    except OSError:
        pass  # a read-only instance folder must not stop the worker


def workers() -> dict[str, float | None]:
    """Seconds since each worker's last round (None: never seen)."""
    now = time.time()
    ages = {}
    for name in WORKERS:
        path = _beat_file(name)
        ages[name] = round(now - path.stat().st_mtime, 1) if path.exists() else None
    return ages


def _migrations_current() -> tuple[bool, list[str], list[str]]:
    directory = current_app.extensions["migrate"].directory
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config(directory))
    heads = sorted(script.get_heads())
    with db.engine.connect() as conn:
        current = sorted(MigrationContext.configure(conn).get_current_heads())
    return current == heads, current, heads


@bp.get("/health")
@public
def alive():
    """The process answers (nothing else is checked: a restart would not help the database)."""
    return jsonify(status="ok")


@bp.get("/health/ready")
@public
def ready():
    """Ready for traffic: 200 when the database answers and its schema is current, else 503."""
    body: dict = {"status": "ready", "workers": workers()}
    try:
        db.session.execute(sa.text("SELECT 1"))
        body["database"] = "ok"
        current, at, heads = _migrations_current()
        body["migrations"] = "current" if current else {"database": at, "code": heads}
    except sa.exc.SQLAlchemyError as exc:
        body["database"] = f"unavailable: {type(exc).__name__}"
        current = False
    ok = body["database"] == "ok" and current
    body["status"] = "ready" if ok else "not ready"
    response = jsonify(body)
    response.status_code = 200 if ok else 503
    if not ok:
        response.headers["Retry-After"] = "5"
    return response
