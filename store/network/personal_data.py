"""What the network holds about a person (the participant record, entry and end, consents, marks,
outbox events), registered with store.core.personal_data like every area's; and the order in
which the Art. 15 export lists all areas' sections and the retention run anonymises them.
"""

from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.auth.models import User
from store.core.personal_data import Section, register, who
from store.extensions import db
from store.network import services
from store.network.models import Delivery, DeliveryStatus, Mark, OutboxEvent, ParticipantRecord

# The order of data.json (its README lists the same): the sections each area registers, by name.
# A section not named here comes after these, by name, so nothing registered is ever left out.
SECTION_ORDER = (
    "person",  # auth
    "participant_record",  # network
    "entry_on",  # network
    "end_on",  # network
    "agreements",  # shifts
    "consents",  # network
    "marks",  # network
    "shifts",  # shifts
    "shift_templates",  # shifts
    "clock_events",  # shifts
    "attendance_entries",  # shifts
    "month_closings",  # shifts
    "assessments",  # skills
    "goals",  # skills
    "evidence",  # skills
    "sales",  # till
    "outbox_events",  # network
    "api_tokens",  # auth
    "calendar_links",  # shifts
    "login_attempts",  # auth
)
# Record fields that go in the retention run; the coded ESF+ fields stay for the statistics.
ERASED_RECORD_FIELDS = (
    "phone",
    "email",
    "birth_date",
    "referrer_contact",
    "customer_number",
    "disability",
    "minority",
)


def participant_record(user: User, now: datetime) -> dict | None:
    record = services.record_of(user)
    if record is None:
        return None
    return {
        "id": record.id,
        "phone": record.phone,
        "email": record.email,
        "birth_date": record.birth_date,
        "referring_partner": record.referring_partner.name if record.referring_partner else None,
        "referrer_contact": record.referrer_contact,
        "customer_number": record.customer_number,
        "languages": record.languages,
        "gender": record.gender,
        "employment_status": record.employment_status,
        "education": record.education,
        "entry_completed_at": record.entry_completed_at,
        "disability": record.disability,
        "minority": record.minority,
        "exit_on": record.exit_on,
        "exit_reason": record.exit_reason,
        "exit_job_seeking": record.exit_job_seeking,
        "exit_in_education": record.exit_in_education,
        "exit_qualification": record.exit_qualification,
        "exit_employed": record.exit_employed,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "anonymised_at": record.anonymised_at,
    }


def anonymise_record(user: User, actor, now: datetime) -> None:
    """Contact, birth date, referral contact, customer number, languages and the special
    categories go; the record is marked anonymised (made, if there was none, so nothing about the
    person goes anywhere any more)."""
    record = services.record_of(user)
    if record is None:
        record = ParticipantRecord(user_id=user.id, languages=[], created_at=now)
        db.session.add(record)
    # The age band at entry stays for the statistics when the birth date goes.
    record.entry_age_band = record.entry_age_band or services.age_band(
        record.birth_date, services.entry_date(user.id)
    )
    for field in ERASED_RECORD_FIELDS:
        setattr(record, field, None)
    record.languages = []
    record.updated_at = record.anonymised_at = now


def entry_on(user: User, now: datetime) -> date | None:
    return services.entry_date(user.id)


def end_on(user: User, now: datetime) -> date | None:
    return services.end_date(user.id, services.record_of(user))


def consents(user: User, now: datetime) -> list:
    return [
        {
            "id": c.id,
            "partner": c.partner.name if c.partner else None,
            "scopes": c.scopes,
            "basis": c.basis,
            "given_on": c.given_on,
            "recorded_at": c.recorded_at,
            "recorded_by": who(c.recorded_by, user.id),
            "withdrawn_on": c.withdrawn_on,
            "withdrawn_at": c.withdrawn_at,
            "withdrawn_by": who(c.withdrawn_by, user.id),
        }
        for c in services.consents_of(user.id)
    ]


def marks(user: User, now: datetime) -> list:
    rows = db.session.scalars(
        sa.select(Mark).where(Mark.participant_id == user.id).order_by(Mark.at, Mark.id)
    )
    return [
        {
            "id": m.id,
            "kind": m.kind,
            "object_type": m.object_type,
            "object_id": m.object_id,
            "at": m.at,
            "by": who(m.by, user.id),
            "how": m.how,
        }
        for m in rows
    ]


def outbox_events(user: User, now: datetime) -> list:
    """Messages to partners and their delivery status per partner."""
    events = db.session.scalars(
        sa.select(OutboxEvent)
        .where(OutboxEvent.participant_id == user.id)
        .options(so.selectinload(OutboxEvent.deliveries).selectinload(Delivery.partner))
        .order_by(OutboxEvent.created_at)
    )
    return [
        {
            "id": e.id,
            "type": e.type,
            "scope": e.scope,
            "created_at": e.created_at,
            "released_at": e.released_at,
            "data": e.data,
            "deliveries": [
                {
                    "partner": d.partner.name,
                    "status": d.status,
                    "attempts": d.attempts,
                    "delivered_at": d.delivered_at,
                    "last_error": d.last_error,
                }
                for d in sorted(e.deliveries, key=lambda d: d.id)
            ],
        }
        for e in events
    ]


def anonymise_outbox_events(user: User, actor, now: datetime) -> None:
    """Events keep the person's number only; what has not gone yet never goes."""
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


register(
    Section("participant_record", participant_record, anonymise_record, audit_type="participant_record"),
    Section("entry_on", entry_on),
    Section("end_on", end_on),
    Section("consents", consents, audit_type="consent"),
    Section("marks", marks, audit_type="record_mark"),
    Section("outbox_events", outbox_events, anonymise_outbox_events),
)
