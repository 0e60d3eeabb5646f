"""The branches migration turns the single shop into its first branch: every till, printer, station,
item and user of a database of the previous release is assigned to it, and nothing is lost."""

import sqlalchemy as sa
from flask_migrate import upgrade

from store import create_app
from store.extensions import db
from tests.conftest import base_config
from tests.tools.old_rows import insert

BEFORE = "5c0a1e7f3b2d"  # the head before branches


def test_the_single_shop_becomes_the_first_branch_with_everything_in_it(
    databases, tmp_path, monkeypatch
):
    monkeypatch.setenv("KAUFHAUS_INSTANCE", str(tmp_path))
    uri = databases.empty()
    config = base_config(uri, tmp_path) | {
        "STORE_NAME": "Kaufhaus Belm",
        "STORE_ADDRESS": "Markt 1, 49191 Belm",
    }
    app = create_app(config)
    tables = ["user", "printer", "till", "station", "category", "item", "stock_movement", "stocktake"]
    with app.app_context():
        upgrade(revision=BEFORE)
        meta = sa.MetaData()
        meta.reflect(db.engine, only=tables)
        t = meta.tables
        with db.engine.begin() as conn:
            for n in (1, 2):
                insert(conn, t["user"], n, username=f"u{n}", role="trainee")
                insert(conn, t["printer"], n, name=f"Drucker {n}", backend="virtual")
                insert(conn, t["till"], n, name=f"Kasse {n}", serial=f"K{n}", current_session_id=None)
                insert(conn, t["station"], n, name=f"Station {n}")
            insert(conn, t["category"], 1, name="Möbel", vat_rate_bp=1900, parent_id=None)
            for n in (1, 2, 3):
                insert(
                    conn,
                    t["item"],
                    n,
                    code=f"200000000000{n}",
                    description=f"Stuhl {n}",
                    status="in_stock",
                )
            insert(conn, t["stock_movement"], 1, kind="intake", item_id=1, article_id=None, quantity=1)
            insert(conn, t["stocktake"], 1, location="A1", started_by_id=1, finished_at=None)
        upgrade()
        with db.engine.connect() as conn:
            branches = conn.execute(sa.text("SELECT id, name, address FROM branch")).all()
            owned = {
                table: conn.execute(sa.text(f"SELECT id, branch_id FROM {table} ORDER BY id")).all()  # noqa: S608
                for table in ("till", "printer", "station", "item", "stocktake")
            }
            members = conn.execute(
                sa.text("SELECT user_id, branch_id FROM user_branch ORDER BY user_id")
            ).all()
            names = conn.execute(sa.text("SELECT description FROM item ORDER BY id")).scalars().all()
            movement = conn.execute(sa.text("SELECT kind, item_id, branch_id FROM stock_movement")).one()
        db.engine.dispose()
    databases.drop(uri)
    assert [(b.name, b.address) for b in branches] == [("Kaufhaus Belm", "Markt 1, 49191 Belm")]
    first = branches[0].id
    assert {table: [tuple(r) for r in rows] for table, rows in owned.items()} == {
        "till": [(1, first), (2, first)],
        "printer": [(1, first), (2, first)],
        "station": [(1, first), (2, first)],
        "item": [(1, first), (2, first), (3, first)],
        "stocktake": [(1, first)],
    }
    assert [tuple(m) for m in members] == [(1, first), (2, first)]
    assert names == ["Stuhl 1", "Stuhl 2", "Stuhl 3"]
    assert tuple(movement) == ("intake", 1, None)
