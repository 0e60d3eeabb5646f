"""A token and its user are kept a few seconds in memory: no statement for them on the next call,
and revoking the token or locking the user out works at once in this process."""

import sqlalchemy as sa

from store.auth import services as auth
from store.auth.models import ApiToken
from store.core.audit import Actor
from store.extensions import db


def _statements(engine, call) -> list[str]:
    seen = []

    def statement(conn, cursor, text, params, context, executemany):
        seen.append(text.split("FROM")[-1].split()[0] if text.startswith("SELECT") else text.split()[0])

    sa.event.listen(engine, "before_cursor_execute", statement)
    try:
        call()
    finally:
        sa.event.remove(engine, "before_cursor_execute", statement)
    return seen


def test_a_token_seen_a_moment_ago_costs_no_statement(client, make_user, api_token):
    headers = api_token(make_user(role="supervisor"))
    assert client.get("/api/v1/tills", headers=headers).status_code == 200
    seen = _statements(db.engine, lambda: client.get("/api/v1/tills", headers=headers))
    assert "api_token" not in seen and "user" not in seen, seen


def test_a_revoked_token_stops_working_at_once(client, make_user, api_token):
    headers = api_token(make_user(role="supervisor"))
    assert client.get("/api/v1/tills", headers=headers).status_code == 200
    token = db.session.scalar(sa.select(ApiToken))
    auth.revoke_api_token(Actor.system("cli"), token)
    db.session.commit()
    assert client.get("/api/v1/tills", headers=headers).status_code == 401


def test_a_user_locked_out_or_demoted_is_not_served_from_memory(client, make_user, api_token):
    user = make_user(role="supervisor")
    headers = api_token(user)
    assert client.get("/api/v1/tills", headers=headers).status_code == 200
    user.is_active_account = False
    db.session.commit()
    assert client.get("/api/v1/tills", headers=headers).status_code == 401
