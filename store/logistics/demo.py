"""Demo pick-ups: two vans, offers in every state (one with a photo), the next weekdays' routes, a
collected sofa with its thank-you in the outbox, a declined offer with its polite answer."""

import io
from datetime import timedelta

import sqlalchemy as sa
from PIL import Image, ImageDraw

from store.core.audit import Actor
from store.core.timeutil import local_today, utcnow
from store.extensions import db
from store.goods import services as goods
from store.goods.models import Category
from store.logistics import services
from store.logistics.models import OfferSource, Vehicle

OFFERS = [
    # what, quantity, dimensions, name, address, floor, lift, phone, e-mail, volume in litres
    (
        "Sofa 3-Sitzer, grau",
        1,
        "210 × 90 × 85 cm",
        "Erika Brandt",
        "Lindenweg 4, 49191 Belm",
        2,
        False,
        "0541 123456",
        "erika.brandt@example.org",
        2500,
    ),
    (
        "Kleiderschrank 2-türig",
        1,
        "100 × 60 × 200 cm",
        "Jonas Peters",
        "Ringstraße 9, 49084 Osnabrück",
        0,
        False,
        "0171 2223334",
        None,
        1500,
    ),
    (
        "Esstisch mit 4 Stühlen",
        1,
        "140 × 80 cm",
        "Familie Öztürk",
        "Am Markt 1, 49191 Belm",
        3,
        True,
        "0541 998877",
        "oeztuerk@example.org",
        1200,
    ),
    (
        "Waschmaschine",
        1,
        "60 × 60 × 85 cm",
        "Herr Klein",
        "Bahnhofstraße 3, 49086 Osnabrück",
        1,
        False,
        "0160 5556667",
        None,
        400,
    ),
    (
        "Kinderbett mit Lattenrost",
        1,
        "70 × 140 cm",
        "Sandra Wolf",
        "Birkenallee 12, 49143 Bissendorf",
        0,
        False,
        None,
        "s.wolf@example.org",
        600,
    ),
    (
        "Matratze 140 × 200",
        2,
        None,
        "M. Schulte",
        "Heideweg 7, 49191 Belm",
        1,
        False,
        "0541 44444",
        "schulte@example.org",
        800,
    ),
]


def _photo() -> io.BytesIO:
    """A made-up photo: a grey sofa on a wall."""
    image = Image.new("RGB", (800, 600), (236, 232, 224))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 300, 680, 470), fill=(120, 124, 130))
    draw.rectangle((120, 220, 680, 320), fill=(140, 144, 150))
    draw.rectangle((100, 260, 170, 470), fill=(110, 114, 120))
    draw.rectangle((630, 260, 700, 470), fill=(110, 114, 120))
    out = io.BytesIO()
    image.save(out, "JPEG")
    out.seek(0)
    return out


def _weekdays(count: int):
    day = local_today() + timedelta(days=1)
    found = []
    while len(found) < count:
        if day.isoweekday() <= 5:
            found.append(day)
        day += timedelta(days=1)
    return found


def load_pickups(actor: Actor) -> bool:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Vehicle)):
        return False
    van = services.save_vehicle(actor, None, name="Transporter (LKW 3,5 t)", max_stops=6, volume_l=14000)
    small = services.save_vehicle(actor, None, name="Caddy", max_stops=4, volume_l=3000)
    offers = []
    for what, qty, dims, name, address, floor, lift, phone, email, volume in OFFERS:
        data = services.OfferIn(
            what=what,
            quantity=qty,
            dimensions=dims,
            name=name,
            address=address,
            floor=floor,
            has_lift=lift,
            phone=phone,
            email=email,
            consent=True,
            preferred_days="Montag, Mittwoch",
            photos=[_photo()] if what.startswith("Sofa") else [],
        )
        source = OfferSource.WEB if email else OfferSource.PHONE
        offer = services.create_offer(actor, data, source=source, now=utcnow() - timedelta(days=3))
        offer.volume_l = volume
        offers.append(offer)
    sofa, wardrobe, table, washer, cot, mattress = offers
    first, second = _weekdays(2)
    for offer in (sofa, wardrobe, table):
        services.accept(actor, offer)
    services.schedule(actor, wardrobe, van, first)
    services.schedule(actor, table, van, first)
    services.order_by_postcode(actor, van, first)
    services.accept(actor, washer)
    services.schedule(actor, washer, small, second)
    services.decline(actor, mattress, "not_accepted")
    # the sofa came in last week: taken in, thanked (the message waits in the outbox)
    furniture = db.session.scalar(sa.select(Category).where(Category.name == "Sofas & Sessel"))
    if furniture is not None:
        entry = goods.IntakeEntry(
            category_id=furniture.id,
            description="Sofa 3-Sitzer grau (aus Abholung)",
            price_cents=4500,
            location="Lager",
            donor_name=sofa.name,
        )
        services.take_in_offer(actor, sofa, [entry])
    db.session.flush()
    services.send_queued()
    return True
