"""Retention of participants' personal data (GDPR Art. 5(1)(e), Art. 17).

A participant's personal data is kept while the measure runs and then for
PARTICIPANT_RETENTION_YEARS (default 5: the ESF+ documents must be kept at least that long) after
the end of the year in which the measure ended (the exit date, or the planned end of the last
agreement). After that the retention run anonymises the person:

Goes: name, username, badge, PIN, password, contact, birth date, referral contact, Jobcenter customer
number, languages, ESF+ special categories, the sign-in record, calendar links and API tokens, the
names and customer number in outbox events, and the free text of their bookings (notes and reasons of
attendance and clock entries, notes of assessments, the address a clock entry came from).

Stays, without a name: the hours (clock events, attendance entries, month closings), shifts,
assessments' levels, the coded ESF+ fields (gender, employment status, education, age band at entry,
exit reason and answers), consents (which partner, which scope, when) — so the statistics and totals
do not change. Sales keep the pseudonymous cashier number only (the user id); the receipt printed the
first name from the user, which is gone. The audit log is kept for its own period (§147 AO) and is
not rewritten.
"""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app

from store.auth.models import ApiToken, LoginAttempt, User
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.immutable import erasure_window
from store.core.timeutil import local_today, utcnow
from store.extensions import db
from store.network.models import Delivery, DeliveryStatus, OutboxEvent, ParticipantRecord
from store.network.services import age_band, end_date, entry_date, record_of
from store.shifts.models import AttendanceEntry, CalendarToken, ClockEvent
from store.skills.models import Assessment, AssessmentRating


def keep_until(ended: date) -> date:
    """The last day the personal data of a measure that ended on `ended` is kept."""
    years = current_app.config["PARTICIPANT_RETENTION_YEARS"]
    return date(ended.year + years, 12, 31)


@dataclass
class Due:
    user: User
    ended: date

    @property
    def keep_until(self) -> date:
        return keep_until(self.ended)


def due(today: date | None = None) -> list[Due]:
    """Participants whose retention period is over and who are not anonymised yet."""
    today = today or local_today()
    found = []
    for user in db.session.scalars(sa.select(User).where(User.role == Role.TRAINEE).order_by(User.id)):
        record = record_of(user)
        if record is not None and record.anonymised_at is not None:
            continue
        ended = end_date(user.id, record)
        if ended is not None and keep_until(ended) < today:
            found.append(Due(user, ended))
    return found


def anonymise(actor: Actor, user: User, *, now: datetime | None = None) -> None:
    """Remove the person's personal data; keep hours, levels and coded fields (see above)."""
    now = now or utcnow()
    record = record_of(user)
    if record is None:
        record = ParticipantRecord(user_id=user.id, languages=[], created_at=now)
        db.session.add(record)
    # The age band at entry stays for the statistics when the birth date goes.
    record.entry_age_band = record.entry_age_band or age_band(record.birth_date, entry_date(user.id))
    for field in (
        "phone",
        "email",
        "birth_date",
        "referrer_contact",
        "customer_number",
        "disability",
        "minority",
    ):
        setattr(record, field, None)
    record.languages = []
    record.updated_at = record.anonymised_at = now

    user.username = f"anon-{user.id}"
    user.first_name = user.last_name = ""
    user.password_hash = user.pin_hash = user.badge = user.locale = None
    user.is_active_account = False
    user.locked_until = None
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.user_id == user.id))
    db.session.execute(sa.delete(CalendarToken).where(CalendarToken.user_id == user.id))
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )

    events = list(
        db.session.scalars(sa.select(OutboxEvent).where(OutboxEvent.participant_id == user.id))
    )
    for event in events:
        event.data = {**event.data, "participant": {"id": user.id}}
    if events:
        db.session.execute(
            sa.update(Delivery)
            .where(
                Delivery.event_id.in_([e.id for e in events]),
                Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.FAILED]),
            )
            .values(status=DeliveryStatus.CANCELLED, last_error="anonymised", updated_at=now),
            execution_options={"synchronize_session": False},
        )

    # A correction keeps a reason (a dash): that it was a correction is not personal.
    plain = {"synchronize_session": False}
    with erasure_window():
        db.session.execute(
            sa.update(ClockEvent)
            .where(ClockEvent.user_id == user.id)
            .values(reason=_dash(ClockEvent.reason), address=None),
            execution_options=plain,
        )
        db.session.execute(
            sa.update(AttendanceEntry)
            .where(AttendanceEntry.user_id == user.id)
            .values(note=None, reason=_dash(AttendanceEntry.reason)),
            execution_options=plain,
        )
        db.session.execute(
            sa.update(AssessmentRating)
            .where(
                AssessmentRating.assessment_id.in_(
                    sa.select(Assessment.id).where(Assessment.participant_id == user.id)
                )
            )
            .values(note=None),
            execution_options=plain,
        )
    audit(actor, "participant.anonymise", user, {"user_id": user.id}, now=now)


def _dash(column):
    return sa.case((column.is_not(None), "-"), else_=None)


def run(actor: Actor, *, today: date | None = None, now: datetime | None = None) -> int:
    """Anonymise everybody whose period is over. Returns how many."""
    found = due(today)
    for item in found:
        anonymise(actor, item.user, now=now)
    return len(found)
