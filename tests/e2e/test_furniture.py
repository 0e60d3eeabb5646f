"""Journey: a donor offers a sofa with a photo on /spenden; staff accept it and schedule it on a van;
the route sheet shows it; the collected sofa is taken in from the offer; a customer reserves it with
a 20 € deposit, taken at the till; a second till cannot sell it; two days later the reservation's
number brings it into the first till's sale with the deposit counted, bought with delivery; the
receipt shows the deposit used and the delivery line; the day's closing and the DSFinV-K export
reconcile."""

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from store.core.audit import Actor
from store.core.timeutil import local_today
from store.core.web import DEVICE_COOKIE, device_cookie_value
from store.extensions import db
from store.fiscal import dsfinvk
from store.goods.models import Item, Reservation
from store.logistics import services as logistics
from store.logistics.models import DonationOffer
from store.printing.models import PrintJob
from store.printing.services import save_printer
from store.till import services as till_services
from store.till.models import Sale, SaleKind
from tests.conftest import PASSWORD
from tests.fiscal.test_dsfinvk import cents, rows, unzip
from tests.logistics.conftest import jpeg_with_exif

pytestmark = [pytest.mark.e2e, pytest.mark.clock]


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


SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"  # looked at by a person


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


# long function: the whole journey, step by step as the people do it
def test_sofa_from_offer_to_reservation(live_server, page: Page, store, tmp_path, pinned_clock):
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
    page.get_by_label("Anzahlung in €").fill("20")
    page.get_by_role("button", name="Reservieren", exact=True).click()
    expect(page.locator("#reservation h2")).to_contain_text("Reserviert bis")
    expect(page.locator(".deposit-state")).to_contain_text("an der Kasse zu kassieren")
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

    # the 20 € deposit is taken at the first till: a receipt of its own
    page.context.add_cookies(
        [{"name": DEVICE_COOKIE, "value": device_cookie_value(first.id), "url": base}]
    )
    page.goto(f"{base}/till/{first.id}")
    page.get_by_role("link", name="Anzahlung", exact=True).click()
    page.get_by_label("Reservierungsnummer").fill(reservation.number)
    page.get_by_role("button", name="Reservierung suchen").click()
    expect(page.get_by_label("Anzahlung in €")).to_have_value("20,00")
    page.get_by_role("button", name="Anzahlung kassieren").click()
    expect(page.locator(".flash-success")).to_contain_text("Anzahlung kassiert")
    deposit = db.session.scalar(sa.select(Sale).where(Sale.kind == SaleKind.DEPOSIT))
    assert deposit.total_cents == 2000 and deposit.lines[0].business_case == "Anzahlungseinstellung"

    # two days later the reservation's number brings it into the sale, the deposit counted
    pinned_clock.shift(timedelta(days=2))
    page.goto(f"{base}/till/{first.id}")
    expect(page.locator("#scan")).to_be_focused()
    page.keyboard.type(reservation.number)
    page.keyboard.press("Enter")
    expect(page.locator(".cart-lines tr")).to_have_count(2)
    expect(page.locator(".cart-deposit")).to_contain_text("Anzahlung verrechnet")
    expect(page.locator("#cart-total")).to_have_text(re.compile(r"25,00\s€"))
    page.locator("#add-delivery").click()  # with delivery at the store's fee (30 €)
    expect(page.locator(".cart-service")).to_contain_text("Lieferung")
    expect(page.locator("#cart-total")).to_have_text(re.compile(r"55,00\s€"))
    page.screenshot(path=str(SHOTS / "furniture-deposit-and-delivery.png"))
    page.keyboard.press("F4")
    expect(page.locator("#pay-cash-amount")).to_have_value("55,00")
    page.keyboard.press("Enter")
    expect(page.locator("#done .done-ok")).to_be_visible()
    page.screenshot(path=str(SHOTS / "furniture-paid.png"))
    sale = db.session.scalar(sa.select(Sale).where(Sale.kind == SaleKind.SALE))
    assert [line.business_case for line in sale.lines] == ["Umsatz", "Anzahlungsaufloesung", "Umsatz"]
    receipt = db.session.scalar(
        sa.select(PrintJob).where(PrintJob.ref_type == "sale", PrintJob.ref_id == str(sale.id))
    )
    text = receipt.payload.decode("cp858", errors="replace")
    assert "Anzahlung Reservierung" in text and "Lieferung" in text
    assert f"Anzahlung von Bon Nr. {deposit.receipt_number}" in text

    # the address and the day, after paying; the van's day and its route sheet show the delivery
    page.get_by_role("link", name="Lieferung: Adresse und Tag angeben").click()
    page.get_by_label("Straße, Hausnummer, PLZ und Ort").fill("Am Markt 1, 49074 Osnabrück")
    delivery_day = next_weekday()
    page.get_by_label("Tag der Lieferung").fill(delivery_day.isoformat())
    page.get_by_role("button", name="Lieferung planen").click()
    expect(page.locator(".stop-list")).to_contain_text("Am Markt 1, 49074 Osnabrück")
    pdf = page.request.get(f"{base}/pickups/days/{delivery_day.isoformat()}/route.pdf")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.body(), capture_output=True).stdout.decode()
    assert "Am Markt 1, 49074 Osnabrück" in text

    # the day's closing and the DSFinV-K export reconcile
    boss = Actor(user=store["supervisor"], source="web", till_id=first.id)
    expected = till_services.expected_cash(till_services.current_session(first))
    closing = till_services.close_session(boss, first, counted_cents=expected)
    db.session.commit()
    report = closing.report
    assert report["deposits"]["taken"] == 2000 and report["deposits"]["used"] == 2000
    files = unzip(dsfinvk.export_closing(closing).file.read())
    bons = rows(files, "transactions.csv")
    cases = {}
    for r in rows(files, "businesscases.csv"):
        cases[r["GV_TYP"]] = cases.get(r["GV_TYP"], 0) + cents(r["Z_UMS_BRUTTO"])
    assert sum(cents(r["UMS_BRUTTO"]) for r in bons if r["BON_TYP"] == "Beleg") == sum(cases.values())
    assert cases["Anzahlungseinstellung"] == 2000 and cases["Anzahlungsaufloesung"] == -2000
    assert (
        cases["Umsatz"] + cases["Anzahlungseinstellung"] + cases["Anzahlungsaufloesung"]
        == (report["total_cents"])
    )
    payments = {r["ZAHLART_TYP"]: cents(r["Z_ZAHLART_BETRAG"]) for r in rows(files, "payment.csv")}
    assert payments["Bar"] == closing.counted_cents == 2000 + 5500


def offer_volume(offer) -> int:
    db.session.refresh(offer)
    return offer.volume_l
