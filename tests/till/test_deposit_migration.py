"""The deposits migration keeps what was booked before it: every old receipt line is a sale line
("Umsatz"), and the booking tables stay append-only (SQLite copies sale_line to add its key)."""

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from store import create_app
from store.extensions import db
from tests.conftest import base_config
from tests.tools.old_rows import insert

BEFORE = "ba5aaafa4794"  # the head before deposits and deliveries


def _insert(conn, table: sa.Table, parents: dict, **values) -> None:
    insert(conn, table, 1, parents, **values)


def test_old_receipts_survive_the_upgrade(databases, tmp_path, monkeypatch):
    monkeypatch.setenv("KAUFHAUS_INSTANCE", str(tmp_path))
    uri = databases.empty()
    app = create_app(base_config(uri, tmp_path))
    with app.app_context():
        upgrade(revision=BEFORE)
        meta = sa.MetaData()
        meta.reflect(db.engine, only=["till", "till_session", "category", "sale", "sale_line"])
        with db.engine.begin() as conn:
            _insert(conn, meta.tables["till"], {}, name="Kasse 1", serial="K1")
            _insert(conn, meta.tables["till_session"], {})
            _insert(conn, meta.tables["category"], {}, name="Möbel", vat_rate_bp=1900)
            _insert(conn, meta.tables["sale"], {}, uuid="u-1", kind="sale", total_cents=4500)
            _insert(conn, meta.tables["sale_line"], {}, description="Sofa", total_cents=4500)
        upgrade()
        with db.engine.connect() as conn:
            line = conn.execute(
                sa.text("SELECT description, total_cents, business_case, ref_sale_id FROM sale_line")
            ).one()
            sale = conn.execute(sa.text("SELECT uuid, total_cents FROM sale")).one()
        with pytest.raises(sa.exc.DBAPIError), db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE sale_line SET total_cents = 1"))
        db.engine.dispose()
    databases.drop(uri)
    assert tuple(line) == ("Sofa", 4500, "Umsatz", None)
    assert tuple(sale) == ("u-1", 4500)
