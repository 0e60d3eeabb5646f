"""The till API: sales are idempotent, sold-out items are 409, voids and closings."""

import uuid

import pytest
import sqlalchemy as sa

from store.extensions import db
from store.till.models import Sale


def sale_body(shop, **changes):
    body = {
        "id": str(uuid.uuid4()),
        "till": shop.till.name,
        "lines": [{"code": shop.items[0].code}, {"article": shop.book_article.id, "quantity": 2}],
        "payments": [{"method": "cash", "amount_cents": 2000}],
    }
    body.update(changes)
    return body


def test_sale_round_trip_and_idempotency(client, shop, api_token):
    headers = api_token(shop.cashier)
    body = sale_body(shop)
    first = client.post("/api/v1/sales", json=body, headers=headers)
    assert first.status_code == 201, first.json
    sale = first.json
    assert sale["id"] == body["id"] and sale["receipt_number"] == 1
    assert sale["total_cents"] == 1250 + 100 and sale["change_cents"] == 650
    assert [(v["rate_bp"], v["gross_cents"]) for v in sale["vat"]] == [(1900, 1250), (700, 100)]
    again = client.post("/api/v1/sales", json=body, headers=headers)
    assert again.status_code == 200 and again.json == sale
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 1
    got = client.get(f"/api/v1/sales/{body['id']}", headers=headers)
    assert got.json == sale


def test_sold_out_item_is_409_and_books_nothing(client, shop, api_token):
    headers = api_token(shop.cashier)
    assert client.post("/api/v1/sales", json=sale_body(shop), headers=headers).status_code == 201
    second = client.post("/api/v1/sales", json=sale_body(shop), headers=headers)
    assert second.status_code == 409
    assert second.mimetype == "application/problem+json"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 1


def test_bad_sales_are_refused(client, shop, api_token):
    headers = api_token(shop.cashier)
    for changes in (
        {"payments": [{"method": "cash", "amount_cents": 100}]},
        {"lines": [{"code": "2000000999999"}]},
        {"lines": [{"code": shop.items[0].code, "article": shop.book_article.id}]},
        {"id": "not-a-uuid"},
        {"till": "Kasse 99"},
    ):
        response = client.post("/api/v1/sales", json=sale_body(shop, **changes), headers=headers)
        assert response.status_code in (404, 409, 422), (changes, response.json)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 0


def test_void_needs_supervisor(client, shop, api_token):
    body = sale_body(shop)
    client.post("/api/v1/sales", json=body, headers=api_token(shop.cashier))
    refused = client.post(
        f"/api/v1/sales/{body['id']}/void", json={"reason": "x"}, headers=api_token(shop.cashier)
    )
    assert refused.status_code == 403
    void = client.post(
        f"/api/v1/sales/{body['id']}/void",
        json={"reason": "Fehlbon"},
        headers=api_token(shop.supervisor),
    )
    assert void.status_code == 201, void.json
    assert void.json["kind"] == "void" and void.json["total_cents"] == -1350
    assert void.json["reverses"] == body["id"]
    again = client.post(
        f"/api/v1/sales/{body['id']}/void", json={"reason": "x"}, headers=api_token(shop.supervisor)
    )
    assert again.status_code == 409


def test_tills_session_close_returns_z_report(client, shop, api_token):
    sup = api_token(shop.supervisor)
    tills = client.get("/api/v1/tills", headers=sup).json["tills"]
    assert tills[0]["is_open"] is True
    client.post("/api/v1/sales", json=sale_body(shop), headers=api_token(shop.cashier))
    closed = client.post(
        f"/api/v1/tills/{shop.till.id}/session/close", json={"counted_cents": 10000 + 1350}, headers=sup
    )
    assert closed.status_code == 200, closed.json
    z = closed.json
    assert z["number"] == 1 and z["difference_cents"] == 0
    assert z["report"]["total_cents"] == 1350
    assert z["report"]["payments"] == {"cash": 1350}
    reopened = client.post(
        f"/api/v1/tills/{shop.till.name}/session", json={"float_cents": 5000}, headers=sup
    )
    assert reopened.status_code == 201 and reopened.json["float_cents"] == 5000


@pytest.mark.clock  # the sale and "this month" of the report: no month end in between
def test_voucher_report_for_invoicing(client, shop, login, api_token):
    from store.core.timeutil import local_today

    body = sale_body(
        shop,
        payments=[
            {
                "method": "voucher",
                "amount_cents": 1350,
                "voucher_number": "=HYPERLINK(1)",
                "voucher_issuer": "Gemeinde",
            }
        ],
    )
    assert client.post("/api/v1/sales", json=body, headers=api_token(shop.cashier)).status_code == 201
    login(shop.supervisor)
    month = local_today().strftime("%Y-%m")
    page = client.get(f"/reports/vouchers?month={month}").get_data(as_text=True)
    assert "Gemeinde" in page and "13,50" in page
    csv = client.get(f"/reports/vouchers.csv?month={month}&issuer=Gemeinde")
    text = csv.data.decode("utf-8")
    assert text.startswith("\ufeff") and "'=HYPERLINK(1)" in text and "13,50" in text


def test_the_same_id_with_another_body_is_refused(client, shop, api_token):
    headers = api_token(shop.cashier)
    body = sale_body(shop)
    assert client.post("/api/v1/sales", json=body, headers=headers).status_code == 201
    from store.core.audit import Actor
    from store.till import services

    second = services.save_till(Actor.system(), None, name="Kasse 2", serial="K2-0002")
    db.session.commit()
    services.open_session(Actor.system(), second, float_cents=0)
    db.session.commit()
    for changes in (
        {"till": "Kasse 2"},
        {"lines": [{"code": shop.items[1].code}, {"article": shop.book_article.id, "quantity": 2}]},
        {"lines": [{"code": shop.items[0].code}, {"article": shop.book_article.id, "quantity": 3}]},
        {"payments": [{"method": "cash", "amount_cents": 5000}]},
        {"payments": [{"method": "card", "amount_cents": 1350}]},
        {"eligibility": True},
    ):
        answer = client.post("/api/v1/sales", json={**body, **changes}, headers=headers)
        assert answer.status_code == 409, (changes, answer.json)
        assert answer.mimetype == "application/problem+json"
    again = client.post("/api/v1/sales", json=body, headers=headers)
    assert again.status_code == 200 and again.json["id"] == body["id"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 1


def test_the_replay_and_the_refusal_are_documented(client):
    sales = client.get("/api/v1/openapi.json").json["paths"]["/sales"]["post"]["responses"]
    assert {"200", "201", "409"} <= set(sales)
    assert "before" in sales["200"]["description"] and "different sale" in sales["409"]["description"]
    assert sales["200"]["content"] == sales["201"]["content"]
