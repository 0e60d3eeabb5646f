"""The API's shape: OpenAPI lists every endpoint, errors are problem+json."""

from store.core.api import PREFIX


def test_openapi_lists_every_api_rule(app, client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, item in doc["paths"].items() for method in item}
    import re

    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len(PREFIX) :])
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, (path, method)


def test_openapi_has_request_schemas(client):
    doc = client.get("/api/v1/openapi.json").json
    create = doc["paths"]["/users"]["post"]
    ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert "username" in schema["properties"]


def test_invalid_body_is_a_problem_and_changes_nothing(client, make_user, api_token):
    from store.auth.models import User
    from store.extensions import db

    headers = api_token(make_user("admin"))
    before = db.session.query(User).count()
    response = client.post("/api/v1/users", json={"username": "x", "role": "emperor"}, headers=headers)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"][0]["field"] == "role"
    response = client.post("/api/v1/users", data="not json", headers=headers)
    assert response.status_code == 422
    assert db.session.query(User).count() == before


def test_api_creates_user_and_audits_it(client, make_user, api_token):
    from store.core.audit import AuditEntry
    from store.extensions import db

    headers = api_token(make_user("admin"))
    response = client.post(
        "/api/v1/users",
        json={"username": "neu", "role": "trainee", "first_name": "Nora", "pin": "4321"},
        headers=headers,
    )
    assert response.status_code == 201, response.json
    assert response.json["has_pin"] is True
    entry = (
        db.session.query(AuditEntry)
        .filter_by(action="user.create", object_id=str(response.json["id"]))
        .one()
    )
    assert entry.source == "api"
    again = client.post("/api/v1/users", json={"username": "neu", "role": "trainee"}, headers=headers)
    assert again.status_code == 409
    assert "neu" in again.json["detail"]


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
