"""The evidence figures are the bookings: sales and voids at the till, items taken in, confirmed
hours per planned station, till closings."""

from datetime import timedelta

import pytest

from store.core.audit import Actor
from store.core.timeutil import local_today
from store.extensions import db
from store.shifts import services as shifts
from store.skills import services
from store.till import services as till


@pytest.mark.clock  # yesterday and the days before it: in the same, fixed week
def test_evidence_matches_the_bookings(shop, make_category, take_in):
    olena = shop.cashier
    other = Actor(user=shop.supervisor, source="web", till_id=shop.till.id)
    # two sales by Olena, one voided; a sale by someone else and a training-free check
    till.add_code(shop.actor, shop.till, shop.items[0].code)
    first, _ = till.checkout(shop.actor, shop.till, [till.PaymentIn("cash", 2000)])
    till.add_code(shop.actor, shop.till, shop.items[1].code)
    till.checkout(shop.actor, shop.till, [till.PaymentIn("cash", 2000)])
    db.session.commit()
    till.void_sale(shop.actor, first, "Fehlbon", confirmed_by=shop.supervisor)
    till.add_code(other, shop.till, shop.items[2].code)
    till.checkout(other, shop.till, [till.PaymentIn("cash", 2000)])
    db.session.commit()
    # Olena takes in four items (two entries); the shop's jackets were taken in by the system
    category = make_category("Hausrat")
    take_in(category, "Tasse", 150, quantity=3, actor=Actor(user=olena))
    take_in(category, "Teller", 200, actor=Actor(user=olena))
    # a planned shift at Kasse yesterday, confirmed 4 h; a day without a shift, 2 h
    system = Actor.system()
    kasse = shifts.save_station(system, None, name="Kasse", staffed_weekdays=[])
    db.session.commit()
    yesterday, before = local_today() - timedelta(days=1), local_today() - timedelta(days=2)
    shifts.assign_shift(
        system,
        user_id=olena.id,
        station_id=kasse.id,
        day=yesterday,
        starts_at=shifts.parse_time("9:00", "s"),
        ends_at=shifts.parse_time("13:00", "e"),
    )
    sup = Actor(user=shop.supervisor)
    shifts.confirm_attendance(sup, olena, yesterday, "present", minutes=240)
    shifts.confirm_attendance(sup, olena, before, "present", minutes=120)
    shifts.confirm_attendance(sup, olena, before - timedelta(days=1), "sick_no_certificate")
    db.session.commit()

    facts = services.evidence(olena.id)
    assert facts.sales == 2
    assert facts.voids == 1
    assert facts.items_taken_in == 4
    assert facts.minutes_by_station == {"Kasse": 240, None: 120}
    assert facts.total_minutes == 360
    assert facts.closings == 0

    # a correction replaces the day: the figure follows the entry that counts
    shifts.confirm_attendance(sup, olena, before, "present", minutes=180, reason="vergessen")
    db.session.commit()
    assert services.evidence(olena.id).minutes_by_station == {"Kasse": 240, None: 180}
    supervisor_facts = services.evidence(shop.supervisor.id)
    assert supervisor_facts.sales == 1 and supervisor_facts.voids == 0
