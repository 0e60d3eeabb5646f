"""Every route declares who may use it, and the app enforces it for every role."""

import re

import pytest

from store.core.access import PUBLIC, SIGNED_IN, Role, allowed_roles


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", "1", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule, path, method


def test_every_route_declares_access(app):
    undeclared = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and allowed_roles(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []


def test_undeclared_route_is_refused(app, client, make_user, login):
    @app.get("/forgotten-decorator")
    def forgotten():
        return "secret"

    login(make_user("admin"))
    assert client.get("/forgotten-decorator").status_code == 403


def test_anonymous_is_refused_everywhere_but_public_routes(app, client):
    checked = 0
    for rule, path, method in _rules(app):
        access = allowed_roles(app.view_functions[rule.endpoint])
        if access == PUBLIC:
            continue
        response = client.open(path, method=method)
        checked += 1
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path)
            assert response.mimetype == "application/problem+json"
        else:
            assert response.status_code == 302, (method, path)
            assert "/login" in response.headers["Location"], (method, path)
    assert checked > 10


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_refused_where_it_does_not_belong(app, client, make_user, login, role):
    login(make_user(role.value))
    refused = allowed = 0
    for rule, path, method in _rules(app):
        access = allowed_roles(app.view_functions[rule.endpoint])
        if access in (PUBLIC, SIGNED_IN) or role in access or rule.endpoint == "auth.logout":
            allowed += 1
            continue
        response = client.open(path, method=method)
        assert response.status_code == 403, (role, method, path, response.status_code)
        refused += 1
    assert allowed > 0
    if role != Role.ADMIN:
        assert refused > 0


def test_api_refuses_wrong_role_with_json(app, client, make_user, api_token):
    headers = api_token(make_user("trainee"))
    response = client.get("/api/v1/users", headers=headers)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 403


def test_api_refuses_bad_and_revoked_tokens(app, client, make_user):
    from store.auth import services
    from store.core.audit import Actor
    from store.extensions import db

    admin = make_user("admin")
    token, plain = services.create_api_token(Actor.system(), admin)
    db.session.commit()
    ok = client.get("/api/v1/users", headers={"Authorization": f"Bearer {plain}"})
    assert ok.status_code == 200
    assert client.get("/api/v1/users", headers={"Authorization": "Bearer kh_wrong"}).status_code == 401
    services.revoke_api_token(Actor.system(), token)
    db.session.commit()
    assert client.get("/api/v1/users", headers={"Authorization": f"Bearer {plain}"}).status_code == 401
