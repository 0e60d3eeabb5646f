"""The till for a first-day trainee: the faults a new user found, checked over HTTP."""

import re

import sqlalchemy as sa

from store.extensions import db
from store.till import services as t
from store.till.models import Sale, SaleKind


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


def sold(shop, n=2):
    for item in shop.items[:n]:
        t.add_code(shop.actor, shop.till, item.code)
    sale, _created = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 5000)])
    db.session.commit()
    return sale


def test_a_trainee_starts_a_return_and_a_supervisor_confirms_at_the_same_till(shop, client):
    sale = sold(shop)
    sign_in_at_till(client, "1000001")
    page = client.get(f"/till/{shop.till.id}")
    assert f"/till/{shop.till.id}/return" in page.get_data(as_text=True)
    found = client.get(f"/till/{shop.till.id}/return?receipt={sale.receipt_number}")
    html = found.get_data(as_text=True)
    assert found.status_code == 200 and f'name="qty-{sale.lines[0].id}"' in html
    form = {f"qty-{sale.lines[0].id}": "1", "reason": "passt nicht", "target": "stock"}
    # a wrong PIN books nothing
    wrong = client.post(
        f"/till/{shop.till.id}/return/{sale.id}",
        data={**form, "supervisor_id": shop.supervisor.id, "pin": "0000"},
    )
    assert wrong.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 1
    done = client.post(
        f"/till/{shop.till.id}/return/{sale.id}",
        data={**form, "supervisor_id": shop.supervisor.id, "pin": "9001"},
    )
    assert done.status_code == 302 and done.location.endswith(f"/till/{shop.till.id}")
    counter = db.session.scalar(sa.select(Sale).where(Sale.reverses_id == sale.id))
    assert counter.kind == SaleKind.RETURN and counter.total_cents == -1250
    assert counter.confirmed_by_id == shop.supervisor.id and counter.cashier_id == shop.cashier.id
    # the trainee is still signed in at the till
    assert client.get(f"/till/{shop.till.id}").status_code == 200


def test_a_void_at_the_till_is_confirmed_by_badge_and_found_by_the_qr_code(shop, client):
    sale = sold(shop, 1)
    sign_in_at_till(client, "1000001")
    url = f"http://localhost/receipt/{sale.uuid}"  # what the e-receipt QR code holds
    assert "void-whole" in client.get(f"/till/{shop.till.id}/return?receipt={url}").get_data(
        as_text=True
    )
    client.post(
        f"/till/{shop.till.id}/return/{sale.id}",
        data={"whole": "1", "reason": "Fehlbuchung", "badge": "9000001"},
    )
    void = db.session.scalar(sa.select(Sale).where(Sale.reverses_id == sale.id))
    assert void.kind == SaleKind.VOID and void.confirmed_by_id == shop.supervisor.id


def test_a_trainee_cannot_confirm_a_return_alone(shop, client):
    sale = sold(shop, 1)
    sign_in_at_till(client, "1000001")
    client.post(
        f"/till/{shop.till.id}/return/{sale.id}",
        data={f"qty-{sale.lines[0].id}": "1", "reason": "x", "badge": "1000001"},
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 1


def test_an_unknown_receipt_says_so_in_words(shop, client):
    sign_in_at_till(client, "1000001")
    html = client.get(f"/till/{shop.till.id}/return?receipt=999").get_data(as_text=True)
    assert 'id="receipt-error"' in html


def test_every_article_payment_and_category_button_has_a_pictogram(shop, client):
    sign_in_at_till(client, "1000001")
    html = client.get(f"/till/{shop.till.id}").get_data(as_text=True)
    buttons = re.findall(
        r'<button[^>]*class="(?:article-btn|btn-pay)[^"]*"[^>]*>(.*?)</button>', html, re.S
    )
    assert len(buttons) >= 6 and all('<svg class="icon"' in b for b in buttons)
    assert 'href="/static/icons.svg#book"' in html  # "Taschenbuch" gets the book
    intake = client.get("/intake").get_data(as_text=True)
    categories = re.findall(r'<button type="button" class="cat-btn[^>]*>(.*?)</button>', intake, re.S)
    assert categories and all('<svg class="icon"' in c for c in categories)
    home = client.get("/").get_data(as_text=True)
    tiles = re.findall(r'<a class="tile"[^>]*>(.*?)</a>', home, re.S)
    assert tiles and all('<svg class="icon"' in t for t in tiles)
    sprite = client.get("/static/icons.svg").get_data(as_text=True)
    used = set(re.findall(r"icons\.svg#([a-z0-9-]+)", html + intake + home))
    assert used <= set(re.findall(r'<symbol id="([a-z0-9-]+)"', sprite))


def test_a_trainee_starts_practising_on_a_training_till_alone(app, client, make_user, make_category):
    from store.core.audit import Actor

    trainee = make_user("trainee", badge="1000009")
    till = t.save_till(Actor.system(), None, name="Übungskasse", serial="UEB-1")
    db.session.commit()
    sign_in_at_till(client, "1000009")
    assert 'id="practice-' not in client.get("/practice").get_data(as_text=True)
    refused = client.post("/practice", data={})
    assert refused.location.endswith("/practice")
    t.set_training(Actor.system(), till, True)
    db.session.commit()
    html = client.get("/practice").get_data(as_text=True)
    assert f'id="practice-{till.id}"' in html
    started = client.post("/practice", data={"till_id": till.id})
    assert started.location.endswith(f"/till/{till.id}")
    db.session.expire_all()
    session = t.current_session(db.session.get(type(till), till.id))
    assert session.opened_by_id == trainee.id and session.float_cents == 0
    assert client.get(f"/till/{till.id}").status_code == 200
