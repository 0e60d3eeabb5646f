"""What may go where: held month closings, the customer number only to the Jobcenter, nothing
after anonymisation, a returning participant is not anonymised."""

import json
from datetime import UTC, date, datetime

import sqlalchemy as sa

from store.core.audit import Actor
from store.extensions import db
from store.network import outbox, retention, services
from store.network.models import Delivery, OutboxEvent
from store.shifts import services as shifts
from tests.network.conftest import SECRET


def _sync(net, partner, events):
    services.save_partner(
        net.coord,
        partner,
        name=partner.name,
        kind=partner.kind,
        url="http://127.0.0.1:9/hook",
        secret=SECRET,
        events=events,
    )
    services.give_consent(
        net.coord,
        net.olena,
        partner_id=partner.id,
        scopes=["hours", "skills", "exit"],
        given_on=date(2026, 1, 5),
    )


def test_a_month_closing_waits_until_its_absences_are_seen(net):
    _sync(net, net.jobcenter, ["month.closed"])
    for user in (net.olena, net.ahmad):
        shifts.confirm_attendance(net.sup, user, date(2026, 10, 5), "present", minutes=240)
    shifts.confirm_attendance(net.sup, net.olena, date(2026, 10, 6), "unexcused")
    shifts.close_month(net.coord, 2026, 10)
    db.session.commit()
    event = db.session.scalar(
        sa.select(OutboxEvent).where(
            OutboxEvent.type == "month.closed", OutboxEvent.participant_id == net.olena.id
        )
    )
    assert event.released_at is None, event.data
    assert event.data["days"] == {"present": 1, "unexcused": 1}, event.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 0
    services.mark_shown(Actor(user=net.olena), net.olena, services.to_see(net.olena))
    db.session.commit()
    assert event.released_at is not None
    assert [d.partner_id for d in event.deliveries] == [net.jobcenter.id]


def test_the_customer_number_goes_to_the_jobcenter_only(net):
    _sync(net, net.jobcenter, ["participant.exited"])
    _sync(net, net.workshop, ["participant.exited"])
    services.record_exit(
        net.coord,
        net.olena,
        exit_on=date(2026, 11, 20),
        reason="job",
        job_seeking=False,
        in_education=False,
        qualification=False,
        employed=True,
    )
    db.session.commit()
    event = db.session.scalar(sa.select(OutboxEvent))
    to_jobcenter = json.loads(outbox.body_of(event, net.jobcenter))
    to_workshop = json.loads(outbox.body_of(event, net.workshop))
    assert to_jobcenter["data"]["participant"]["customer_number"] == "123D456789"
    assert "customer_number" not in to_workshop["data"]["participant"]
    assert to_workshop["data"]["participant"]["last_name"] == "Kovalenko"


def test_nothing_goes_out_about_an_anonymised_person(net):
    _sync(net, net.jobcenter, ["participant.exited"])
    assert services.covers(net.olena.id, net.jobcenter.id, "exit", date(2026, 11, 1))
    retention.anonymise(Actor.system(), net.olena)
    db.session.commit()
    assert not services.covers(net.olena.id, net.jobcenter.id, "exit", date(2026, 11, 1))


def test_a_participant_who_came_back_is_not_anonymised(net):
    services.record_exit(
        net.coord,
        net.ahmad,
        exit_on=date(2026, 3, 31),
        reason="health",
        job_seeking=True,
        in_education=False,
        qualification=False,
        employed=False,
        now=datetime(2026, 3, 20, tzinfo=UTC),
    )
    agreement = shifts.agreements_for(net.ahmad.id)[0]
    shifts.save_agreement(
        net.coord,
        agreement,
        user_id=net.ahmad.id,
        measure="agh",
        starts_on=agreement.starts_on,
        ends_on=date(2026, 3, 31),
        weekly_minutes=1200,
        workdays=[0, 1, 2, 3, 4],
    )
    shifts.save_agreement(
        net.coord,
        None,
        user_id=net.ahmad.id,
        measure="agh",
        starts_on=date(2027, 2, 1),
        ends_on=None,
        weekly_minutes=1200,
        workdays=[0, 1, 2, 3, 4],
    )
    db.session.commit()
    assert services.end_date(net.ahmad.id, services.record_of(net.ahmad)) is None
    assert net.ahmad.id not in [d.user.id for d in retention.due(today=date(2040, 1, 1))]


def test_retention_keeps_the_age_band_of_an_incomplete_record(net, make_user):
    late = make_user("trainee", first_name="Marek", last_name="Nowak")
    shifts.save_agreement(
        net.coord,
        None,
        user_id=late.id,
        measure="agh",
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 6, 30),
        weekly_minutes=1200,
        workdays=[0, 1, 2, 3, 4],
    )
    services.save_record(net.coord, late, birth_date=date(2000, 5, 1))
    retention.anonymise(Actor.system(), late)
    db.session.commit()
    assert services.record_of(late).entry_age_band == "18_29"
