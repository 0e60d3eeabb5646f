"""The ten findings of issue 15, each as it was reported: every one failed before its fix."""

import socket
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from store.core.audit import Actor
from store.core.errors import ValidationError
from store.extensions import db
from store.printing.models import PrintJob
from store.till import services as till_services

BIG = 2**63


def problem_field(response) -> str | None:
    assert response.mimetype == "application/problem+json", response.get_data(as_text=True)
    return (response.json.get("errors") or [{}])[0].get("field")


def sale_body(shop, **changes):
    body = {
        "id": str(uuid.uuid4()),
        "till": shop.till.name,
        "lines": [{"code": shop.items[0].code}],
        "payments": [{"method": "cash", "amount_cents": 2000}],
    }
    body.update(changes)
    return body


# ---------------------------------------------------------------- 1. integers of 2^63 and more


def test_1_huge_integers_in_bodies_are_422_naming_the_field(client, shop, api_token):
    sup = api_token(shop.supervisor)
    cashier = api_token(shop.cashier)
    till_services.close_session(shop.actor, shop.till, counted_cents=10000)
    db.session.commit()
    response = client.post(
        f"/api/v1/tills/{shop.till.id}/session", json={"float_cents": BIG}, headers=sup
    )
    assert response.status_code == 422 and problem_field(response) == "float_cents"
    client.post(f"/api/v1/tills/{shop.till.id}/session", json={"float_cents": 0}, headers=sup)
    for changes, field in (
        ({"payments": [{"method": "cash", "amount_cents": BIG}]}, "payments.0.amount_cents"),
        ({"till": BIG}, "till"),
        ({"lines": [{"article": BIG}]}, "lines.0.article"),
        ({"lines": [{"code": shop.items[0].code, "quantity": BIG}]}, "lines.0.quantity"),
    ):
        response = client.post("/api/v1/sales", json=sale_body(shop, **changes), headers=cashier)
        assert response.status_code == 422, (changes, response.json)
        assert problem_field(response).startswith(field), response.json
    line = {"category": BIG, "description": "Tasse", "price_cents": 100}
    response = client.post("/api/v1/items", json={"items": [line]}, headers=sup)
    assert response.status_code == 422 and problem_field(response) == "items.0.category"
    response = client.post(
        "/api/v1/assessments",
        json={"participant": BIG, "date": "2026-11-02", "ratings": [{"skill": 1, "level": 2}]},
        headers=sup,
    )
    assert response.status_code == 422 and problem_field(response) == "participant"


def test_1_huge_path_ids_are_404_problems(client, make_user, api_token):
    admin = api_token(make_user("admin"))
    for path in (
        f"/api/v1/participants/{BIG}/skills",
        f"/api/v1/participants/{BIG}/data-export",
        f"/api/v1/fiscal/closings/{BIG}/dsfinvk",
        f"/api/v1/print-jobs/{BIG}/bytes",
        f"/api/v1/tills/{BIG}/session",
        f"/api/v1/sales/{BIG}",
    ):
        response = client.get(path, headers=admin)
        assert response.status_code in (404, 405), (path, response.status_code)
        assert response.mimetype == "application/problem+json"
    response = client.post(f"/api/v1/tills/{BIG}/session", json={"float_cents": 0}, headers=admin)
    assert response.status_code == 404


def test_1_dates_far_out_are_422(client, make_user, api_token):
    sup = api_token(make_user("supervisor"))
    response = client.get("/api/v1/fiscal/dsfinvk?from=0001-01-01&to=9999-12-31", headers=sup)
    assert response.status_code == 422 and problem_field(response) == "from"


# ---------------------------------------------------------------- 2. the same on both databases


def test_2_nul_bytes_and_long_text_are_422_on_every_database(client, shop, api_token):
    sup = api_token(shop.supervisor)
    cat = shop.clothes.id
    for line, field in (
        ({"description": "Tas\x00se"}, "items.0.description"),
        ({"description": "Tasse\x1b[31m"}, "items.0.description"),
        ({"size": "x" * 21}, "items.0.size"),
        ({"brand": "b" * 41}, "items.0.brand"),
    ):
        body = {"items": [{"category": cat, "description": "Tasse", "price_cents": 100, **line}]}
        response = client.post("/api/v1/items", json=body, headers=sup)
        assert response.status_code == 422, (line, response.json)
        assert problem_field(response) == field
    cashier = api_token(shop.cashier)
    for payment, field in (
        ({"voucher_number": "1" * 10_000, "voucher_issuer": "Stadt"}, "voucher_number"),
        ({"voucher_number": "1", "voucher_issuer": "S" * 10_000}, "voucher_issuer"),
        ({"voucher_number": "1\x00", "voucher_issuer": "Stadt"}, "voucher_number"),
    ):
        body = sale_body(shop, payments=[{"method": "voucher", "amount_cents": 1250, **payment}])
        response = client.post("/api/v1/sales", json=body, headers=cashier)
        assert response.status_code == 422, (payment, response.json)
        assert problem_field(response) == f"payments.0.{field}"


