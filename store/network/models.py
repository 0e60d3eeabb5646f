"""Participant records kept for the network: the record itself (contact, referral, ESF+ data,
exit), consents, marks ("shown to the participant", "reported"), the partners, and the outbox of
events for partners' systems.

Data minimisation: every personal field says what it is for. A field without a purpose does not
belong here. The measure itself (type, dates, hours, allowance) is the agreement in store.shifts.
"""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.core.crypto import EncryptedText
from store.core.types import UTCDateTime
from store.extensions import db


def _enum(cls, length: int = 24):
    return sa.Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class PartnerKind(StrEnum):
    JOBCENTER = "jobcenter"
    MUNICIPALITY = "municipality"
    YOUTH_WORKSHOP = "youth_workshop"
    YOUTH_SERVICES = "youth_services"
    SCHOOL = "school"
    EMPLOYER = "employer"
    UNIVERSITY = "university"
    OTHER = "other"


class Partner(db.Model):
    """A partner of the network. With a URL and a secret it receives events automatically."""

    __tablename__ = "partner"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(80), unique=True)
    kind: so.Mapped[PartnerKind] = so.mapped_column(_enum(PartnerKind))
    # Whom to call there about a participant (the referral's contact person is on the record).
    contact: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    # Partner sync: the HTTPS endpoint, the signing secret (encrypted at rest, never shown again),
    # the event types.
    url: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    secret: so.Mapped[str | None] = so.mapped_column(EncryptedText(500))
    events: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    is_active: so.Mapped[bool] = so.mapped_column(default=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)

    @property
    def syncs(self) -> bool:
        return bool(self.is_active and self.url and self.secret and self.events)


class Gender(StrEnum):  # ESF+ Annex I
    FEMALE = "female"
    MALE = "male"
    NON_BINARY = "non_binary"


class EmploymentStatus(StrEnum):  # ESF+ Annex I, at entry
    UNEMPLOYED = "unemployed"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed"
    INACTIVE = "inactive"
    EMPLOYED = "employed"


class Education(StrEnum):  # ESF+ Annex I: highest ISCED level reached
    ISCED_0_2 = "isced_0_2"
    ISCED_3_4 = "isced_3_4"
    ISCED_5_8 = "isced_5_8"


class ExitReason(StrEnum):  # the programme's outcome figure
    JOB = "job"
    APPRENTICESHIP = "apprenticeship"
    FURTHER_MEASURE = "further_measure"
    EDUCATION = "education"
    MEASURE_ENDED = "measure_ended"
    DROPOUT = "dropout"
    HEALTH = "health"
    MOVED = "moved"
    OTHER = "other"


class ParticipantRecord(db.Model):
    """What the store keeps about one participant beyond their user account and agreements."""

    __tablename__ = "participant_record"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"), unique=True)
    # Contact: to reach the person about shifts, changes and absences.
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    email: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    # Birth date: the ESF+ age band at entry, and the youth employment rules under 18.
    birth_date: so.Mapped[date | None]
    # Referral: who sent the person and whom to call there about them.
    referring_partner_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("partner.id"))
    referrer_contact: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    # The Jobcenter's customer number: its reports and hours sheets must carry it.
    customer_number: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    # Languages spoken: to explain work in a language the person knows and to plan work pairs.
    languages: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    # ESF+ monitoring at entry (core fields): the funder's participant count needs all of them.
    gender: so.Mapped[Gender | None] = so.mapped_column(_enum(Gender, 16))
    employment_status: so.Mapped[EmploymentStatus | None] = so.mapped_column(_enum(EmploymentStatus))
    education: so.Mapped[Education | None] = so.mapped_column(_enum(Education, 16))
    entry_completed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # The ESF+ age band on the entry day, fixed when the entry is completed: it stays for the
    # statistics after the retention run removed the birth date.
    entry_age_band: so.Mapped[str | None] = so.mapped_column(sa.String(12))
    # ESF+ special categories: only with the person's explicit consent (scope "esf_sensitive").
    disability: so.Mapped[bool | None]
    minority: so.Mapped[bool | None]
    # Exit: the programme's outcome, and the ESF+ result indicators at exit.
    exit_on: so.Mapped[date | None]
    exit_reason: so.Mapped[ExitReason | None] = so.mapped_column(_enum(ExitReason))
    exit_job_seeking: so.Mapped[bool | None]
    exit_in_education: so.Mapped[bool | None]
    exit_qualification: so.Mapped[bool | None]
    exit_employed: so.Mapped[bool | None]
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    # Set by the retention run: the personal fields above are gone, the coded ones stay.
    anonymised_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    user = so.relationship("User")
    referring_partner: so.Mapped[Partner | None] = so.relationship()

    @property
    def has_exited(self) -> bool:
        return self.exit_on is not None


