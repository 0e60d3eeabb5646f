"""Fixtures for the network: participants with agreements and records, partners, consents."""

from datetime import date
from types import SimpleNamespace

import pytest

from store.core.audit import Actor
from store.extensions import db
from store.network import services
from store.shifts import services as shifts

SECRET = "partner-secret-0123456789"


@pytest.fixture
def net(app, make_user):
    n = SimpleNamespace()
    n.olena = make_user("trainee", first_name="Olena", last_name="Kovalenko", badge="1000101")
    n.ahmad = make_user("trainee", first_name="Ahmad", last_name="Haidari", badge="1000102")
    n.supervisor = make_user("supervisor", first_name="Michael", last_name="Schulz")
    n.coordinator = make_user("coordinator", first_name="Katrin", last_name="Vogel")
    n.admin = make_user("admin")
    n.sup = Actor(user=n.supervisor, source="web")
    n.coord = Actor(user=n.coordinator, source="web")
    n.jobcenter = services.save_partner(
        n.coord, None, name="Jobcenter Teststadt", kind="jobcenter", contact="Frau Weber, 0541 123"
    )
    n.workshop = services.save_partner(n.coord, None, name="Jugendwerkstatt", kind="youth_workshop")
    for user, number, birth in (
        (n.olena, "123D456789", date(1990, 4, 2)),
        (n.ahmad, "987E654321", date(2003, 9, 17)),
    ):
        shifts.save_agreement(
            n.coord,
            None,
            user_id=user.id,
            measure="agh",
            starts_on=date(2026, 1, 5),
            ends_on=date(2026, 12, 31),
            weekly_minutes=20 * 60,
            workdays=[0, 1, 2, 3, 4],
            hourly_allowance_cents=150,
            max_months=24,
        )
        services.save_record(
            n.coord,
            user,
            phone="0170 1234567",
            birth_date=birth,
            referring_partner_id=n.jobcenter.id,
            referrer_contact="Frau Weber",
            customer_number=number,
            languages=["Deutsch", "Ukrainisch"],
            gender="female" if user is n.olena else "male",
            employment_status="long_term_unemployed",
            education="isced_3_4",
        )
        services.complete_entry(n.coord, user)
    db.session.commit()
    return n
