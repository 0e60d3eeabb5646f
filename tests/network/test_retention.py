"""The retention run anonymises a participant after the period and keeps the totals."""

import uuid
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from store.auth.models import User
from store.core.audit import Actor
from store.extensions import db
from store.network import retention, services
from store.network.models import ConsentScope, Delivery, DeliveryStatus, OutboxEvent
from store.shifts import services as shifts
from store.shifts import sheets
from store.shifts.models import AttendanceEntry, ClockEvent
from store.skills import services as skills
from store.skills.models import AssessmentRating
from store.till import services as till
from store.till.models import Sale


def _history(shop):
    """The shop's cashier as a participant with a year of records: hours, a correction with a
    reason, an absence with a note, an assessment with a note, a sale, an exit."""
    olena = shop.cashier
    coord = Actor(user=shop.supervisor, source="web")
    shifts.save_agreement(
        coord,
        None,
        user_id=olena.id,
        measure="agh",
        starts_on=date(2025, 1, 6),
        ends_on=date(2025, 12, 31),
        weekly_minutes=20 * 60,
        workdays=[0, 1, 2, 3, 4],
        hourly_allowance_cents=150,
    )
    jobcenter = services.save_partner(
        coord,
        None,
        name="Jobcenter",
        kind="jobcenter",
        url="http://127.0.0.1:9/hook",
        secret="s" * 20,
        events=["attendance.confirmed"],
    )
    services.give_consent(
        coord, olena, partner_id=jobcenter.id, scopes=[ConsentScope.HOURS], given_on=date(2025, 1, 6)
    )
    services.save_record(
        coord,
        olena,
        phone="0170 555",
        email="olena@example.org",
        birth_date=date(1990, 4, 2),
        customer_number="123D456789",
        referrer_contact="Frau Weber",
        languages=["Ukrainisch"],
        gender="female",
        employment_status="unemployed",
        education="isced_3_4",
    )
    services.complete_entry(coord, olena)
    moment = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    shifts.add_clock_event(coord, olena, "in", moment, "Karte vergessen, kam um 9", now=moment)
    shifts.confirm_attendance(
        coord,
        olena,
        date(2025, 3, 3),
        "present",
        minutes=240,
        note="Hat beim Umzug geholfen",
        now=moment,
    )
    shifts.confirm_attendance(
        coord,
        olena,
        date(2025, 3, 4),
        "sick_certificate",
        certificate_until=date(2025, 3, 5),
        note="Anruf der Tochter",
        now=moment,
    )
    shifts.confirm_attendance(
        coord,
        olena,
        date(2025, 3, 3),
        "present",
        minutes=300,
        reason="Nachgetragen wegen Arzttermin",
        now=moment,
    )
    skills.record_assessment(
        Actor(user=shop.supervisor),
        olena,
        date(2025, 3, 10),
        [skills.RatingInput(skills.skills()[0].id, 3, "Sehr ruhig seit der Trennung")],
    )
    sale, _ = till.sell(
        shop.actor,
        shop.till,
        str(uuid.uuid4()),
        [till.LineIn(code=shop.items[0].code)],
        [till.PaymentIn("cash", 2000)],
    )
    services.record_exit(
        coord,
        olena,
        exit_on=date(2025, 12, 31),
        reason="job",
        job_seeking=False,
        in_education=False,
        qualification=True,
        employed=True,
        now=datetime(2025, 12, 20, tzinfo=UTC),
    )
    db.session.commit()
    return olena, sale


