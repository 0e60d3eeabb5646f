"""Reservations: a reserved item cannot be sold but by its reservation (409 anywhere else), its
number at the till brings it into the cart, it lapses once after its date, and the API."""

import threading
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from store.core.audit import Actor, AuditEntry
from store.core.errors import ConflictError, PermissionDeniedError, ValidationError
from store.core.timeutil import local_today
from store.extensions import db
from store.goods import services as goods
from store.goods.models import ItemStatus, Reservation, ReservationStatus
from store.goods.reservation_tag import tag_pdf
from store.goods.services.reservations import reservation_number
from store.till import services as t
from store.till.models import Till
from tests.conftest import tr

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)  # a Friday
TODAY = date(2026, 11, 20)


def reserve(shop, item=None, **changes):
    values = {"customer": "Frau A.", "until": TODAY + timedelta(days=3), "now": NOW, **changes}
    supervisor = Actor(user=shop.supervisor)
    reservation = goods.reserve(supervisor, (item or shop.items[0]).code, **values)
    db.session.commit()
    return reservation


def second_till(shop):
    till = t.save_till(Actor.system(), None, name="Kasse 2", serial="K2-0002")
    db.session.commit()
    t.open_session(Actor.system(), till, float_cents=0)
    db.session.commit()
    return till


def test_numbers_carry_a_check_digit():
    numbers = [reservation_number(i) for i in (1, 2, 99, 12345)]
    assert [len(n) for n in numbers] == [6, 6, 6, 6] and numbers[0].startswith("10001")
    assert all(goods.is_reservation_number(n) for n in numbers)
    assert not goods.is_reservation_number(numbers[0][:-1] + str((int(numbers[0][-1]) + 1) % 10))
    assert not goods.is_reservation_number("2000000000017")  # an item's EAN-13 is not one


def test_reserved_item_is_refused_at_any_till_but_by_its_number(shop):
    reservation = reserve(shop)
    code = shop.items[0].code
    note = goods.reserved_note(reservation)
    assert "23.11.2026" in note and reservation.number in note
    with pytest.raises(ConflictError) as refused:
        t.add_code(shop.actor, shop.till, code)
    assert refused.value.message == note
    db.session.rollback()
    # the reservation's number brings the item in, and this till may sell it
    line = t.add_code(shop.actor, shop.till, reservation.number)
    assert line.item_id == shop.items[0].id
    sale, _created = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 1250)], now=NOW)
    db.session.commit()
    assert shop.items[0].status == ItemStatus.SOLD
    db.session.refresh(reservation)
    assert reservation.status == ReservationStatus.SOLD and reservation.sale_ref == str(sale.id)


def test_a_till_that_had_the_item_before_the_reservation_cannot_sell_it(shop):
    t.add_code(shop.actor, shop.till, shop.items[0].code)  # in the cart first ...
    db.session.commit()
    reserve(shop)  # ... then reserved at the office
    with pytest.raises(ConflictError):
        t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 1250)], now=NOW)
    db.session.rollback()
    assert db.session.get(type(shop.items[0]), shop.items[0].id).status == ItemStatus.IN_STOCK


def test_the_number_typed_at_another_till_moves_the_right_to_sell(shop):
    reservation = reserve(shop)
    other = second_till(shop)
    t.add_code(shop.actor, shop.till, reservation.number)
    db.session.commit()
    other_actor = Actor(user=shop.cashier, till_id=other.id)
    t.add_code(other_actor, other, reservation.number)
    db.session.commit()
    with pytest.raises(ConflictError):  # the first till may not sell it any more
        t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 1250)], now=NOW)
    db.session.rollback()
    sale, _ = t.checkout(other_actor, other, [t.PaymentIn("cash", 1250)], now=NOW)
    db.session.commit()
    assert sale.total_cents == 1250


def test_two_tills_cannot_sell_a_reserved_item(app, shop):
    """Both tills have the item in their cart (scanned before it was reserved); both pay at once."""
    other = second_till(shop)
    code = shop.items[0].code
    for till_id in (shop.till.id, other.id):
        t.add_code(Actor(user=shop.cashier, till_id=till_id), db.session.get(Till, till_id), code)
        db.session.commit()
    reserve(shop)
    barrier = threading.Barrier(2)
    results = []

    def pay(till_id):
        with app.app_context():
            from store.auth.models import User

            actor = Actor(user=db.session.get(User, shop.cashier.id), till_id=till_id)
            till = db.session.get(Till, till_id)
            barrier.wait()
            try:
                t.checkout(actor, till, [t.PaymentIn("cash", 1250)])
                db.session.commit()
                results.append("sold")
            except ConflictError:
                db.session.rollback()
                results.append("409")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=pay, args=(i,)) for i in (shop.till.id, other.id)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == ["409", "409"]


def test_reserving_checks_its_input(shop):
    with pytest.raises(ValidationError) as error:
        reserve(shop, customer=" ")
    assert error.value.field == "customer"
    db.session.rollback()
    with pytest.raises(ValidationError):
        reserve(shop, until=TODAY - timedelta(days=1))
    db.session.rollback()
    with pytest.raises(ValidationError):
        reserve(shop, until=TODAY + timedelta(days=60))
    db.session.rollback()
    with pytest.raises(ValidationError) as deposit:
        reserve(shop, deposit_cents=2000)
    assert deposit.value.field == "deposit_cents"
    db.session.rollback()
    reserve(shop)
    with pytest.raises(ConflictError):  # one active reservation per item
        reserve(shop)
    db.session.rollback()
    # a trainee reserves at a till only
    with pytest.raises(PermissionDeniedError):
        goods.reserve(Actor(user=shop.cashier), shop.items[1].code, customer="B", until=TODAY, now=NOW)
    db.session.rollback()
    goods.reserve(shop.actor, shop.items[1].code, customer="B", until=TODAY, now=NOW)


