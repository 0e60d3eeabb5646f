"""The flask commands: users, tokens, demo data, backup and restore, the print worker."""

import os
import sqlite3
import subprocess
import sys

import pytest
import sqlalchemy as sa

from store.auth.models import User
from store.extensions import db
from tests.conftest import PG_URL


@pytest.fixture
def app_config():
    return {"DEMO_ITEMS": 60, "DEMO_HISTORY_DAYS": 3}


def count(table: str) -> int:
    return db.session.scalar(sa.text(f'SELECT count(*) FROM "{table}"'))


def test_user_create_and_token(runner):
    result = runner.invoke(
        args=[
            "user",
            "create",
            "mschulz",
            "--role",
            "supervisor",
            "--password",
            "geheim123",
            "--badge",
            "9000009",
            "--pin",
            "4321",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.username == "mschulz"))
    assert user.badge == "9000009" and user.pin_hash
    bad = runner.invoke(args=["user", "create", "x1", "--role", "king", "--password", "geheim123"])
    assert bad.exit_code != 0
    short = runner.invoke(args=["user", "create", "x2", "--role", "trainee", "--password", "kurz"])
    assert short.exit_code != 0 and count("user") == 1
    token = runner.invoke(args=["api-token", "create", "mschulz"])
    assert token.exit_code == 0
    assert token.output.strip().startswith("kh_") and len(token.output.strip().splitlines()) == 1


def test_demo_data_twice_changes_nothing(runner):
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    assert "admin" in first.output and "1000001" in first.output
    tables = [
        "user",
        "category",
        "item",
        "stock_movement",
        "sale",
        "closing",
        "till",
        "audit_entry",
        "print_job",
    ]
    before = {t: count(t) for t in tables}
    assert before["user"] == 17 and before["till"] == 3 and before["category"] >= 30
    assert before["item"] >= 60 and before["sale"] > 0
    second = runner.invoke(args=["demo-data"])
    assert second.exit_code == 0
    assert {t: count(t) for t in tables} == before


@pytest.mark.skipif(bool(PG_URL), reason="the demo runs on its own SQLite file: once is enough")
def test_demo_data_leaves_no_print_job_half_done(tmp_path):
    """`make demo`'s load, as a command of its own on a day of its own: the demo's voids print a
    receipt and kick the drawer, and all of it is sent by the time the command ends. Nothing is left
    claimed for the print worker to take over once its lease runs out, and nothing failed on the
    way (a wake-up thread used to wait for SQLite's lock, which the load holds, and give up)."""
    (tmp_path / "config.py").write_text("DEMO_ITEMS = 60\nDEMO_HISTORY_DAYS = 20\n")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(KAUFHAUS_DEMO="1", KAUFHAUS_INSTANCE=str(tmp_path), SECRET_KEY="demo")
    on_a_fixed_day = (
        "import sys, time_machine; time_machine.travel('2027-03-02 10:00', tick=True).start(); "
        "from flask.cli import main; sys.argv = ['flask', '--app', 'store', *sys.argv[1:]]; main()"
    )
    for command in (["db", "upgrade"], ["demo-data"]):
        done = subprocess.run(
            [sys.executable, "-c", on_a_fixed_day, *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    assert "failed" not in done.stderr, done.stderr
    with sqlite3.connect(tmp_path / "kaufhaus.db") as conn:
        jobs = conn.execute("SELECT kind, status FROM print_job").fetchall()
    assert {"receipt", "drawer"} <= {kind for kind, _ in jobs}, jobs
    assert {status for _, status in jobs} == {"done"}, jobs


def test_backup_and_restore_round_trip(runner, make_user, tmp_path):
    make_user("admin", username="before")
    target = tmp_path / "backup.dump"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    make_user("admin", username="after")
    db.session.remove()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    db.engine.dispose()
    names = set(db.session.scalars(sa.select(User.username)))
    assert "before" in names and "after" not in names


def test_print_worker_once_sends_due_jobs(runner, shop):
    from store.printing.models import PrintJob
    from store.till import services as t

    t.add_code(shop.actor, shop.till, shop.items[0].code)
    t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 2000)])
    db.session.commit()
    result = runner.invoke(args=["print-worker", "--once"])
    assert result.exit_code == 0
    db.session.expire_all()
    assert {j.status.value for j in db.session.scalars(sa.select(PrintJob))} == {"done"}
