"""Demo network: the partners, a record for each demo participant (two left incomplete),
consents (the Jobcenter by its legal duty, the evaluation and a youth workshop by consent), one
exit, and most assessments already shown to the participant."""

import random
from datetime import date, timedelta

import sqlalchemy as sa

from store.auth.models import User
from store.core.access import Role
from store.core.audit import Actor
from store.core.timeutil import local_today
from store.extensions import db
from store.network import services
from store.network.models import Partner
from store.shifts import services as shifts

PARTNERS = [
    ("Jobcenter Landkreis (Demo)", "jobcenter", "Frau Weber, 0541 000-101"),
    ("Jugendwerkstatt Belm (Demo)", "youth_workshop", "Herr Brandt, 05406 000-22"),
    ("Jugendhilfe des Landkreises (Demo)", "youth_services", None),
    ("Oberschule Belm (Demo)", "school", None),
    ("Unternehmerforum (Demo)", "employer", None),
    ("Hochschule – Begleitforschung (Demo)", "university", "Prof. Dr. Lange"),
]
LANGUAGES = [
    ["Ukrainisch", "Russisch", "Deutsch"],
    ["Dari", "Paschtu", "Deutsch"],
    ["Polnisch", "Deutsch"],
    ["Türkisch", "Deutsch"],
    ["Arabisch", "Deutsch"],
    ["Deutsch"],
    ["Amharisch", "Englisch", "Deutsch"],
    ["Polnisch", "Deutsch"],
    ["Deutsch"],
    ["Türkisch", "Deutsch"],
    ["Farsi", "Deutsch"],
    ["Deutsch", "Englisch"],
]
GENDERS = [
    "female",
    "male",
    "male",
    "female",
    "male",
    "female",
    "female",
    "male",
    "female",
    "male",
    "female",
    "male",
]
AGES = [44, 27, 51, 38, 23, 19, 31, 57, 17, 34, 29, 22]


def load_records(actor: Actor, seed: int = 9) -> bool:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Partner)):
        return False
    coordinator = db.session.scalar(sa.select(User).where(User.role == Role.COORDINATOR))
    keeper = Actor(user=coordinator, source="cli") if coordinator else actor
    partners = [
        services.save_partner(keeper, None, name=name, kind=kind, contact=contact)
        for name, kind, contact in PARTNERS
    ]
    jobcenter, workshop = partners[0], partners[1]
    trainees = list(
        db.session.scalars(sa.select(User).where(User.role == Role.TRAINEE).order_by(User.username))
    )
    rng = random.Random(seed)
    today = local_today()
    for n, person in enumerate(trainees):
        start = services.entry_date(person.id) or today
        age = AGES[n % len(AGES)]
        birth = date(start.year - age, rng.randint(1, 12), rng.randint(1, 28))
        complete = n not in (4, 10)
        services.save_record(
            keeper,
            person,
            phone=f"0170 000{n:04d}",
            birth_date=birth,
            referring_partner_id=(workshop if age < 25 else jobcenter).id,
            referrer_contact="Herr Brandt" if age < 25 else "Frau Weber",
            customer_number=f"000D{100000 + 37 * n}",
            languages=LANGUAGES[n % len(LANGUAGES)],
            gender=GENDERS[n % len(GENDERS)],
            employment_status=("long_term_unemployed", "unemployed", "inactive")[n % 3],
            education=("isced_0_2", "isced_3_4", "isced_0_2", "isced_5_8")[n % 4] if complete else None,
        )
        if complete:
            services.complete_entry(keeper, person)
        services.give_consent(
            keeper,
            person,
            partner_id=jobcenter.id,
            scopes=["hours", "skills", "exit"],
            basis="law",
            given_on=start,
        )
        if n % 4 != 3:
            services.give_consent(keeper, person, partner_id=None, scopes=["evaluation"], given_on=start)
        if age < 25:
            services.give_consent(
                keeper, person, partner_id=workshop.id, scopes=["hours", "skills"], given_on=start
            )
        # Most participants have looked at their assessments already.
        if n % 3 != 1:
            services.mark_shown(
                Actor(user=person, source="web"), person, services.to_see(person), how="app"
            )
    # The first participant's measure ends in a few days; the exit is recorded.
    first = trainees[0] if trainees else None
    agreement = shifts.current_agreement(first.id, today) if first else None
    if agreement is not None and agreement.ends_on and agreement.ends_on <= today + timedelta(days=31):
        services.record_exit(
            keeper,
            first,
            exit_on=agreement.ends_on,
            reason="further_measure",
            job_seeking=True,
            in_education=True,
            qualification=False,
            employed=False,
        )
    return True
