"""Demo tills and four weeks of plausible sales history, each day opened and closed."""

import random
import uuid
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from store.auth.models import User
from store.core.access import Role
from store.core.audit import Actor
from store.core.errors import ServiceError
from store.core.pricing import price_line
from store.core.settings import get_setting
from store.core.timeutil import local_today, store_zone
from store.extensions import db
from store.goods import services as goods
from store.goods.models import Item, ItemStatus
from store.printing.models import Printer
from store.till import services
from store.till.models import Sale, Till

TILLS = [
    ("Kasse 1", "Eingang", "KH-KASSE-0001", "Bondrucker Kasse 1"),
    ("Kasse 2", "Möbelhalle", "KH-KASSE-0002", "Bondrucker Kasse 2"),
    ("Kasse 3", "Bücherecke", "KH-KASSE-0003", "Bondrucker Kasse 3"),
]


def load_tills(actor: Actor) -> bool:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Till)):
        return False
    label = db.session.scalar(sa.select(Printer.id).where(Printer.name.like("Etiketten%")))
    for name, location, serial, printer_name in TILLS:
        printer = db.session.scalar(sa.select(Printer.id).where(Printer.name == printer_name))
        services.save_till(
            actor,
            None,
            name=name,
            serial=serial,
            location=location,
            receipt_printer_id=printer,
            label_printer_id=label,
        )
    return True


def load_history(actor: Actor, seed: int = 11) -> bool:
    """Past opening days (Mon–Sat) on Kasse 1 and 2: sales, a few voids, and the closing."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Sale)):
        return False
    days = current_app.config.get("DEMO_HISTORY_DAYS", 28)
    rng = random.Random(seed)
    tills = list(db.session.scalars(sa.select(Till).order_by(Till.id)))[:2]
    trainees = list(db.session.scalars(sa.select(User).where(User.role == Role.TRAINEE)))
    supervisor = db.session.scalar(sa.select(User).where(User.role == Role.SUPERVISOR))
    articles = goods.list_articles()
    today = local_today()
    zone = store_zone()
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        if day.weekday() == 6:
            continue
        for till in tills:
            cashier = Actor(user=rng.choice(trainees), till_id=till.id, source="web")
            opening = datetime.combine(day, time(9, 30), tzinfo=zone)
            services.open_session(cashier, till, float_cents=15000, now=opening)
            moment = opening
            for _n in range(rng.randrange(8, 22)):
                moment += timedelta(minutes=rng.randrange(5, 25))
                _one_sale(rng, cashier, till, articles, moment)
            if rng.random() < 0.15:
                last = db.session.scalar(
                    sa.select(Sale).where(Sale.till_id == till.id).order_by(Sale.id.desc()).limit(1)
                )
                services.void_sale(
                    Actor(user=supervisor, till_id=till.id),
                    last,
                    "Falsch gebucht",
                    confirmed_by=supervisor,
                    now=moment + timedelta(minutes=2),
                )
            session = services.current_session(till)
            counted = services.expected_cash(session) + rng.choice([0, 0, 0, 0, -50, 100])
            services.close_session(
                Actor(user=supervisor, till_id=till.id),
                till,
                counted_cents=counted,
                reason="Zählfehler" if counted != services.expected_cash(session) else "",
                printed=False,
                now=moment + timedelta(minutes=30),
            )
        db.session.flush()
    # today: Kasse 1 is open and ready
    services.open_session(Actor(user=supervisor, till_id=tills[0].id), tills[0], float_cents=15000)
    return True


def _one_sale(rng, cashier, till, articles, moment) -> None:
    day = moment.date()
    eligibility = rng.random() < 0.25
    percent = get_setting("eligibility_percent") if eligibility else 0
    lines, total = [], 0
    candidates = db.session.scalars(
        sa.select(Item)
        .where(Item.status == ItemStatus.IN_STOCK, Item.taken_in_at < moment - timedelta(hours=1))
        .order_by(sa.func.random())
        .limit(3)
    ).all()
    for item in candidates[: rng.choice([0, 1, 1, 2, 3])]:
        try:
            goods.check_sellable(item)
        except ServiceError:
            continue
        lines.append(services.LineIn(code=item.code))
        total += price_line(goods.current_price(item, day).price_cents, 1, 0, percent).total_cents
    if not lines or rng.random() < 0.4:
        article, quantity = rng.choice(articles), rng.choice([1, 1, 2, 3])
        lines.append(services.LineIn(article=article.id, quantity=quantity))
        total += price_line(article.price_cents, quantity, 0, percent).total_cents
    method = rng.choices(["cash", "card", "voucher"], [75, 20, 5])[0]
    if method == "cash":
        given = next(n for n in (total, 500, 1000, 2000, 5000, 10000, total) if n >= total)
        payments = [services.PaymentIn("cash", given)]
    elif method == "card":
        payments = [services.PaymentIn("card", total)]
    else:
        payments = [
            services.PaymentIn(
                "voucher",
                total,
                f"EA-{rng.randrange(1000, 9999)}",
                rng.choice(get_setting("voucher_issuers")),
            )
        ]
    services.sell(
        cashier,
        till,
        str(uuid.uuid4()),
        lines,
        payments,
        eligibility=eligibility,
        printed=False,
        now=moment,
    )
