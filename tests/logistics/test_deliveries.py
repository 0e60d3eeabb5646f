"""Deliveries of sales: planned after paying (the page or the API) on a van's day beside the
pick-ups, on the route sheet, and their addresses removed by the retention run."""

import subprocess
from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from store.core.audit import Actor
from store.core.errors import ConflictError, ValidationError
from store.core.timeutil import local_today, store_zone
from store.extensions import db
from store.logistics import services
from store.logistics.models import SaleDelivery
from store.logistics.route_sheet import route_sheet_pdf
from store.till import services as t
from tests.logistics.test_pickups import next_weekday


@pytest.fixture
def sold(shop):
    """A jacket sold with the delivery line."""
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    t.add_delivery(shop.actor, shop.till)
    sale, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 5000)])
    db.session.commit()
    return sale


def test_a_delivery_is_a_stop_on_a_van_beside_the_pick_ups(app, shop, vans, sold, make_offer):
    monday = next_weekday()
    offer = make_offer()
    services.accept(Actor.system(), offer, volume_l=2000)
    services.schedule(Actor.system(), offer, vans[0], monday)
    delivery = services.plan_delivery(
        shop.actor,
        sold,
        day=monday,
        address="Am Markt 1, 49074 Osnabrück",
        phone="0541 1",
        floor=3,
        vehicle=vans[0],
    )
    db.session.commit()
    assert delivery.stop.vehicle == vans[0] and delivery.postcode == "49074"
    assert delivery.what == "1 × Jacke" and delivery.receipt_number == sold.receipt_number
    [slot] = [s for s in services.day_slots(monday) if s.vehicle == vans[0]]
    assert [s.offer_id or s.delivery_id for s in slot.stops] == [offer.id, delivery.id]
    services.order_by_postcode(Actor.system(), vans[0], monday)  # 49074 before 49191
    assert [s.delivery_id for s in services.slot(vans[0], monday).stops][0] == delivery.id
    pdf = route_sheet_pdf(services.day_slots(monday), monday, "Kaufhaus")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode()
    assert "Am Markt 1, 49074 Osnabrück" in text and "Jacke" in text
    with pytest.raises(ConflictError):  # one delivery per sale
        services.plan_delivery(shop.actor, sold, day=monday, address="Am Markt 1, 49074 Osnabrück")
    db.session.rollback()


def test_only_a_sale_with_the_delivery_line_and_a_full_address(app, shop, vans):
    t.add_code(shop.actor, shop.till, shop.items[1].code)
    plain, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 1250)])
    db.session.commit()
    with pytest.raises(ValidationError):
        services.plan_delivery(
            shop.actor, plain, day=next_weekday(), address="Am Markt 1, 49074 Osnabrück"
        )
    db.session.rollback()


def test_the_api_and_the_routes(client, app, shop, vans, sold, make_user, api_token):
    headers = api_token(make_user("supervisor"))
    monday = next_weekday()
    body = {"sale": sold.id, "date": monday.isoformat(), "address": "Am Markt 1, 49074 Osnabrück"}
    bad = client.post("/api/v1/deliveries", json={**body, "address": "irgendwo"}, headers=headers)
    assert bad.status_code == 422
    created = client.post("/api/v1/deliveries", json={**body, "phone": "0541 1"}, headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["vehicle"] and created.json["phone"] == "0541 1"
    again = client.post("/api/v1/deliveries", json=body, headers=headers)
    assert again.status_code == 409
    routes = client.get(f"/api/v1/routes/{monday.isoformat()}", headers=headers).json["routes"]
    deliveries = [d for r in routes for d in r["deliveries"]]
    assert [d["address"] for d in deliveries] == ["Am Markt 1, 49074 Osnabrück"]
    trainee = api_token(make_user("trainee"))
    assert client.post("/api/v1/deliveries", json=body, headers=trainee).status_code == 403


def test_the_page_after_paying_and_delivered(client, app, shop, vans, sold, login):
    login(shop.cashier)
    url = f"/pickups/deliveries/new/{sold.id}"
    assert client.get(url).status_code == 200
    monday = next_weekday()
    answer = client.post(
        url, data={"address": "Am Markt 1, 49074 Osnabrück", "day": monday.isoformat(), "floor": "0"}
    )
    assert answer.status_code == 302
    delivery = db.session.scalar(sa.select(SaleDelivery))
    page = client.get(f"/pickups/days/{monday.isoformat()}").get_data(as_text=True)
    assert "Am Markt 1, 49074 Osnabrück" in page
    assert client.post(f"/pickups/deliveries/{delivery.id}/done").status_code == 302
    db.session.refresh(delivery)
    assert delivery.status.value == "delivered" and delivery.done_on == local_today()


def test_retention_removes_the_address_and_phone(app, shop, vans, sold, runner):
    monday = next_weekday()
    delivery = services.plan_delivery(
        shop.actor, sold, day=monday, address="Am Markt 1, 49074 Osnabrück", name="K.", phone="0541 1"
    )
    db.session.commit()
    moment = datetime.combine(monday + timedelta(days=30), time(12), store_zone())
    assert services.erase_delivery_contacts(Actor.system(), now=moment - timedelta(days=1)) == 0
    assert services.erase_delivery_contacts(Actor.system(), now=moment) == 1
    db.session.commit()
    db.session.refresh(delivery)
    assert (delivery.name, delivery.address, delivery.phone) == (None, None, None)
    assert delivery.postcode == "49" and delivery.what == "1 × Jacke"
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0 and "Delivery addresses erased: 0." in result.output