def test_retention_anonymises_and_keeps_the_totals(app, shop, runner):
    olena, sale = _history(shop)
    before = sheets.month_sheet(olena, 2025, 3)
    hours_before, days_before = before.confirmed, dict(before.counts)
    total_before = db.session.scalar(sa.select(sa.func.sum(Sale.total_cents)))

    assert retention.due(today=date(2030, 12, 31)) == []  # kept until 31.12.2030 (5 years)
    assert [d.user.id for d in retention.due(today=date(2031, 1, 1))] == [olena.id]
    assert retention.run(Actor.system(), today=date(2031, 1, 1)) == 1
    db.session.commit()
    db.session.expire_all()

    user = db.session.get(User, olena.id)
    assert (user.username, user.first_name, user.last_name) == (f"anon-{olena.id}", "", "")
    assert user.badge is None and user.password_hash is None and not user.is_active_account
    record = services.record_of(user)
    assert record.anonymised_at is not None
    assert (
        record.phone,
        record.email,
        record.birth_date,
        record.customer_number,
        record.referrer_contact,
        record.languages,
    ) == (None, None, None, None, None, [])
    # Coded fields for the statistics stay.
    assert (record.gender.value, record.entry_age_band, record.exit_reason.value) == (
        "female",
        "30_54",
        "job",
    )
    # Free text of the bookings is gone; that a correction happened stays.
    texts = [
        *db.session.scalars(sa.select(AttendanceEntry.note)),
        *db.session.scalars(sa.select(AttendanceEntry.reason)),
        *db.session.scalars(sa.select(ClockEvent.reason)),
        *db.session.scalars(sa.select(ClockEvent.address)),
        *db.session.scalars(sa.select(AssessmentRating.note)),
    ]
    assert set(texts) <= {None, "-"}
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AttendanceEntry).where(AttendanceEntry.reason == "-")
        )
        == 1
    )
    # Outbox events keep no name or number; what had not gone is cancelled.
    for event in db.session.scalars(sa.select(OutboxEvent)):
        assert event.data["participant"] == {"id": olena.id}
    assert {d.status for d in db.session.scalars(sa.select(Delivery))} <= {
        DeliveryStatus.CANCELLED,
        DeliveryStatus.DELIVERED,
    }
    # Totals unchanged: hours of the month, days by code, sales.
    after = sheets.month_sheet(user, 2025, 3)
    assert (after.confirmed, dict(after.counts)) == (hours_before, days_before)
    assert db.session.scalar(sa.select(sa.func.sum(Sale.total_cents))) == total_before
    # The sale keeps only the pseudonymous cashier number; the receipt text has no name.
    from store.till.receipts import cashier_text

    kept = db.session.get(Sale, sale.id)
    assert kept.cashier_label == str(olena.id)
    assert cashier_text(kept) == str(olena.id)
    # A second run finds nobody; the command says so.
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "Participants anonymised: 0" in result.output


def test_bookings_stay_append_only_outside_the_retention_run(app, shop):
    _history(shop)
    entry = db.session.scalars(sa.select(AttendanceEntry)).first()
    with pytest.raises(DBAPIError):
        db.session.execute(
            sa.update(AttendanceEntry).where(AttendanceEntry.id == entry.id).values(note=None)
        )
    db.session.rollback()
    from store.core.immutable import erasure_window

    entry = db.session.scalars(sa.select(AttendanceEntry)).first()
    with pytest.raises(DBAPIError), erasure_window():
        db.session.execute(sa.delete(AttendanceEntry).where(AttendanceEntry.id == entry.id))
    db.session.rollback()


def test_a_running_measure_is_never_due(app, shop):
    olena = shop.cashier
    shifts.save_agreement(
        Actor.system(),
        None,
        user_id=olena.id,
        measure="agh",
        starts_on=date(2020, 1, 6),
        ends_on=None,
        weekly_minutes=600,
        workdays=[0],
    )
    db.session.commit()
    assert retention.due(today=date(2040, 1, 1)) == []


def test_dry_run_lists_and_changes_nothing(app, shop, runner):
    olena, _sale = _history(shop)
    app.config["PARTICIPANT_RETENTION_YEARS"] = 0  # period over at the end of 2025
    result = runner.invoke(args=["retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert olena.username in result.output
    db.session.expire_all()
    assert db.session.get(User, olena.id).first_name == "Olena"


def test_an_anonymised_person_still_counts_in_the_statistics(app, shop):
    from store.network import exports

    olena, _sale = _history(shop)
    services.give_consent(
        Actor.system(), olena, partner_id=None, scopes=["evaluation"], given_on=date(2025, 1, 6)
    )
    db.session.commit()
    before = exports.esf_report(2025)
    retention.run(Actor.system(), today=date(2031, 1, 1))
    db.session.commit()
    after = exports.esf_report(2025)
    assert (after.entries, after.age_band, after.exit_reason) == (
        before.entries,
        before.age_band,
        before.exit_reason,
    ) and after.entries == 1
    rows = exports.evaluation_rows(date(2025, 1, 1), date(2025, 12, 31), [olena.id], [], b"k" * 32)
    assert {r[4] for r in rows} == {"30_54"}
