"""Donation pick-ups: screening, vans with capacity, the route sheet, intake from an offer, mail
through a real SMTP server, retention of donors' contact data, and the API."""

import email
import email.policy
import io
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from store.core.audit import Actor
from store.core.errors import ConflictError, ValidationError
from store.extensions import db
from store.goods import services as goods
from store.goods.models import Item
from store.logistics import services
from store.logistics.models import DonorMail, MailStatus, OfferStatus
from store.logistics.route_sheet import route_sheet_pdf
from tests.logistics.conftest import jpeg_with_exif

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)  # Friday
MONDAY = date(2026, 11, 23)
SATURDAY = date(2026, 11, 21)


def test_photos_are_checked_and_stripped_of_metadata(app, make_offer):
    offer = make_offer(photos=[io.BytesIO(jpeg_with_exif((3000, 2000)))])
    (photo,) = offer.photos
    stored = Image.open(services.photo_folder() / photo.filename)
    assert max(stored.size) == 1600 and not stored.getexif()
    assert b"PhoneMaker" not in (services.photo_folder() / photo.filename).read_bytes()
    with pytest.raises(ValidationError):
        services.add_photo(Actor.system(), offer, io.BytesIO(b"%PDF-1.4 not a picture"))
    db.session.rollback()
    with pytest.raises(ValidationError):
        services.add_photo(Actor.system(), offer, io.BytesIO(b"x" * (services.PHOTO_MAX_BYTES + 1)))


def test_an_offer_needs_what_address_and_a_way_to_reach_the_donor(app, make_offer):
    with pytest.raises(ValidationError) as error:
        make_offer(address="Lindenweg 4")  # no postcode
    assert error.value.field == "address"
    db.session.rollback()
    with pytest.raises(ValidationError) as error:
        make_offer(phone=None, email=None)
    assert error.value.field == "phone"


def test_screening_scheduling_capacity_and_the_route(app, vans, make_offer):
    big, small = vans
    actor = Actor.system()
    first = make_offer(address="Am Markt 1, 49191 Belm")
    second = make_offer(what="Schrank", address="Ringstraße 9, 49084 Osnabrück")
    third = make_offer(what="Tisch", address="Weg 2, 49086 Osnabrück")
    for offer in (first, second, third):
        services.accept(actor, offer, volume_l=3000, now=NOW)
    with pytest.raises(ValidationError):  # the Transporter does not drive on Saturdays
        services.schedule(actor, first, big, SATURDAY, now=NOW)
    services.schedule(actor, first, big, MONDAY, now=NOW)
    services.schedule(actor, second, big, MONDAY, now=NOW)
    with pytest.raises(ConflictError):  # two stops a day
        services.schedule(actor, third, big, MONDAY, now=NOW)
    with pytest.raises(ConflictError):  # 3 m³ fit into the Caddy, but not 3 m³ + more
        third.volume_l = 3500
        services.schedule(actor, third, small, MONDAY, now=NOW)
    third.volume_l = 3000
    services.schedule(actor, third, small, MONDAY, now=NOW)
    db.session.commit()
    slots = services.day_slots(MONDAY)
    assert [(s.vehicle.name, len(s.stops), s.load_l) for s in slots] == [
        ("Caddy", 1, 3000),
        ("Transporter 1", 2, 6000),
    ]
    services.order_by_postcode(actor, big, MONDAY)
    assert [s.offer.postcode for s in services.slot(big, MONDAY).stops] == ["49084", "49191"]
    services.move_stop(actor, services.slot(big, MONDAY).stops[0], +1)
    assert [s.offer.postcode for s in services.slot(big, MONDAY).stops] == ["49191", "49084"]
    pdf = route_sheet_pdf(services.day_slots(MONDAY), MONDAY, "Sozialkaufhaus")
    text = pdf_text(pdf)
    assert "Am Markt 1, 49191 Belm" in text and "Ringstraße 9" in text and "0541 12345" in text
    assert text.index("Am Markt 1") < text.index("Ringstraße 9")


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def test_decline_sends_a_polite_answer_through_smtp(app, make_offer, smtp_server):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_FROM="shop@example.org")
    offer = make_offer(language="en")
    services.decline(Actor.system(), offer, "condition", now=NOW)
    db.session.commit()
    assert services.send_queued() == 1
    db.session.commit()
    (envelope,) = smtp_server.messages
    assert envelope.rcpt_tos == ["erika@example.org"]
    body = email.message_from_bytes(envelope.content, policy=email.policy.default).get_content()
    assert "Unfortunately we cannot collect your offer" in body and "good condition" in body
    mail = db.session.scalar(sa.select(DonorMail))
    assert mail.status == MailStatus.SENT and offer.done_on == NOW.date()


def test_without_a_mail_server_messages_are_kept_and_without_consent_none_is_written(app, make_offer):
    offer = make_offer()
    services.ask_for_photo(Actor.system(), offer, now=NOW)
    quiet = make_offer(consent=False)
    services.ask_for_photo(Actor.system(), quiet, now=NOW)
    db.session.commit()
    services.send_queued()
    db.session.commit()
    mails = db.session.scalars(sa.select(DonorMail)).all()
    assert [(m.offer_id, m.status) for m in mails] == [(offer.id, MailStatus.KEPT)]
    assert "photo" in mails[0].subject.lower() or "Foto" in mails[0].subject


