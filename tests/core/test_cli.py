"""The flask commands: users, tokens, demo data, backup and restore, the print worker."""

import pytest
import sqlalchemy as sa

from store.auth.models import User
from store.extensions import db


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