class ConsentScope(StrEnum):
    HOURS = "hours"  # hours, attendance and absences, month sheets
    SKILLS = "skills"  # assessments and the skills report
    EXIT = "exit"  # the exit and its reason
    EVALUATION = "evaluation"  # the pseudonymised evaluation dataset (no partner)
    SENSITIVE = "esf_sensitive"  # ESF+ special categories (no partner)


PARTNER_SCOPES = (ConsentScope.HOURS, ConsentScope.SKILLS, ConsentScope.EXIT)
OWN_SCOPES = (ConsentScope.EVALUATION, ConsentScope.SENSITIVE)


class ConsentBasis(StrEnum):
    CONSENT = "consent"  # the person agreed (GDPR Art. 6(1)(a))
    LAW = "law"  # a legal duty to report, e.g. to the Jobcenter (§61 SGB II)


class Consent(db.Model):
    """What may be shared with whom, from when; withdrawn (not deleted) when the person says so."""

    __tablename__ = "consent"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    participant_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    partner_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("partner.id"))
    scopes: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    basis: so.Mapped[ConsentBasis] = so.mapped_column(_enum(ConsentBasis, 16))
    given_on: so.Mapped[date]
    recorded_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    recorded_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    withdrawn_on: so.Mapped[date | None]
    withdrawn_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    withdrawn_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    participant = so.relationship("User", foreign_keys=[participant_id])
    partner: so.Mapped[Partner | None] = so.relationship()
    recorded_by = so.relationship("User", foreign_keys=[recorded_by_id])
    withdrawn_by = so.relationship("User", foreign_keys=[withdrawn_by_id])

    def covers(self, scope: str, on: date) -> bool:
        return (
            scope in self.scopes
            and self.given_on <= on
            and (self.withdrawn_on is None or on < self.withdrawn_on)
        )


class MarkKind(StrEnum):
    SHOWN = "shown"  # the participant has seen it (before it may go to the Jobcenter)
    REPORTED = "reported"  # reported to the Jobcenter (unexcused absence, dropout)


class Mark(db.Model):
    """A dated mark on an assessment, an attendance entry or a record. Append-only."""

    __tablename__ = "record_mark"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kind: so.Mapped[MarkKind] = so.mapped_column(_enum(MarkKind, 16))
    participant_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    object_type: so.Mapped[str] = so.mapped_column(sa.String(32))
    object_id: so.Mapped[int]
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    how: so.Mapped[str] = so.mapped_column(sa.String(16))  # app | talk | letter | phone | sync

    by = so.relationship("User", foreign_keys=[by_id])

    __table_args__ = (sa.UniqueConstraint("kind", "object_type", "object_id"),)


class OutboxEvent(db.Model):
    """Something partners' systems hear about. Written in the transaction of the booking itself,
    so it cannot be lost; assessments and absences wait until the participant has seen them."""

    __tablename__ = "outbox_event"

    id: so.Mapped[str] = so.mapped_column(sa.String(36), primary_key=True)  # uuid4
    type: so.Mapped[str] = so.mapped_column(sa.String(40))
    participant_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    scope: so.Mapped[str] = so.mapped_column(sa.String(20))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    data: so.Mapped[dict] = so.mapped_column(sa.JSON)
    # What must be seen first (an assessment or an attendance entry), if anything.
    object_type: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    object_id: so.Mapped[int | None]
    released_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime, index=True)

    deliveries: so.Mapped[list["Delivery"]] = so.relationship(back_populates="event")


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last attempt; a coordinator may re-send
    CANCELLED = "cancelled"  # consent withdrawn or partner switched off before it went


class Delivery(db.Model):
    """One event for one partner: tried until the partner answers 2xx."""

    __tablename__ = "outbox_delivery"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    event_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("outbox_event.id"))
    partner_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("partner.id"), index=True)
    status: so.Mapped[DeliveryStatus] = so.mapped_column(
        _enum(DeliveryStatus, 16), default=DeliveryStatus.PENDING
    )
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    last_error: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    last_status_code: so.Mapped[int | None]
    delivered_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)

    event: so.Mapped[OutboxEvent] = so.relationship(back_populates="deliveries")
    partner: so.Mapped[Partner] = so.relationship()

    __table_args__ = (
        sa.UniqueConstraint("event_id", "partner_id"),
        sa.Index("ix_outbox_delivery_due", "status", "next_attempt_at"),
    )
