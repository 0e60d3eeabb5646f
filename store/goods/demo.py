"""Demo goods: a category tree like a real Sozialkaufhaus, a price list, and a few thousand items."""

import random
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from store.core.audit import Actor
from store.core.settings import get_setting, set_setting
from store.core.timeutil import local_today, utcnow
from store.extensions import db
from store.goods import services
from store.goods.models import Category, Item
from store.printing.models import Printer

MARKDOWN = [{"weeks": 4, "percent": 30}, {"weeks": 8, "percent": 50}]

# name, VAT bp, price range in cents, children, flags
TREE = [
    (
        "Kleidung",
        1900,
        (100, 2500),
        [
            (
                "Damen",
                [
                    ("Jacken", (500, 2500)),
                    ("Hosen", (300, 1200)),
                    ("Blusen & Shirts", (150, 800)),
                    ("Kleider", (400, 1500)),
                ],
            ),
            ("Herren", [("Jacken", (500, 2500)), ("Hosen", (300, 1200)), ("Hemden", (200, 800))]),
            ("Kinder", [("Babykleidung", (50, 500)), ("Kinderjacken", (300, 1200))]),
            ("Schuhe", []),
            ("Accessoires", []),
        ],
        {"has_clothing_fields": True},
    ),
    (
        "Hausrat",
        1900,
        (50, 3000),
        [
            ("Geschirr", []),
            ("Gläser", []),
            ("Töpfe & Pfannen", []),
            ("Deko", []),
            ("Textilien", []),
        ],
        {},
    ),
    (
        "Bücher & Medien",
        700,
        (50, 1000),
        [
            ("Romane", []),
            ("Kinderbücher", []),
            ("Sachbücher", []),
            ("CDs & DVDs", []),
        ],
        {},
    ),
    (
        "Möbel",
        1900,
        (1000, 25000),
        [
            ("Schränke", []),
            ("Tische & Stühle", []),
            ("Sofas & Sessel", []),
            ("Betten", []),
        ],
        {},
    ),
    (
        "Elektro",
        1900,
        (300, 8000),
        [
            ("Küchengeräte", []),
            ("Lampen", []),
            ("Unterhaltung", []),
        ],
        {"requires_safety_test": True},
    ),
    ("Spielzeug", 1900, (50, 2000), [("Spiele & Puzzles", []), ("Kuscheltiere", [])], {}),
    ("Fahrräder", 1900, (2000, 15000), [], {}),
]

DESCRIPTIONS = {
    "Jacken": ["Winterjacke", "Regenjacke", "Jeansjacke", "Strickjacke", "Wolljacke"],
    "Hosen": ["Jeans", "Stoffhose", "Cordhose", "Jogginghose"],
    "Blusen & Shirts": ["Bluse weiß", "T-Shirt", "Pullover", "Langarmshirt"],
    "Kleider": ["Sommerkleid", "Abendkleid", "Strickkleid"],
    "Hemden": ["Hemd kariert", "Hemd weiß", "Polohemd"],
    "Babykleidung": ["Body 3er-Pack", "Strampler", "Babymütze"],
    "Kinderjacken": ["Kinderjacke", "Schneeanzug", "Matschjacke"],
    "Schuhe": ["Turnschuhe", "Winterstiefel", "Sandalen", "Halbschuhe"],
    "Accessoires": ["Schal", "Handtasche", "Gürtel", "Mütze"],
    "Geschirr": ["Teller 6 Stück", "Kaffeeservice", "Tasse", "Müslischale"],
    "Gläser": ["Weingläser 4 Stück", "Wasserkaraffe", "Biergläser"],
    "Töpfe & Pfannen": ["Kochtopf 24 cm", "Bratpfanne", "Topfset"],
    "Deko": ["Vase", "Bilderrahmen", "Kerzenständer", "Wanduhr"],
    "Textilien": ["Bettwäsche", "Tischdecke", "Handtücher", "Vorhang"],
    "Romane": ["Roman (Taschenbuch)", "Krimi", "Roman gebunden"],
    "Kinderbücher": ["Bilderbuch", "Kinderbuch", "Pixi-Sammlung"],
    "Sachbücher": ["Kochbuch", "Reiseführer", "Wörterbuch Deutsch-Arabisch"],
    "CDs & DVDs": ["DVD Spielfilm", "Musik-CD", "Hörbuch"],
    "Schränke": ["Kleiderschrank 2-türig", "Kommode", "Bücherregal"],
    "Tische & Stühle": ["Esstisch", "Stuhl", "Couchtisch", "Schreibtisch"],
    "Sofas & Sessel": ["Sofa 3-Sitzer", "Sessel", "Schlafsofa"],
    "Betten": ["Bett 90x200", "Kinderbett", "Lattenrost"],
    "Küchengeräte": ["Wasserkocher", "Toaster", "Kaffeemaschine", "Mikrowelle"],
    "Lampen": ["Stehlampe", "Schreibtischlampe", "Deckenleuchte"],
    "Unterhaltung": ["Radio", "CD-Player", "Fernseher 32 Zoll"],
    "Spiele & Puzzles": ["Puzzle 1000 Teile", "Brettspiel", "Kartenspiel"],
    "Kuscheltiere": ["Teddybär", "Kuscheltier", "Plüschhase"],
    "Fahrräder": ["Damenrad 28 Zoll", "Kinderrad 20 Zoll", "Herrenrad"],
}