def test_2_nul_bytes_in_forms_and_query_strings_are_refused(client, login, make_user):
    login(make_user("admin"))
    response = client.post("/admin/tokens", data={"user_id": "1", "name": "a\x00b"})
    assert response.status_code in (400, 422)
    assert client.get("/admin/audit?action=a%00b").status_code in (400, 422)


# ---------------------------------------------------------------- 3. the database is down


@pytest.fixture(params=["sqlite", "postgresql"])
def down_client(app, tmp_path, request):
    """The same app with its database gone: a SQLite path that cannot be opened, or a PostgreSQL
    server that does not answer (nothing listens on port 1)."""
    from store import create_app
    from tests.conftest import FreshContextClient, base_config

    uri = {
        "sqlite": f"sqlite:///{tmp_path}/missing/dir/x.db",
        "postgresql": "postgresql+psycopg://kaufhaus@127.0.0.1:1/kaufhaus?connect_timeout=2",
    }[request.param]
    broken = create_app({**base_config(uri, tmp_path), "SQLALCHEMY_ENGINE_OPTIONS": {}})
    broken.test_client_class = FreshContextClient
    return broken.test_client()


def test_3_database_down_is_503_problem_with_retry_after(down_client):
    for path in ("/api/v1/me", "/api/v1/tills"):
        response = down_client.get(path, headers={"Authorization": "Bearer kh_whatever"})
        assert response.status_code == 503, response.get_data(as_text=True)
        assert response.mimetype == "application/problem+json"
        assert int(response.headers["Retry-After"]) > 0
    with down_client.session_transaction() as session:
        session["_user_id"] = "1"
    page = down_client.get("/")
    assert page.status_code == 503 and "Retry-After" in page.headers
    assert "database" in page.get_data(as_text=True).lower() or "Datenbank" in page.get_data(
        as_text=True
    )


# ---------------------------------------------------------------- 4. print jobs


def _z_report(shop) -> PrintJob:
    till_services.close_session(
        Actor(user=shop.supervisor, source="web", till_id=shop.till.id),
        shop.till,
        counted_cents=10000,
    )
    db.session.commit()
    return db.session.scalars(sa.select(PrintJob).where(PrintJob.kind == "report")).one()


def test_4_a_trainee_cannot_read_z_reports_by_sequential_id(client, shop, api_token, login):
    job = _z_report(shop)
    trainee = api_token(shop.cashier)
    assert client.get(f"/api/v1/print-jobs/{job.id}/bytes", headers=trainee).status_code == 403
    assert (
        client.get(f"/api/v1/print-jobs/{job.id}/bytes", headers=api_token(shop.supervisor)).status_code
        == 200
    )
    login(shop.cashier)
    for path in (f"/print-jobs/{job.id}", f"/print-jobs/{job.id}.png", f"/print-jobs/{job.id}.bin"):
        assert client.get(path).status_code == 403, path


def test_4_a_trainee_still_sees_receipts_of_the_till(client, shop, api_token):
    sale, _created = till_services.sell(
        shop.actor,
        shop.till,
        str(uuid.uuid4()),
        [till_services.LineIn(code=shop.items[0].code)],
        [till_services.PaymentIn("cash", 2000)],
    )
    db.session.commit()
    job = db.session.scalars(sa.select(PrintJob).where(PrintJob.kind == "receipt")).one()
    assert job.ref_id == str(sale.id)
    response = client.get(f"/api/v1/print-jobs/{job.id}/bytes", headers=api_token(shop.cashier))
    assert response.status_code == 200


# ---------------------------------------------------------------- 5. partner addresses


METADATA_SPELLINGS = (
    "https://[::ffff:169.254.169.254]/",
    "https://0xA9FEA9FE/",
    "https://2852039166/",
    "https://169.254.169.254/latest/meta-data/",
    "https://[fd00:ec2::254]/",
)


@pytest.mark.parametrize("url", METADATA_SPELLINGS)
def test_5_metadata_addresses_are_refused_however_spelled(app, url):
    from store.network import services

    with pytest.raises(ValidationError):
        services.save_partner(
            Actor.system(), None, name="X", kind="other", url=url, secret="s" * 20, events=[]
        )


def test_5_names_that_resolve_to_metadata_are_refused_when_sending(app, monkeypatch):
    from store.core import outbound

    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):
        if host == "169.254.169.254.nip.io":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(outbound.BlockedAddressError):
        outbound.session().post("https://169.254.169.254.nip.io/hook", data=b"{}", timeout=2)


# ---------------------------------------------------------------- 6. CSRF


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_6_a_cookie_session_with_a_made_up_bearer_header_needs_csrf(client, make_user, app_config):
    from store.auth.models import User

    admin = make_user("admin")
    with client.session_transaction() as session:
        session["_user_id"] = str(admin.id)
        session["_fresh"] = True
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    response = client.post(
        "/api/v1/users",
        json={"username": "mallory", "role": "admin", "password": "long-enough-1"},
        headers={"Authorization": "Bearer x"},
    )
    assert response.status_code in (400, 401, 403)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before