def test_intake_from_the_offer_thanks_the_donor(app, vans, make_offer, make_category):
    furniture = make_category("Möbel", vat_rate_bp=1900)
    offer = make_offer(dimensions="220 × 90 × 85 cm", photos=[io.BytesIO(jpeg_with_exif())])
    services.accept(Actor.system(), offer, volume_l=2500, now=NOW)
    services.schedule(Actor.system(), offer, vans[0], MONDAY, now=NOW)
    defaults = services.intake_defaults(offer)
    assert defaults == {
        "description": "Sofa, 3-Sitzer (220 × 90 × 85 cm)",
        "quantity": 1,
        "donor_name": "Erika Muster",
    }
    entry = goods.IntakeEntry(
        category_id=furniture.id,
        description=defaults["description"],
        price_cents=4500,
        donor_name=defaults["donor_name"],
    )
    (item,) = services.take_in_offer(Actor.system(), offer, [entry], now=NOW + timedelta(days=3))
    db.session.commit()
    assert offer.status == OfferStatus.COLLECTED and offer.item_codes == [item.code]
    assert item.donor_name == "Erika Muster" and item.photo == f"{item.code}.jpg"
    assert db.session.scalar(sa.select(DonorMail.kind)) == "thanks"
    with pytest.raises(ConflictError):
        services.take_in_offer(Actor.system(), offer, [entry])


def test_retention_removes_contacts_after_the_days_and_keeps_counts(app, make_offer, runner):
    offer = make_offer(photos=[io.BytesIO(jpeg_with_exif())])
    photo_file = services.photo_folder() / offer.photos[0].filename
    services.decline(Actor.system(), offer, "no_space", now=NOW)
    db.session.commit()
    assert services.erase_donor_contacts(Actor.system(), now=NOW + timedelta(days=29)) == 0
    assert services.erase_donor_contacts(Actor.system(), now=NOW + timedelta(days=30)) == 1
    db.session.commit()
    db.session.refresh(offer)
    assert (offer.name, offer.address, offer.phone, offer.email) == (None, None, None, None)
    assert offer.what == "Sofa, 3-Sitzer" and offer.postcode == "49" and offer.photos == []
    assert not photo_file.exists()
    mail = db.session.scalar(sa.select(DonorMail))
    assert mail.to is None and mail.body is None and mail.subject
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0 and "Donor contacts erased: 0." in result.output


def test_staff_pages(client, login, make_user, vans, make_offer, make_category):
    make_category("Möbel")
    offer = make_offer(photos=[io.BytesIO(jpeg_with_exif())])
    supervisor = make_user("supervisor")
    login(supervisor)
    assert "Sofa" in client.get("/pickups").get_data(as_text=True)
    page = client.get(f"/pickups/offers/{offer.id}").get_data(as_text=True)
    assert "Lindenweg 4" in page
    photo = client.get(f"/pickups/offers/{offer.id}/photos/{offer.photos[0].id}.jpg")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert client.post(f"/pickups/offers/{offer.id}/accept", data={"volume": "2.5"}).status_code == 302
    monday = next_weekday()
    answer = client.post(
        f"/pickups/offers/{offer.id}/schedule", data={"vehicle": vans[0].id, "day": monday.isoformat()}
    )
    assert answer.status_code == 302
    day = client.get(f"/pickups/days/{monday.isoformat()}").get_data(as_text=True)
    assert "Lindenweg 4" in day
    pdf = client.get(f"/pickups/days/{monday.isoformat()}/route.pdf")
    assert pdf.mimetype == "application/pdf" and "Lindenweg 4" in pdf_text(pdf.data)
    assert client.get(f"/pickups/offers/{offer.id}/intake").status_code == 200
    assert client.get("/pickups/outbox").status_code == 200
    assert client.get("/pickups/vehicles").status_code == 200
    assert client.get("/pickups/offers/new").status_code == 200


def next_weekday() -> date:
    from store.core.timeutil import local_today

    day = local_today() + timedelta(days=1)
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return day


def test_api(client, make_user, vans, api_token):
    headers = api_token(make_user("supervisor"))
    monday = next_weekday()
    body = {
        "date": monday.isoformat(),
        "name": "Herr K.",
        "address": "Bahnhofstr. 3, 49191 Belm",
        "phone": "0171 555",
        "description": "Kühlschrank",
    }
    created = client.post("/api/v1/pickups", json=body, headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["status"] == "scheduled" and created.json["vehicle"] == "Caddy"
    listed = client.get(f"/api/v1/pickups?date={monday.isoformat()}", headers=headers).json
    assert [p["address"] for p in listed["pickups"]] == ["Bahnhofstr. 3, 49191 Belm"]
    routes = client.get(f"/api/v1/routes/{monday.isoformat()}", headers=headers).json
    assert {r["vehicle"]: len(r["stops"]) for r in routes["routes"]} == {"Caddy": 1, "Transporter 1": 0}
    trainee = api_token(make_user("trainee"))
    assert client.post("/api/v1/pickups", json=body, headers=trainee).status_code == 403
    assert client.get(f"/api/v1/routes/{monday.isoformat()}", headers=trainee).status_code == 200
    assert Item  # the intake path is covered above
