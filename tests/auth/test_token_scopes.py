"""API tokens on the admin page: scope, days of validity, last use, expiry."""

import re
from datetime import timedelta

import sqlalchemy as sa

from store.auth import services
from store.auth.models import ApiToken
from store.core.audit import Actor
from store.core.timeutil import utcnow
from store.extensions import db
from tests.conftest import tr


def test_admin_makes_a_read_only_token_for_30_days(client, make_user, login):
    admin = make_user("admin")
    login(admin)
    page = client.post(
        "/admin/tokens", data={"user_id": admin.id, "name": "Statistik", "scope": "read", "days": "30"}
    )
    plain = re.search(r'id="new-token">(kh_[^<]+)<', page.get_data(as_text=True)).group(1)
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "Statistik"))
    assert token.scope == "read"
    assert timedelta(days=29) < token.expires_at - utcnow() <= timedelta(days=30)
    assert token.last_used_at is None
    api = client.application.test_client()
    headers = {"Authorization": f"Bearer {plain}"}
    assert api.get("/api/v1/users", headers=headers).status_code == 200
    assert (
        api.post("/api/v1/users", json={"username": "x", "role": "trainee"}, headers=headers).status_code
        == 403
    )
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at is not None
    listing = client.get("/admin/tokens").get_data(as_text=True)
    assert tr("only read") in listing


def test_expired_tokens_are_shown_as_expired_and_refused(client, make_user, login):
    admin = make_user("admin")
    _token, plain = services.create_api_token(
        Actor.system("cli"), admin, "alt", days=1, now=utcnow() - timedelta(days=2)
    )
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401
    login(admin)
    assert tr("expired") in client.get("/admin/tokens").get_data(as_text=True)


def test_default_validity_is_api_token_days(app, make_user):
    token, _plain = services.create_api_token(Actor.system("cli"), make_user("admin"))
    assert (
        timedelta(days=364) < token.expires_at - utcnow() <= timedelta(days=app.config["API_TOKEN_DAYS"])
    )
