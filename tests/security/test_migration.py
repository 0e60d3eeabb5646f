"""The hardening migration keeps and moves data: old tokens get an expiry and full scope, old sales
a receipt token each, old plain partner secrets are encrypted and still read the same."""

import sqlalchemy as sa
from flask_migrate import upgrade

from store import create_app
from store.core import crypto
from store.extensions import db
from tests.conftest import base_config

BEFORE = "d9e3f4a5b6c7"

ROWS = [
    'INSERT INTO "user" (id, username, first_name, last_name, role, is_active_account, created_at) '
    "VALUES (1, 'old', 'Olga', 'Alt', 'admin', true, '2026-01-02 03:04:05')",
    "INSERT INTO api_token (id, user_id, name, token_hash, prefix, created_at) "
    "VALUES (1, 1, 'old', 'ab', 'kh_x', '2026-01-02 03:04:05')",
    "INSERT INTO till (id, name, location, serial, has_drawer, is_active, last_receipt_number, "
    "last_closing_number) VALUES (1, 'Kasse 1', '', 'K1', true, true, 2, 0)",
    "INSERT INTO till_session (id, till_id, opened_at, float_cents) "
    "VALUES (1, 1, '2026-01-02 08:00:00', 0)",
    "INSERT INTO partner (id, name, kind, secret, events, is_active, created_at, updated_at) "
    "VALUES (1, 'Jobcenter', 'jobcenter', 'plain-old-secret-1234', '[]', true, "
    "'2026-01-02 03:04:05', '2026-01-02 03:04:05')",
]


def _sale(n: int) -> str:
    return (
        "INSERT INTO sale (id, uuid, kind, till_id, session_id, receipt_number, started_at, "
        "created_at, cashier_label, total_cents, eligibility) VALUES "
        f"({n}, '00000000-0000-0000-0000-00000000000{n}', 'sale', 1, 1, {n}, "
        "'2026-01-02 09:00:00', '2026-01-02 09:00:00', 'Olga', 100, false)"
    )


def test_upgrade_moves_tokens_sales_and_secrets(databases, tmp_path, monkeypatch):
    monkeypatch.setenv("KAUFHAUS_INSTANCE", str(tmp_path))
    uri = databases.empty()
    app = create_app(base_config(uri, tmp_path))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            for statement in [*ROWS, _sale(1), _sale(2)]:
                conn.execute(sa.text(statement))
        upgrade()
        with db.engine.connect() as conn:
            token = conn.execute(sa.text("SELECT scope, expires_at FROM api_token")).one()
            tokens = conn.execute(sa.text("SELECT receipt_token FROM sale ORDER BY id")).scalars().all()
            stored = conn.execute(sa.text("SELECT secret FROM partner")).scalar_one()
        plain = crypto.decrypt(stored)
        db.engine.dispose()
    databases.drop(uri)
    assert token.scope == "write" and token.expires_at is not None
    assert len(set(tokens)) == 2 and all(t and len(t) >= 32 for t in tokens)
    assert stored.startswith(crypto.PREFIX) and "plain-old-secret" not in stored
    assert plain == "plain-old-secret-1234"