def test_a_lapsed_reservation_returns_the_item_exactly_once_when_two_runs_race(app, shop):
    reservation = reserve(shop, until=TODAY)
    assert goods.lapse_due(Actor.system(), now=NOW) == 0  # still today
    later = NOW + timedelta(days=1)
    barrier = threading.Barrier(2)
    counts = []

    def run():
        with app.app_context():
            barrier.wait()
            try:
                counts.append(goods.lapse_due(Actor.system(), now=later))
                db.session.commit()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(counts) == [0, 1]
    db.session.refresh(reservation)
    assert reservation.status == ReservationStatus.LAPSED
    lapses = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "reservation.lapse")
    )
    assert lapses == 1
    assert goods.sale_block(shop.items[0]) is None  # for sale again
    t.add_code(shop.actor, shop.till, shop.items[0].code)


def test_lapse_command(app, shop, runner):
    reserve(shop, until=TODAY)
    result = runner.invoke(args=["reservations", "lapse"])
    assert result.exit_code == 0 and "Reservations lapsed:" in result.output


def test_tag_is_an_a6_pdf(shop):
    reservation = reserve(shop)
    pdf = tag_pdf(reservation, "Sozialkaufhaus")
    assert pdf.startswith(b"%PDF") and b"/MediaBox [ 0 0 297.6378 419.5276 ]" in pdf


def test_pages_show_reserved_until(client, shop, login):
    reservation = reserve(shop)
    login(shop.supervisor)
    item = client.get(f"/items/{shop.items[0].id}").get_data(as_text=True)
    assert reservation.number in item and "23.11.2026" in item
    listing = client.get("/items?q=Jacke").get_data(as_text=True)
    assert "23.11.2026" in listing
    assert client.get("/reservations").status_code == 200
    pdf = client.get(f"/reservations/{reservation.id}/tag.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    released = client.post(f"/reservations/{reservation.id}/release")
    assert released.status_code == 302
    db.session.refresh(reservation)
    assert reservation.status == ReservationStatus.RELEASED


def test_reserve_from_the_item_page(client, shop, login):
    login(shop.supervisor)
    answer = client.post(
        f"/items/{shop.items[1].id}/reserve",
        data={"rs-customer": "Herr B.", "rs-until": (local_today() + timedelta(days=2)).isoformat()},
    )
    assert answer.status_code == 302
    assert db.session.scalar(sa.select(Reservation).where(Reservation.item_id == shop.items[1].id))


def test_api_round_trip(client, shop, api_token):
    headers = api_token(shop.supervisor)
    until = (local_today() + timedelta(days=5)).isoformat()
    body = {"code": shop.items[0].code, "until": until, "customer": "Nr. 17"}
    created = client.post("/api/v1/reservations", json=body, headers=headers)
    assert created.status_code == 201, created.json
    rid = created.json["id"]
    assert created.json["status"] == "active" and created.json["deposit_cents"] == 0
    again = client.post("/api/v1/reservations", json=body, headers=headers)
    assert again.status_code == 409
    deposit = client.post(
        "/api/v1/reservations",
        json={**body, "code": shop.items[1].code, "deposit_cents": 2000},
        headers=headers,
    )
    # A deposit is recorded as due (a till takes it with a receipt of its own); never above the price.
    assert deposit.status_code == 422
    assert deposit.json["detail"] == tr("The deposit must not be more than the price of the item.")
    deposit = client.post(
        "/api/v1/reservations",
        json={**body, "code": shop.items[1].code, "deposit_cents": 100},
        headers=headers,
    )
    assert deposit.status_code == 201, deposit.json
    assert deposit.json["deposit_cents"] == 100 and deposit.json["deposit_state"] == "due"
    listed = client.get("/api/v1/reservations", headers=headers).json["reservations"]
    assert sorted(r["id"] for r in listed) == sorted([rid, deposit.json["id"]])
    # selling it through the sales API: 409
    sale = {
        "id": str(uuid.uuid4()),
        "till": shop.till.name,
        "lines": [{"code": shop.items[0].code}],
        "payments": [{"method": "cash", "amount_cents": 1250}],
    }
    assert client.post("/api/v1/sales", json=sale, headers=api_token(shop.cashier)).status_code == 409
    released = client.post(f"/api/v1/reservations/{rid}/release", headers=headers)
    assert released.status_code == 200 and released.json["status"] == "released"
    assert client.post(f"/api/v1/reservations/{rid}/release", headers=headers).status_code == 409
    assert client.post("/api/v1/sales", json=sale, headers=api_token(shop.cashier)).status_code == 201


def test_the_item_api_and_the_search_field_know_the_reservation(client, shop, login, api_token):
    reservation = reserve(shop)
    got = client.get(f"/api/v1/items/{shop.items[0].code}", headers=api_token(shop.supervisor)).json
    assert got["reserved_until"] == "2026-11-23" and got["sellable"] is False
    login(shop.supervisor)
    answer = client.get(f"/items/scan?code={reservation.number}")
    assert answer.status_code == 302 and answer.location.endswith(f"/items/{shop.items[0].id}")


def test_writing_off_a_reserved_item_ends_its_reservation(shop):
    reservation = reserve(shop)
    goods.write_off(Actor(user=shop.supervisor), shop.items[0], "damaged", now=NOW)
    db.session.commit()
    db.session.refresh(reservation)
    assert reservation.status == ReservationStatus.RELEASED