ARTICLES = [
    ("Taschenbuch", "Romane", 50),
    ("Buch gebunden", "Sachbücher", 100),
    ("Kinderbuch", "Kinderbücher", 50),
    ("CD / DVD", "CDs & DVDs", 100),
    ("Kinderkleidung Stück", "Babykleidung", 200),
    ("Socken Paar", "Accessoires", 50),
    ("Tasse / Glas", "Geschirr", 50),
    ("Besteck Stück", "Geschirr", 20),
    ("Kleiderbügel", "Textilien", 10),
    ("Postkarte", "Deko", 20),
]

SIZES = ["XS", "S", "M", "L", "XL", "38", "40", "42", "44", "92", "104", "116"]
COLOURS = ["schwarz", "blau", "rot", "grün", "grau", "weiß", "beige"]
BRANDS = ["", "", "", "H&M", "C&A", "Esprit", "s.Oliver", "Tom Tailor"]


def _add(actor, name, parent, vat, price_range, flags, sort):
    return services.save_category(
        actor,
        None,
        name=name,
        parent_id=parent.id if parent else None,
        vat_rate_bp=vat,
        price_min_cents=price_range[0] if price_range else None,
        price_max_cents=price_range[1] if price_range else None,
        markdown_steps=MARKDOWN,
        requires_safety_test=flags.get("requires_safety_test", False),
        has_clothing_fields=flags.get("has_clothing_fields", False),
        is_active=True,
        sort=sort,
    )


def load_categories(actor: Actor) -> bool:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Category)):
        return False
    for n, (name, vat, prices, children, flags) in enumerate(TREE):
        top = _add(actor, name, None, vat, prices, flags, n)
        db.session.flush()
        for m, (child, grandchildren) in enumerate(
            (c if isinstance(c, tuple) else (c, [])) for c in children
        ):
            mid = _add(actor, child, top, vat, prices, flags, m)
            db.session.flush()
            for k, (leaf, leaf_prices) in enumerate(grandchildren):
                _add(actor, leaf, mid, vat, leaf_prices, flags, k)
    db.session.flush()
    for name, category_name, price in ARTICLES:
        category = db.session.scalar(sa.select(Category).where(Category.name == category_name))
        services.save_article(
            actor,
            None,
            name=name,
            category_id=category.id,
            price_cents=price,
            track_stock=False,
            sort=len(name),
        )
    return True


def load_items(actor: Actor, seed: int = 7) -> bool:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Item)):
        return False
    count = current_app.config.get("DEMO_ITEMS", 2500)
    rng = random.Random(seed)
    leaves = [c for c in services.list_categories() if not c.children]
    now = utcnow()
    made = 0
    while made < count:
        category = rng.choice(leaves)
        names = DESCRIPTIONS.get(category.name) or [category.name]
        low, high = category.price_min_cents or 100, category.price_max_cents or 2000
        price = rng.randrange(low, high + 1, 50) if high > low else low
        quantity = rng.choice([1, 1, 1, 1, 2, 3])
        age = timedelta(days=rng.randrange(0, 84), hours=rng.randrange(0, 9))
        entry = services.IntakeEntry(
            category_id=category.id,
            description=rng.choice(names),
            price_cents=price,
            quantity=quantity,
            condition=rng.choice(["new", "like_new", "good", "good", "used"]),
            location=f"{rng.choice('ABCDE')}{rng.randrange(1, 6)}",
        )
        if category.has_clothing_fields:
            entry.size, entry.colour = rng.choice(SIZES), rng.choice(COLOURS)
            entry.brand = rng.choice(BRANDS) or None
        if category.requires_safety_test and rng.random() < 0.85:
            tested = (now - age).date()
            entry.safety_test = {
                "tested_on": tested,
                "tester": "M. Schulz (EuP)",
                "passed": rng.random() < 0.9,
                "values": "RPE 0,12 Ω; RISO > 2 MΩ; IPE 0,05 mA",
            }
        items = services.take_in_items(actor, [entry], now=now - age)
        made += len(items)
        if rng.random() < 0.03:
            services.write_off(
                actor,
                items[0],
                rng.choice(["damaged", "disposed", "charity"]),
                "",
                now=now - age + timedelta(days=1),
            )
    return True


def load_settings(actor: Actor) -> bool:
    if get_setting("label_printer_id"):
        return False
    printer = db.session.scalar(sa.select(Printer).where(Printer.name.like("Etiketten%")))
    if printer is None:
        return False
    set_setting(actor, "label_printer_id", printer.id)
    return True


def load_reservations(actor: Actor) -> bool:
    """Two sofas or armchairs held for customers: one until the day after tomorrow, one for a week."""
    from store.goods.models import ItemStatus, Reservation

    if db.session.scalar(sa.select(sa.func.count()).select_from(Reservation)):
        return False
    furniture = db.session.scalar(sa.select(Category).where(Category.name == "Sofas & Sessel"))
    if furniture is None:
        return False
    items = db.session.scalars(
        sa.select(Item)
        .where(Item.category_id == furniture.id, Item.status == ItemStatus.IN_STOCK)
        .order_by(Item.id)
        .limit(2)
    ).all()
    today = local_today()
    for item, (customer, phone, days) in zip(
        items, [("Familie Haidari", "0151 2345678", 2), ("Nr. 17", None, 7)], strict=False
    ):
        services.reserve(
            actor, item.code, customer=customer, phone=phone, until=today + timedelta(days=days)
        )
    return bool(items)
