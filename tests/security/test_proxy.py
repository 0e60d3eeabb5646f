"""Behind a reverse proxy (PROXY_COUNT=1) the client's address comes from X-Forwarded-For, so the
sign-in throttle counts per client, not per proxy; without it the header is ignored."""

import pytest
import sqlalchemy as sa

from store import create_app
from store.auth.models import LoginAttempt
from store.extensions import db
from tests.conftest import base_config


@pytest.mark.parametrize(("proxies", "seen"), [(1, "203.0.113.9"), (0, "127.0.0.1")])
def test_the_sign_in_attempt_keeps_the_clients_address(databases, tmp_path, monkeypatch, proxies, seen):
    monkeypatch.setenv("KAUFHAUS_INSTANCE", str(tmp_path))
    uri = databases.empty()
    app = create_app(base_config(uri, tmp_path) | {"PROXY_COUNT": proxies, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        client = app.test_client()
        client.post(
            "/login",
            data={"username": "nobody", "password": "wrong"},
            headers={"X-Forwarded-For": "203.0.113.9"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
        addresses = db.session.scalars(sa.select(LoginAttempt.address)).all()
        db.session.remove()
        db.engine.dispose()
    databases.drop(uri)
    assert addresses == [seen]
