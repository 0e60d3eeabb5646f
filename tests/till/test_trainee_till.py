"""The till for a first-day trainee: the faults a new user found, checked over HTTP."""

import re

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


def test_the_cashier_is_shown_by_name(shop, client):
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    sale, _created = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 1250)])
    db.session.commit()
    sign_in_at_till(client, "1000001")
    for page in (client.get("/sales"), client.get(f"/sales/{sale.id}")):
        html = page.get_data(as_text=True)
        cell = re.search(r'class="cashier">([^<]*)<', html).group(1)
        assert cell == shop.cashier.short_name and cell.startswith("Olena")