# ---------------------------------------------------------------- 7. tokens


def test_7_tokens_expire_have_scopes_and_the_scheme_is_case_insensitive(client, make_user):
    from store.auth import services as auth
    from store.core.timeutil import utcnow

    admin = make_user("admin")
    _t, plain = auth.create_api_token(Actor.system("cli"), admin, "lower")
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"bearer {plain}"}).status_code == 200
    _t, old = auth.create_api_token(
        Actor.system("cli"), admin, "old", now=utcnow() - timedelta(days=400)
    )
    db.session.commit()
    assert _t.expires_at is not None
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {old}"}).status_code == 401
    _t, reader = auth.create_api_token(Actor.system("cli"), admin, "reader", scope="read")
    db.session.commit()
    headers = {"Authorization": f"Bearer {reader}"}
    assert client.get("/api/v1/users", headers=headers).status_code == 200
    response = client.post("/api/v1/users", json={"username": "neu", "role": "trainee"}, headers=headers)
    assert response.status_code == 403


# ---------------------------------------------------------------- 8. the public receipt


def test_8_the_public_receipt_needs_the_server_made_token(client, shop):
    chosen = "00000000-0000-0000-0000-000000000001"
    sale, _created = till_services.sell(
        shop.actor,
        shop.till,
        chosen,
        [till_services.LineIn(code=shop.items[0].code)],
        [till_services.PaymentIn("cash", 2000)],
    )
    db.session.commit()
    assert client.get(f"/receipt/{chosen}").status_code == 404
    assert sale.receipt_token and len(sale.receipt_token) >= 22 and sale.receipt_token != chosen
    assert client.get(f"/receipt/{sale.receipt_token}").status_code == 200


# ---------------------------------------------------------------- 9. the OpenAPI document


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_9_every_reference_resolves_and_bounds_are_shown(client):
    doc = client.get("/api/v1/openapi.json").json
    for ref in set(_refs(doc)):
        node = doc
        for part in ref.removeprefix("#/").split("/"):
            assert part in node, f"unresolvable {ref}"
            node = node[part]
    line = doc["components"]["schemas"]["IntakeLine"]["properties"]
    assert line["price_cents"].get("exclusiveMinimum") == 0 or line["price_cents"].get("minimum") == 1
    assert line["description"]["maxLength"] == 120 and line["size"]["anyOf"][0]["maxLength"] == 20
    assert line["category"]["maximum"] <= 2**63 - 1
    path_id = doc["paths"]["/print-jobs/{job_id}/bytes"]["get"]["parameters"][0]["schema"]
    assert path_id["maximum"] <= 2**63 - 1 and path_id["minimum"] >= 0


def _unbounded(doc: dict, schema: dict, where: str, seen: set) -> list[str]:
    """The input fields under `schema` without limits: integers without a maximum, text without a
    maximum length (an enum, a date or a pattern bounds a text)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return _unbounded(doc, doc["components"]["schemas"][name], where, seen)
    found = []
    for part in schema.get("anyOf", []) + schema.get("allOf", []):
        found += _unbounded(doc, part, where, seen)
    if schema.get("type") == "integer" and "maximum" not in schema:
        found.append(where)
    if schema.get("type") == "string" and not (
        "maxLength" in schema or "enum" in schema or "format" in schema or "pattern" in schema
    ):
        found.append(where)
    if schema.get("type") == "array":
        if "maxItems" not in schema:
            found.append(where + "[]")
        found += _unbounded(doc, schema.get("items", {}), where + "[]", seen)
    for key, sub in schema.get("properties", {}).items():
        found += _unbounded(doc, sub, f"{where}.{key}", seen)
    return found


def test_9_no_input_of_any_operation_is_unbounded(client):
    """The class of fault, not its instances: every body field and parameter the API reads has its
    limits in the document (and pydantic enforces what the document says)."""
    doc = client.get("/api/v1/openapi.json").json
    found = []
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in op.get("parameters", []):
                if parameter["in"] == "path" and parameter["schema"].get("type") == "string":
                    continue  # a code or number looked up, never stored; ids in paths are bounded
                found += _unbounded(doc, parameter["schema"], f"{where} {parameter['name']}", set())
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            if body:
                found += _unbounded(doc, body["schema"], f"{where} body", set())
    assert found == [], "\n".join(found)


# ---------------------------------------------------------------- 10. partner secrets


def test_10_partner_secrets_are_encrypted_at_rest(app):
    from store.network import services
    from store.network.models import Partner

    plain = "partner-secret-at-rest-42"
    partner = services.save_partner(
        Actor.system(),
        None,
        name="P",
        kind="other",
        url="https://example.org/h",
        secret=plain,
        events=[],
    )
    db.session.commit()
    stored = db.session.execute(
        sa.text("SELECT secret FROM partner WHERE id = :id"), {"id": partner.id}
    ).scalar_one()
    assert plain not in stored
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).secret == plain
