"""Rules of the participant record: core fields, special categories, exit, consents."""

from datetime import date

import pytest
import sqlalchemy as sa

from store.core.errors import ValidationError
from store.extensions import db
from store.network import services
from store.network.models import OutboxEvent


def test_entry_cannot_be_completed_without_the_core_fields(net, make_user):
    newcomer = make_user("trainee", first_name="Marek", last_name="Nowak")
    services.save_record(net.coord, newcomer, phone="0170 1", gender="male")
    with pytest.raises(ValidationError) as refused:
        services.complete_entry(net.coord, newcomer)
    assert set(refused.value.errors) == {"birth_date", "employment_status", "education", "agreement"}
    assert services.record_of(newcomer).entry_completed_at is None


def test_emptying_a_core_field_makes_the_entry_incomplete_again(net):
    record = services.record_of(net.olena)
    assert record.entry_completed_at is not None and record.entry_age_band == "30_54"
    services.save_record(
        net.coord,
        net.olena,
        birth_date=record.birth_date,
        gender="female",
        employment_status="unemployed",
        education=None,
    )
    assert record.entry_completed_at is None


def test_special_categories_need_the_explicit_consent_and_go_with_it(net):
    fields = dict(
        birth_date=date(1990, 4, 2),
        gender="female",
        employment_status="unemployed",
        education="isced_3_4",
    )
    with pytest.raises(ValidationError) as refused:
        services.save_record(net.coord, net.olena, disability=True, **fields)
    assert refused.value.field == "disability"
    consent = services.give_consent(
        net.coord, net.olena, partner_id=None, scopes=["esf_sensitive"], given_on=date(2026, 1, 5)
    )
    services.save_record(net.coord, net.olena, disability=True, minority=False, **fields)
    assert services.record_of(net.olena).disability is True
    services.withdraw_consent(net.coord, consent)
    record = services.record_of(net.olena)
    assert (record.disability, record.minority) == (None, None)


def test_scopes_fit_the_receiver(net):
    with pytest.raises(ValidationError):  # the evaluation has no partner
        services.give_consent(
            net.coord,
            net.olena,
            partner_id=net.workshop.id,
            scopes=["evaluation"],
            given_on=date(2026, 1, 5),
        )
    with pytest.raises(ValidationError):  # a legal duty exists only towards the Jobcenter
        services.give_consent(
            net.coord,
            net.olena,
            partner_id=net.workshop.id,
            scopes=["hours"],
            basis="law",
            given_on=date(2026, 1, 5),
        )
    consent = services.give_consent(
        net.coord,
        net.olena,
        partner_id=net.jobcenter.id,
        scopes=["hours", "exit"],
        basis="law",
        given_on=date(2026, 1, 5),
    )
    assert services.covers(net.olena.id, net.jobcenter.id, "hours", date(2026, 2, 1))
    assert not services.covers(net.olena.id, net.jobcenter.id, "skills", date(2026, 2, 1))
    assert not services.covers(net.olena.id, net.jobcenter.id, "hours", date(2026, 1, 4))
    services.withdraw_consent(net.coord, consent, withdrawn_on=date(2026, 3, 1))
    assert services.covers(net.olena.id, net.jobcenter.id, "hours", date(2026, 2, 28))
    assert not services.covers(net.olena.id, net.jobcenter.id, "hours", date(2026, 3, 1))


def test_exit_needs_reason_and_the_four_answers_and_writes_the_event(net):
    answers = dict(job_seeking=False, in_education=False, qualification=True, employed=None)
    with pytest.raises(ValidationError) as refused:
        services.record_exit(net.coord, net.ahmad, exit_on=date(2026, 10, 30), reason="job", **answers)
    assert refused.value.field == "exit_employed"
    assert services.record_of(net.ahmad).exit_on is None
    answers["employed"] = True
    services.record_exit(net.coord, net.ahmad, exit_on=date(2026, 10, 30), reason="job", **answers)
    db.session.commit()
    event = db.session.scalar(sa.select(OutboxEvent).where(OutboxEvent.type == "participant.exited"))
    assert event.data["reason"] == "job" and event.released_at is not None
    assert event.data["participant"]["customer_number"] == "987E654321"
    with pytest.raises(ValidationError):
        services.record_exit(net.coord, net.ahmad, exit_on=date(2026, 10, 30), reason="job", **answers)
