"""The till for a first-day trainee: the faults a new user found, checked over HTTP."""

from store.extensions import db
from store.till import services as t


def sign_in_at_till(client, badge: str):
    response = client.post("/login/till", data={"badge": badge})
    assert response.status_code == 302
    return client


def test_money_in_messages_is_euros_not_cents(shop, client):
    sign_in_at_till(client, "1000001")
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    db.session.commit()
    answer = client.post(
        f"/till/{shop.till.id}/pay", json={"payments": [{"method": "cash", "amount": "10,55"}]}
    ).get_json()
    assert not answer["ok"]
    assert "1,95\xa0€" in answer["error"] and "Cent" not in answer["error"]
    answer = client.post(
        f"/till/{shop.till.id}/pay", json={"payments": [{"method": "card", "amount": "20"}]}
    ).get_json()
    assert "12,50\xa0€" in answer["error"] and "Cent" not in answer["error"]
