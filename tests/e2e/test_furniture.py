"""Journey: a donor offers a sofa with a photo on /spenden; staff accept it and schedule it on a van;
the route sheet shows it; the collected sofa is taken in from the offer; a customer reserves it; a
second till cannot sell it, the reservation's number brings it into the first till's sale."""

import re
import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from store.core.audit import Actor
from store.core.timeutil import local_today
from store.core.web import DEVICE_COOKIE, device_cookie_value
from store.extensions import db
from store.goods.models import Item, Reservation
from store.logistics import services as logistics
from store.logistics.models import DonationOffer
from store.printing.services import save_printer
from store.till import services as till_services
from tests.conftest import PASSWORD
from tests.logistics.conftest import jpeg_with_exif

pytestmark = pytest.mark.e2e


@pytest.fixture
def app_config():
    # real forms with real CSRF tokens; the form's minimum fill time is for people, not this robot
    return {"WTF_CSRF_ENABLED": True, "OFFER_MIN_SECONDS": 0}


@pytest.fixture
def store(make_user, make_category):
    printer = save_printer(Actor.system(), None, name="Bondrucker 1", backend="virtual", params={})
    db.session.flush()
    tills = [
        till_services.save_till(
            Actor.system(), None, name=f"Kasse {n}", serial=f"K{n}", receipt_printer_id=printer.id
        )
        for n in (1, 2)
    ]
    make_category("Möbel", vat_rate_bp=1900)
    logistics.save_vehicle(Actor.system(), None, name="Transporter", max_stops=6, volume_l=12000)
    db.session.commit()
    for till in tills:
        till_services.open_session(Actor.system(), till, float_cents=0)
    db.session.commit()
    return {
        "tills": tills,
        "supervisor": make_user("supervisor", first_name="Michael", badge="9000001", pin="9001"),
        "cashier": make_user("trainee", first_name="Olena", badge="1000001"),
    }


def next_weekday():
    day = local_today() + timedelta(days=1)
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return day


def sign_in(page: Page, base: str, user):
    page.goto(f"{base}/login")
    page.get_by_label("Benutzername").fill(user.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def test_sofa_from_offer_to_reservation(live_server, page: Page, store, tmp_path):
    base = live_server
    photo = tmp_path / "sofa.jpg"
    photo.write_bytes(jpeg_with_exif())

    # the donor, not signed in
    page.goto(f"{base}/spenden")
    expect(page.locator("h1")).to_have_text("Möbel oder Elektrogeräte spenden")
    page.get_by_label("Was möchten Sie spenden?").fill("Sofa 3-Sitzer, grau")
    page.get_by_label("Maße").fill("210 × 90 × 85 cm")
    page.locator("input[name=photos]").set_input_files(str(photo))
    page.get_by_label("Ihr Name").fill("Erika Brandt")
    page.get_by_label("Abholadresse").fill("Lindenweg 4, 49191 Belm")
    page.get_by_label("Stockwerk (0 = Erdgeschoss)").fill("2")
    page.get_by_label("Montag").check()
    page.get_by_label("Telefon", exact=True).fill("0541 123456")
    page.get_by_label("E-Mail", exact=True).fill("erika@example.org")
    page.get_by_label("Sie dürfen mich").check()
    page.get_by_role("button", name="Angebot senden").click()
    expect(page.locator("h1")).to_have_text("Danke!")
    offer = db.session.scalar(sa.select(DonationOffer))
    assert offer.what == "Sofa 3-Sitzer, grau" and len(offer.photos) == 1

    # staff screen it, accept it and put it on the van's next weekday
    sign_in(page, base, store["supervisor"])
    page.goto(f"{base}/pickups")
    page.get_by_role("link", name=re.compile("Sofa 3-Sitzer")).click()
    expect(page.locator(".offer-photos img")).to_have_count(1)
    page.get_by_label("Ladung in m³").fill("2,5")
    page.locator("form[action$='/accept'] button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    day = next_weekday()
    page.get_by_label("Fahrzeug", exact=True).select_option(label="Transporter")
    page.get_by_label("Tag", exact=True).fill(day.isoformat())
    page.get_by_role("button", name="Einplanen").click()
    expect(page.locator(".stop-list")).to_contain_text("Lindenweg 4, 49191 Belm")

    # the route sheet shows the stop
    pdf = page.request.get(f"{base}/pickups/days/{day.isoformat()}/route.pdf")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.body(), capture_output=True).stdout.decode()
    assert "Lindenweg 4, 49191 Belm" in text and "Sofa 3-Sitzer, grau" in text and "0541 123456" in text

    # back at the store: taken in from the offer, with its data filled in
    page.get_by_role("link", name="Aufnehmen").click()
    expect(page.get_by_label("Was ist es?")).to_have_value("Sofa 3-Sitzer, grau (210 × 90 × 85 cm)")
    page.get_by_label("Kategorie").select_option(label="Möbel")
    page.get_by_label("Preis in €").fill("45")
    page.get_by_role("button", name="Aufnehmen und Etiketten drucken").click()
    expect(page.locator(".flash-success")).to_contain_text("Aufgenommen")
    assert offer_volume(offer) == 2500
    item = db.session.scalar(sa.select(Item))
    assert item.description.startswith("Sofa 3-Sitzer") and item.price_cents == 4500

    # a customer reserves it on the item page
    page.locator("#reserve summary").click()
    page.get_by_label("Kundin/Kunde").fill("Familie Haidari")
    page.get_by_label("Reserviert bis").fill((local_today() + timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Reservieren", exact=True).click()
    expect(page.locator("#reservation h2")).to_contain_text("Reserviert bis")
    reservation = db.session.scalar(sa.select(Reservation))
    page.locator("#logout-form button").click()

    # at the second till its label is refused: "reserviert bis …"
    first, second = store["tills"]
    page.context.add_cookies(
        [{"name": DEVICE_COOKIE, "value": device_cookie_value(second.id), "url": base}]
    )
    sign_in(page, base, store["cashier"])
    page.goto(f"{base}/till/{second.id}")
    expect(page.locator("#scan")).to_be_focused()
    page.keyboard.type(item.code)
    page.keyboard.press("Enter")
    expect(page.locator("#message")).to_contain_text("Reserviert bis")
    expect(page.locator(".cart-lines tr")).to_have_count(0)

    # at the first till the reservation's number brings it into the sale
    page.context.add_cookies(
        [{"name": DEVICE_COOKIE, "value": device_cookie_value(first.id), "url": base}]
    )
    page.goto(f"{base}/till/{first.id}")
    expect(page.locator("#scan")).to_be_focused()
    page.keyboard.type(reservation.number)
    page.keyboard.press("Enter")
    expect(page.locator(".cart-lines tr")).to_have_count(1)
    expect(page.locator("#cart-total")).to_have_text(re.compile(r"45,00\s€"))


def offer_volume(offer) -> int:
    db.session.refresh(offer)
    return offer.volume_l
