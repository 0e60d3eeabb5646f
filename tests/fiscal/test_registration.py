"""Registration of the tills with the tax office (§146a Abs. 4 AO): the data, the one-month
deadline, and putting tills into and out of service."""

import csv
import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from store.core.audit import Actor, AuditEntry
from store.core.errors import ConflictError, ValidationError
from store.core.i18n import local_date
from store.core.timeutil import local_today
from store.extensions import db
from store.fiscal import registration
from store.till import services as t

pytestmark = pytest.mark.clock  # service dates relative to one fixed "today"


@pytest.fixture
def second_till(shop):
    till = t.save_till(Actor.system(), None, name="Kasse 2", serial="K2-0002", location="Möbel")
    db.session.commit()
    return till


def test_deadline_is_one_calendar_month_later():
    assert registration.add_months(date(2026, 3, 15), 1) == date(2026, 4, 15)
    assert registration.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert registration.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert registration.add_months(date(2026, 12, 10), 1) == date(2027, 1, 10)
    assert registration.reporting_deadline(None) is None


def test_address_is_split_for_the_form():
    assert registration.split_address("Marktstraße 12, 49191 Belm") == (
        "Marktstraße 12",
        "49191",
        "Belm",
    )
    assert registration.split_address("") == ("", "", "")


def test_page_lists_every_till_with_serial_and_tse(client, shop, second_till, login):
    login(shop.supervisor)
    page = client.get("/fiscal/registration")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for serial in ("K1-0001", "K2-0002"):
        assert serial in html
    device = registration.active_tse()  # the simulator signed the shop's opening
    assert device.serial in html
    assert "Kaufhaus (open source)" in html and "Software-Simulator (Demo)" in html
    assert "/out-of-service" not in html  # the forms are for admins


def test_taking_a_till_out_of_service_shows_the_deadline(client, shop, second_till, make_user, login):
    login(make_user("admin"))
    on = local_today() - timedelta(days=3)
    response = client.post(
        f"/fiscal/registration/{second_till.id}/out-of-service",
        data={f"out{second_till.id}-on": on.isoformat()},
    )
    assert response.status_code == 302
    db.session.refresh(second_till)
    assert second_till.out_of_service_on == on and not second_till.is_active
    html = client.get("/fiscal/registration").get_data(as_text=True)
    deadline = registration.add_months(on, 1)
    assert local_date(deadline) in html
    assert 'class="flash flash-warning deadline"' in html
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "till.out_of_service"))
    assert entry.data["on"] == on.isoformat() and entry.object_id == str(second_till.id)
    with pytest.raises(ConflictError):  # it sells no more
        t.open_session(Actor.system(), second_till, float_cents=0)


def test_out_of_service_is_refused_while_open_or_in_the_future(
    client, shop, second_till, make_user, login
):
    login(make_user("admin"))
    today = local_today()
    open_till = client.post(
        f"/fiscal/registration/{shop.till.id}/out-of-service",
        data={f"out{shop.till.id}-on": today.isoformat()},
    )
    assert open_till.status_code == 422
    future = client.post(
        f"/fiscal/registration/{second_till.id}/out-of-service",
        data={f"out{second_till.id}-on": (today + timedelta(days=1)).isoformat()},
    )
    assert future.status_code == 422
    empty = client.post(f"/fiscal/registration/{second_till.id}/out-of-service", data={})
    assert empty.status_code == 422
    db.session.refresh(second_till)
    assert second_till.out_of_service_on is None and second_till.is_active
    with pytest.raises(ValidationError):
        t.put_into_service(Actor.system(), second_till, today)
        db.session.flush()
        t.take_out_of_service(Actor.system(), second_till, today - timedelta(days=1))


def test_in_service_date_and_csv_for_elster(client, shop, second_till, make_user, login):
    login(make_user("admin"))
    on = local_today() - timedelta(days=10)
    response = client.post(
        f"/fiscal/registration/{second_till.id}/in-service",
        data={f"in{second_till.id}-on": on.isoformat()},
    )
    assert response.status_code == 302
    db.session.refresh(second_till)
    assert second_till.in_service_on == on
    html = client.get("/fiscal/registration").get_data(as_text=True)
    assert local_date(registration.add_months(on, 1)) in html

    download = client.get("/fiscal/registration.csv")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig")), delimiter=";"))
    header, rows = table[0], {row[5]: row for row in table[1:]}
    assert header[11] == "Seriennummer Kasse" and header[-1] == "Meldefrist"
    assert rows["Kasse 2"][11] == "K2-0002"
    assert rows["Kasse 2"][17] == on.strftime("%d.%m.%Y")
    assert rows["Kasse 1"][13] == registration.active_tse().serial


def test_supervisors_and_trainees_cannot_change_service_dates(client, shop, second_till, login):
    login(shop.supervisor)
    response = client.post(
        f"/fiscal/registration/{second_till.id}/out-of-service",
        data={f"out{second_till.id}-on": local_today().isoformat()},
    )
    assert response.status_code == 403
    client.post("/logout")
    login(shop.cashier)
    assert client.get("/fiscal/registration").status_code == 403


def test_registration_api(client, shop, second_till, api_token):
    data = client.get("/api/v1/fiscal/registration", headers=api_token(shop.supervisor)).json
    assert data["store_name"] == "Sozialkaufhaus Teststadt"
    serials = {r["serial"]: r for r in data["tills"]}
    assert set(serials) == {"K1-0001", "K2-0002"}
    assert serials["K1-0001"]["tse_certified"] is False
    assert serials["K1-0001"]["tse_certification_id"] == ""  # only a certified TSE has one
    response = client.get("/api/v1/fiscal/registration", headers=api_token(shop.cashier))
    assert response.status_code == 403


def test_a_till_out_of_service_can_go_back_into_service(shop, second_till):
    admin = Actor.system()
    today = local_today()
    t.take_out_of_service(admin, second_till, today - timedelta(days=5))
    with pytest.raises(ValidationError):
        t.put_into_service(admin, second_till, today - timedelta(days=6))
    t.put_into_service(admin, second_till, today)
    db.session.commit()
    assert second_till.is_active and second_till.out_of_service_on is None
    assert second_till.in_service_on == today
    t.open_session(admin, second_till, float_cents=0)  # it sells again
