"""Upgrading a database of the release before: the reports' day store (derived data) is emptied and
keyed by branch, and API tokens keep working with no branch (every branch)."""

from datetime import date

import sqlalchemy as sa
from flask_migrate import upgrade

from store import create_app
from store.extensions import db
from tests.conftest import base_config
from tests.tools.old_rows import insert

BEFORE = "d3f8a2c61e90"  # main's head before the branch gaps
DAY_STORE = (
    "report_day",
    "report_sales_day",
    "report_receipts_day",
    "report_payments_day",
    "report_goods_day",
)


def test_the_day_store_is_emptied_and_tokens_survive(databases, tmp_path, monkeypatch):
    monkeypatch.setenv("KAUFHAUS_INSTANCE", str(tmp_path))
    uri = databases.empty()
    app = create_app(base_config(uri, tmp_path))
    with app.app_context():
        upgrade(revision=BEFORE)
        meta = sa.MetaData()
        meta.reflect(db.engine, only=["user", "api_token", *DAY_STORE])
        t = meta.tables
        day = date(2026, 11, 20)
        with db.engine.begin() as conn:
            insert(conn, t["user"], 1, username="agent", role="supervisor")
            insert(conn, t["api_token"], 1, user_id=1, token_hash="a" * 64, scope="print")
            conn.execute(t["report_day"].insert().values(day=day, stored_at=sa.func.now()))
            conn.execute(
                t["report_sales_day"]
                .insert()
                .values(day=day, till_id=1, vat_rate_bp=1900, category_id=1, gross_cents=100, quantity=1)
            )
            conn.execute(
                t["report_receipts_day"]
                .insert()
                .values(day=day, kind="sale", eligibility=False, receipts=1, gross_cents=100)
            )
            conn.execute(
                t["report_payments_day"].insert().values(day=day, method="cash", amount_cents=100)
            )
            conn.execute(
                t["report_goods_day"]
                .insert()
                .values(
                    day=day,
                    category_id=1,
                    taken_in=1,
                    sold=1,
                    written_off=0,
                    sold_seconds=9,
                    sold_counted=1,
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            counts = {
                table: conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
                for table in DAY_STORE
            }
            token = conn.execute(sa.text("SELECT scope, branch_id FROM api_token")).one()
        keys = {
            table: sa.inspect(db.engine).get_pk_constraint(table)["constrained_columns"]
            for table in DAY_STORE[2:]
        }
        db.engine.dispose()
    databases.drop(uri)
    assert counts == dict.fromkeys(DAY_STORE, 0)
    assert tuple(token) == ("print", None)
    assert keys == {
        "report_receipts_day": ["day", "branch_id", "kind", "eligibility"],
        "report_payments_day": ["day", "branch_id", "method"],
        "report_goods_day": ["day", "branch_id", "category_id"],
    }
