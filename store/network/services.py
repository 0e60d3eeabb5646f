"""Participant records, consents, "shown" and "reported" marks, partners, and the outbox.

Who sees what: only coordinators keep participant records; admins may look for technical support,
and every look of theirs is audited (see `audited_view`). Trainees see only what is theirs.

The outbox: an event is written in the transaction of the booking it reports (an attendance
entry, a month closing, an assessment, an exit), so it can never be lost. Assessments and absences
wait until the participant has seen them. When an event is released, one delivery per partner that
subscribes to its type and whose consent covers it is queued; the worker (store.network.outbox)
sends it and checks the consent again just before.
"""

import ipaddress
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from store.auth.models import User
from store.core import events
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, ValidationError
from store.core.timeutil import local_today, utcnow
from store.extensions import db
from store.network.labels import FIELD_LABELS
from store.network.models import (
    OWN_SCOPES,
    PARTNER_SCOPES,
    Consent,
    ConsentBasis,
    ConsentScope,
    Delivery,
    DeliveryStatus,
    Education,
    EmploymentStatus,
    ExitReason,
    Gender,
    Mark,
    MarkKind,
    OutboxEvent,
    ParticipantRecord,
    Partner,
    PartnerKind,
)
from store.shifts import services as shifts
from store.shifts.models import AttendanceCode, AttendanceEntry, MonthClosing
from store.skills.models import Assessment
from store.skills.services import get_participant  # noqa: F401 (the one lookup, used by views)

# Event type → what a consent must cover for a partner to receive it.
EVENT_SCOPES = {
    "attendance.confirmed": ConsentScope.HOURS,
    "month.closed": ConsentScope.HOURS,
    "assessment.recorded": ConsentScope.SKILLS,
    "participant.exited": ConsentScope.EXIT,
}
EVENT_TYPES = tuple(EVENT_SCOPES)
# Days with these codes are sent as they are; any other code is an absence the participant must
# have seen before it goes out.
UNHELD_CODES = frozenset({AttendanceCode.PRESENT, AttendanceCode.PUBLIC_HOLIDAY})
# ESF+ age bands (Annex I counts <18, 18–29 and ≥55; 30–54 is the rest).
AGE_BANDS = ("under_18", "18_29", "30_54", "55_plus")


def _utc(now: datetime | None) -> datetime:
    return now or utcnow()


def _text(value: str | None, length: int) -> str | None:
    return " ".join((value or "").split())[:length] or None


# ---------------------------------------------------------------- partners


def list_partners(include_inactive: bool = True) -> list[Partner]:
    query = sa.select(Partner).order_by(Partner.name)
    if not include_inactive:
        query = query.where(Partner.is_active.is_(True))
    return list(db.session.scalars(query))


def get_partner(partner_id: int | None) -> Partner:
    partner = db.session.get(Partner, partner_id) if partner_id is not None else None
    if partner is None:
        raise NotFoundError(_("There is no partner with this number."), field="partner")
    return partner


def _check_url(url: str | None) -> str | None:
    url = (url or "").strip() or None
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise ValidationError(
            _(
                "Please give the address without a user name or password; the "
                "secret signs every request."
            ),
            field="url",
        )
    try:
        ip = ipaddress.ip_address(parts.hostname or "")
    except ValueError:
        ip = None  # a host name
    if ip is not None and (ip.is_link_local or ip.is_unspecified or ip.is_multicast):
        raise ValidationError(_("This address is not allowed."), field="url")
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ValidationError(
            _("The address must start with https:// (plain http only for this computer)."), field="url"
        )
    if not parts.hostname or len(url) > 300:
        raise ValidationError(_("This is not a web address."), field="url")
    return url


def save_partner(
    actor: Actor,
    partner: Partner | None,
    *,
    name: str,
    kind: PartnerKind | str,
    contact: str | None = None,
    url: str | None = None,
    secret: str | None = None,
    events: Iterable[str] = (),
    is_active: bool = True,
    now: datetime | None = None,
) -> Partner:
    """Create or change a partner. An empty secret keeps the old one; a URL needs a secret."""
    now = _utc(now)
    name = _text(name, 80)
    if not name:
        raise ValidationError(_("Please give the name."), field="name")
    try:
        kind = PartnerKind(kind)
    except ValueError:
        raise ValidationError(_("Please choose the kind of partner."), field="kind") from None
    other = db.session.scalar(sa.select(Partner).where(sa.func.lower(Partner.name) == name.lower()))
    if other is not None and other is not partner:
        raise ValidationError(_("There is a partner with this name already."), field="name")
    url = _check_url(url)
    chosen = list(dict.fromkeys(events or ()))
    unknown = [e for e in chosen if e not in EVENT_SCOPES]
    if unknown:
        raise ValidationError(_("Unknown event: %(e)s.", e=", ".join(unknown)), field="events")
    secret = (secret or "").strip() or None
    if secret is not None and not 16 <= len(secret) <= 200:
        raise ValidationError(_("The secret must have 16 to 200 characters."), field="secret")
    if url and not (secret or (partner is not None and partner.secret)):
        raise ValidationError(
            _("A partner with an address needs a secret to sign with."), field="secret"
        )
    if partner is None:
        partner = Partner(created_at=now)
        db.session.add(partner)
    partner.name, partner.kind, partner.contact = name, kind, _text(contact, 200)
    partner.url, partner.events, partner.is_active = url, chosen, bool(is_active)
    if secret is not None:
        partner.secret = secret
    partner.updated_at = now
    audit(
        actor,
        "partner.save",
        partner,
        {
            "name": name,
            "kind": kind.value,
            "url": url,
            "events": chosen,
            "active": partner.is_active,
            "secret_changed": secret is not None,
        },
        now=now,
    )
    return partner


# ---------------------------------------------------------------- records


def record_of(user: User) -> ParticipantRecord | None:
    return db.session.scalar(sa.select(ParticipantRecord).where(ParticipantRecord.user_id == user.id))


def audited_view(actor: Actor, user: User, what: str = "record") -> None:
    """Admins see participant records for technical support only: each look is audited."""
    if actor.user is not None and actor.user.role == Role.ADMIN:
        audit(actor, "participant.view", user, {"what": what})


def entry_date(user_id: int) -> date | None:
    """The first day of the person's first agreement: when they entered the programme."""
    agreements = shifts.agreements_for(user_id)
    return agreements[0].starts_on if agreements else None


def end_date(user_id: int, record: ParticipantRecord | None = None) -> date | None:
    """When the person's time with the store ended: the exit date, unless an agreement began
    after it (the person came back); else the planned end of the last agreement. None while an
    agreement is open-ended."""
    agreements = shifts.agreements_for(user_id)
    exit_on = record.exit_on if record is not None else None
    if exit_on is not None and not any(a.starts_on > exit_on for a in agreements):
        return exit_on
    if not agreements or any(a.ends_on is None for a in agreements):
        return None
    return max(a.ends_on for a in agreements)


def age_band(birth_date: date | None, on: date | None) -> str | None:
    if birth_date is None or on is None:
        return None
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if age < 18:
        return "under_18"
    if age < 30:
        return "18_29"
    if age < 55:
        return "30_54"
    return "55_plus"


def _choice(cls, value, field: str):
    if value in (None, ""):
        return None
    try:
        return cls(value)
    except ValueError:
        raise ValidationError(_("Please choose one of the offered values."), field=field) from None


def save_record(
    actor: Actor,
    user: User,
    *,
    phone: str | None = None,
    email: str | None = None,
    birth_date: date | None = None,
    referring_partner_id: int | None = None,
    referrer_contact: str | None = None,
    customer_number: str | None = None,
    languages: Iterable[str] = (),
    gender: str | None = None,
    employment_status: str | None = None,
    education: str | None = None,
    disability: bool | None = None,
    minority: bool | None = None,
    now: datetime | None = None,
) -> ParticipantRecord:
    """Create or change a participant's record (entry data). Partial records may be saved; the
    entry counts for the funder only once `complete_entry` accepted it."""
    now = _utc(now)
    if user.role != Role.TRAINEE:
        raise ValidationError(_("Records are kept for participants only."))
    record = record_of(user)
    if record is not None and record.anonymised_at is not None:
        raise ValidationError(_("This record was anonymised and cannot be changed."))
    today = local_today(now)
    if birth_date is not None and not date(today.year - 100, 1, 1) <= birth_date <= date(
        today.year - 14, 12, 31
    ):
        raise ValidationError(_("Please check the date of birth."), field="birth_date")
    email = _text(email, 120)
    if email and ("@" not in email or " " in email):
        raise ValidationError(_("This is not an e-mail address."), field="email")
    partner = get_partner(referring_partner_id) if referring_partner_id else None
    langs = [t for t in dict.fromkeys(_text(x, 30) for x in languages) if t][:10]
    values = {
        "gender": _choice(Gender, gender, "gender"),
        "employment_status": _choice(EmploymentStatus, employment_status, "employment_status"),
        "education": _choice(Education, education, "education"),
    }
    if (disability is not None or minority is not None) and not covers(
        user.id, None, ConsentScope.SENSITIVE, today
    ):
        raise ValidationError(
            _(
                "Disability and minority are recorded only with the person's "
                "explicit consent. Please record the consent first."
            ),
            field="disability",
        )
    created = record is None
    if created:
        record = ParticipantRecord(user_id=user.id, created_at=now, languages=[])
        db.session.add(record)
    record.phone, record.email = _text(phone, 40), email
    record.birth_date = birth_date
    record.referring_partner_id = partner.id if partner else None
    record.referrer_contact = _text(referrer_contact, 120)
    record.customer_number = _text(customer_number, 40)
    record.languages = langs
    record.gender = values["gender"]
    record.employment_status = values["employment_status"]
    record.education = values["education"]
    record.disability, record.minority = disability, minority
    record.updated_at = now
    if record.entry_completed_at is not None:
        if missing_entry_fields(record):
            record.entry_completed_at = None  # a core field was emptied: no longer complete
        else:
            record.entry_age_band = age_band(birth_date, entry_date(user.id))
    # The audit says which fields changed, never their values (they are personal).
    audit(actor, "participant.record.save", record, {"user": user.username, "created": created}, now=now)
    return record


ENTRY_FIELDS = ("birth_date", "gender", "employment_status", "education")


def missing_entry_fields(record: ParticipantRecord | None) -> list[str]:
    """The ESF+ core fields at entry that are still empty (and whether there is an agreement)."""
    if record is None:
        return [*ENTRY_FIELDS, "agreement"]
    missing = [
        f
        for f in ENTRY_FIELDS
        if getattr(record, f) is None
        # after the retention run the age band at entry stands for the birth date
        and not (f == "birth_date" and record.anonymised_at and record.entry_age_band)
    ]
    if entry_date(record.user_id) is None:
        missing.append("agreement")
    return missing


def complete_entry(actor: Actor, user: User, *, now: datetime | None = None) -> ParticipantRecord:
    """Mark the entry data complete. Refused while an ESF+ core field is missing."""
    now = _utc(now)
    record = record_of(user)
    missing = missing_entry_fields(record)
    if missing:
        raise ValidationError(
            _(
                "The record cannot be completed yet. Missing: %(fields)s.",
                fields=", ".join(str(FIELD_LABELS[f]) for f in missing),
            ),
            field="complete",
            errors=missing,
        )
    record.entry_age_band = age_band(record.birth_date, entry_date(user.id))
    if record.entry_completed_at is None:
        record.entry_completed_at = now
        audit(actor, "participant.record.complete", record, {"user": user.username}, now=now)
    return record


def record_exit(
    actor: Actor,
    user: User,
    *,
    exit_on: date | None,
    reason: str | None,
    job_seeking: bool | None,
    in_education: bool | None,
    qualification: bool | None,
    employed: bool | None,
    now: datetime | None = None,
) -> ParticipantRecord:
    """The person leaves: date, reason and the four ESF+ answers at exit (all required)."""
    now = _utc(now)
    record = record_of(user)
    if record is None:
        raise ValidationError(_("Please fill in the record first."))
    if record.exit_on is not None:
        raise ValidationError(_("The exit is recorded already."), field="exit_on")
    if exit_on is None:
        raise ValidationError(_("Please give the last day."), field="exit_on")
    start = entry_date(user.id)
    if start is not None and exit_on < start:
        raise ValidationError(_("The last day is before the entry."), field="exit_on")
    if exit_on > local_today(now) + timedelta(days=31):
        raise ValidationError(_("The last day can be at most a month ahead."), field="exit_on")
    reason_value = _choice(ExitReason, reason, "exit_reason")
    if reason_value is None:
        raise ValidationError(_("Please choose the reason."), field="exit_reason")
    answers = {
        "exit_job_seeking": job_seeking,
        "exit_in_education": in_education,
        "exit_qualification": qualification,
        "exit_employed": employed,
    }
    for field, value in answers.items():
        if value is None:
            raise ValidationError(
                _("Please answer every question about the situation at exit."), field=field
            )
    record.exit_on, record.exit_reason = exit_on, reason_value
    for field, value in answers.items():
        setattr(record, field, bool(value))
    record.updated_at = now
    audit(
        actor,
        "participant.exit",
        record,
        {"user": user.username, "exit_on": exit_on.isoformat(), "reason": reason_value.value},
        now=now,
    )
    add_event(
        "participant.exited",
        user,
        {"exit_on": exit_on.isoformat(), "reason": reason_value.value},
        now=now,
    )
    return record


# ---------------------------------------------------------------- consents


def consents_of(user_id: int) -> list[Consent]:
    return list(
        db.session.scalars(
            sa.select(Consent)
            .where(Consent.participant_id == user_id)
            .order_by(Consent.given_on, Consent.id)
        )
    )


def get_consent(consent_id: int) -> Consent:
    consent = db.session.get(Consent, consent_id)
    if consent is None:
        raise NotFoundError(_("There is no consent with this number."))
    return consent


def covers(user_id: int, partner_id: int | None, scope: str, on: date | None = None) -> bool:
    """Whether a consent (or a legal duty) lets `scope` go to the partner (None: own purposes)."""
    on = on or local_today()
    record = db.session.scalar(sa.select(ParticipantRecord).where(ParticipantRecord.user_id == user_id))
    if record is not None and record.anonymised_at is not None:
        return False  # after the retention run nothing about the person goes anywhere
    query = sa.select(Consent).where(Consent.participant_id == user_id)
    query = query.where(
        Consent.partner_id.is_(None) if partner_id is None else Consent.partner_id == partner_id
    )
    return any(c.covers(str(scope), on) for c in db.session.scalars(query))


def give_consent(
    actor: Actor,
    user: User,
    *,
    partner_id: int | None,
    scopes: Iterable[str],
    given_on: date | None,
    basis: str = ConsentBasis.CONSENT,
    now: datetime | None = None,
) -> Consent:
    """Record what may be shared with a partner (hours, skills, exit), or for the store's own
    purposes (the evaluation dataset, ESF+ special categories)."""
    now = _utc(now)
    if user.role != Role.TRAINEE:
        raise ValidationError(_("Consents are recorded for participants only."))
    try:
        chosen = [ConsentScope(s) for s in dict.fromkeys(scopes or ())]
    except ValueError:
        raise ValidationError(_("Please choose what may be shared."), field="scopes") from None
    if not chosen:
        raise ValidationError(_("Please choose what may be shared."), field="scopes")
    partner = get_partner(partner_id) if partner_id else None
    allowed = PARTNER_SCOPES if partner is not None else OWN_SCOPES
    if any(s not in allowed for s in chosen):
        raise ValidationError(
            _(
                "Hours, skills and the exit are shared with a partner; the evaluation and the "
                "special categories need no partner."
            ),
            field="scopes",
        )
    basis_value = _choice(ConsentBasis, basis, "basis") or ConsentBasis.CONSENT
    if basis_value == ConsentBasis.LAW and (partner is None or partner.kind != "jobcenter"):
        raise ValidationError(
            _("A legal duty to report exists only towards the Jobcenter."), field="basis"
        )
    if given_on is None:
        raise ValidationError(_("Please give the date."), field="given_on")
    if given_on > local_today(now):
        raise ValidationError(_("The date cannot be in the future."), field="given_on")
    consent = Consent(
        participant_id=user.id,
        partner_id=partner.id if partner else None,
        scopes=[s.value for s in chosen],
        basis=basis_value,
        given_on=given_on,
        recorded_by_id=actor.user_id,
        recorded_at=now,
    )
    db.session.add(consent)
    audit(
        actor,
        "consent.give",
        consent,
        {
            "user": user.username,
            "partner": partner.name if partner else None,
            "scopes": consent.scopes,
            "basis": basis_value.value,
            "given_on": given_on.isoformat(),
        },
        now=now,
    )
    return consent


def withdraw_consent(
    actor: Actor, consent: Consent, *, withdrawn_on: date | None = None, now: datetime | None = None
) -> Consent:
    """Withdraw a consent from a day on (default today). Deliveries it covered that have not
    gone yet are cancelled; the record of the consent itself stays."""
    now = _utc(now)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent is withdrawn already."))
    withdrawn_on = withdrawn_on or local_today(now)
    if withdrawn_on < consent.given_on:
        raise ValidationError(_("The withdrawal is before the consent."), field="withdrawn_on")
    consent.withdrawn_on, consent.withdrawn_by_id, consent.withdrawn_at = (
        withdrawn_on,
        actor.user_id,
        now,
    )
    audit(
        actor,
        "consent.withdraw",
        consent,
        {"user": consent.participant.username, "withdrawn_on": withdrawn_on.isoformat()},
        now=now,
    )
    db.session.flush()
    cancel_uncovered(consent.participant_id, now=now)
    record = record_of(consent.participant)
    if (
        record is not None
        and consent.partner_id is None
        and ConsentScope.SENSITIVE.value in consent.scopes
        and not covers(record.user_id, None, ConsentScope.SENSITIVE, withdrawn_on)
    ):
        record.disability = record.minority = None  # kept only while the consent holds
        record.updated_at = now
    return consent


# ---------------------------------------------------------------- marks


def marks_of(kind: MarkKind, object_type: str, ids: Iterable[int]) -> dict[int, Mark]:
    ids = list(ids)
    if not ids:
        return {}
    return {
        m.object_id: m
        for m in db.session.scalars(
            sa.select(Mark).where(
                Mark.kind == kind, Mark.object_type == object_type, Mark.object_id.in_(ids)
            )
        )
    }


@dataclass
class ToSee:
    """Assessments and absences of one participant that they have not seen yet."""

    assessments: list[Assessment]
    absences: list[AttendanceEntry]

    def __len__(self) -> int:
        return len(self.assessments) + len(self.absences)


def to_see(user: User) -> ToSee:
    assessments = list(
        db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.participant_id == user.id, Assessment.is_self.is_(False))
            .order_by(Assessment.day, Assessment.id)
        )
    )
    # A day corrected since counts as the correction (shown itself when it is an absence).
    replaced = sa.select(AttendanceEntry.replaces_id).where(
        AttendanceEntry.user_id == user.id, AttendanceEntry.replaces_id.is_not(None)
    )
    absences = list(
        db.session.scalars(
            sa.select(AttendanceEntry)
            .where(
                AttendanceEntry.user_id == user.id,
                AttendanceEntry.code.not_in([c.value for c in UNHELD_CODES]),
                AttendanceEntry.id.not_in(replaced),
            )
            .order_by(AttendanceEntry.day, AttendanceEntry.id)
        )
    )
    seen_a = marks_of(MarkKind.SHOWN, "assessment", [a.id for a in assessments])
    seen_e = marks_of(MarkKind.SHOWN, "attendance_entry", [e.id for e in absences])
    return ToSee(
        assessments=[a for a in assessments if a.id not in seen_a],
        absences=[e for e in absences if e.id not in seen_e],
    )


def mark_shown(
    actor: Actor, user: User, items: ToSee, *, how: str = "app", now: datetime | None = None
) -> int:
    """Record that the participant has seen these items (in the app, or in a talk with a
    coordinator); events that waited for it are released."""
    now = _utc(now)
    if how not in ("app", "talk"):
        raise ValidationError(_("Please choose how it was shown."), field="how")
    count = 0
    for object_type, objects in (
        ("assessment", items.assessments),
        ("attendance_entry", items.absences),
    ):
        for obj in objects:
            db.session.add(
                Mark(
                    kind=MarkKind.SHOWN,
                    participant_id=user.id,
                    object_type=object_type,
                    object_id=obj.id,
                    at=now,
                    by_id=actor.user_id,
                    how=how,
                )
            )
            count += 1
            release_held(object_type, obj.id, now=now)
    for event in db.session.scalars(
        sa.select(OutboxEvent).where(
            OutboxEvent.participant_id == user.id,
            OutboxEvent.type == "month.closed",
            OutboxEvent.released_at.is_(None),
        )
    ):
        if not unseen_absences_in(user, event.data["month"]):
            release(event, now=now)
    if count:
        audit(
            actor,
            "participant.shown",
            user,
            {
                "user": user.username,
                "how": how,
                "assessments": [a.id for a in items.assessments],
                "absences": [e.id for e in items.absences],
            },
            now=now,
        )
    return count


@dataclass
class PromptReport:
    """An unexcused absence or a dropout that the Jobcenter must hear about without delay."""

    kind: str  # unexcused | dropout
    user: User
    day: date
    object_type: str
    object_id: int
    shown: bool


def prompt_reports() -> list[PromptReport]:
    """Open reports: unexcused days still current (not corrected away) and dropouts, not yet
    marked as reported."""
    found: list[PromptReport] = []
    rows = list(
        db.session.scalars(
            sa.select(AttendanceEntry).where(AttendanceEntry.code == AttendanceCode.UNEXCUSED)
        )
    )
    if rows:
        users = {r.user_id for r in rows}
        current = shifts.effective_entries(users, min(r.day for r in rows), max(r.day for r in rows))
        rows = [r for r in rows if current.get((r.user_id, r.day)) is r]
    reported = marks_of(MarkKind.REPORTED, "attendance_entry", [r.id for r in rows])
    shown = marks_of(MarkKind.SHOWN, "attendance_entry", [r.id for r in rows])
    for row in rows:
        if row.id not in reported:
            found.append(
                PromptReport("unexcused", row.user, row.day, "attendance_entry", row.id, row.id in shown)
            )
    dropouts = list(
        db.session.scalars(
            sa.select(ParticipantRecord).where(
                ParticipantRecord.exit_reason == ExitReason.DROPOUT,
                ParticipantRecord.anonymised_at.is_(None),
            )
        )
    )
    reported = marks_of(MarkKind.REPORTED, "participant_record", [r.id for r in dropouts])
    for record in dropouts:
        if record.id not in reported:
            found.append(
                PromptReport(
                    "dropout", record.user, record.exit_on, "participant_record", record.id, True
                )
            )
    return sorted(found, key=lambda r: (r.day, r.user.first_name))


def mark_reported(
    actor: Actor, object_type: str, object_id: int, *, how: str = "letter", now: datetime | None = None
) -> Mark:
    now = _utc(now)
    report = next(
        (r for r in prompt_reports() if r.object_type == object_type and r.object_id == object_id), None
    )
    if report is None:
        raise ValidationError(_("This is reported already, or there is nothing to report."))
    if how not in ("letter", "phone", "email", "sync"):
        raise ValidationError(_("Please choose how it was reported."), field="how")
    mark = Mark(
        kind=MarkKind.REPORTED,
        participant_id=report.user.id,
        object_type=object_type,
        object_id=object_id,
        at=now,
        by_id=actor.user_id,
        how=how,
    )
    db.session.add(mark)
    audit(
        actor,
        "participant.reported",
        report.user,
        {"kind": report.kind, "day": report.day.isoformat(), "how": how},
        now=now,
    )
    return mark


# ---------------------------------------------------------------- outbox


def _person(user: User) -> dict:
    record = record_of(user)
    return {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "customer_number": record.customer_number if record else None,
    }


def add_event(
    type_: str,
    user: User,
    data: dict,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    held: bool = False,
    now: datetime | None = None,
) -> OutboxEvent:
    """Write an event in the current transaction; release it now unless it waits to be seen."""
    now = _utc(now)
    event = OutboxEvent(
        id=str(uuid.uuid4()),
        type=type_,
        participant_id=user.id,
        scope=EVENT_SCOPES[type_].value,
        created_at=now,
        data={"participant": _person(user), **data},
        object_type=object_type,
        object_id=object_id,
    )
    db.session.add(event)
    if not held:
        release(event, now=now)
    return event


def release(event: OutboxEvent, *, now: datetime | None = None) -> list[Delivery]:
    """Queue the event for every partner that wants its type and may receive it."""
    now = _utc(now)
    event.released_at = now
    queued = []
    for partner in list_partners(include_inactive=False):
        if not partner.syncs or event.type not in partner.events:
            continue
        if not covers(event.participant_id, partner.id, event.scope, local_today(now)):
            continue
        delivery = Delivery(
            event=event,
            partner_id=partner.id,
            status=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        db.session.add(delivery)
        queued.append(delivery)
    return queued


def release_held(object_type: str, object_id: int, *, now: datetime | None = None) -> None:
    for event in db.session.scalars(
        sa.select(OutboxEvent).where(
            OutboxEvent.object_type == object_type,
            OutboxEvent.object_id == object_id,
            OutboxEvent.released_at.is_(None),
        )
    ):
        release(event, now=now)


def cancel_uncovered(user_id: int, *, now: datetime | None = None) -> int:
    """Cancel the pending deliveries of a person that no consent covers any more."""
    now = _utc(now)
    today = local_today(now)
    cancelled = 0
    for delivery in db.session.scalars(
        sa.select(Delivery)
        .join(OutboxEvent)
        .where(
            OutboxEvent.participant_id == user_id,
            Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.FAILED]),
        )
    ):
        if not covers(user_id, delivery.partner_id, delivery.event.scope, today):
            delivery.status = DeliveryStatus.CANCELLED
            delivery.last_error = "consent withdrawn"
            delivery.updated_at = now
            cancelled += 1
    return cancelled


def _on_attendance(entry: AttendanceEntry, actor: Actor | None = None, **_extra) -> None:
    held = entry.code not in UNHELD_CODES
    add_event(
        "attendance.confirmed",
        entry.user or db.session.get(User, entry.user_id),
        {
            "entry_id": entry.id,
            "day": entry.day.isoformat(),
            "code": entry.code.value,
            "minutes": entry.minutes,
            "late_minutes": entry.late_minutes,
            "early_leave_minutes": entry.early_leave_minutes,
            "certificate_until": entry.certificate_until.isoformat()
            if entry.certificate_until
            else None,
            "replaces_entry_id": entry.replaces_id,
            "correction": entry.replaces_id is not None or entry.reported_in is not None,
            "reported_in": entry.reported_in,
        },
        object_type="attendance_entry" if held else None,
        object_id=entry.id if held else None,
        held=held,
        now=entry.confirmed_at,
    )


def _on_month_closed(closing: MonthClosing, actor: Actor | None = None, **_extra) -> None:
    from store.shifts import sheets

    year, month = (int(x) for x in closing.month.split("-"))
    days = shifts.month_days(year, month)
    if closing.user_id is not None:
        users = [db.session.get(User, closing.user_id)]
    else:
        ids = shifts.agreements_between(None, days[0], days[-1])
        users = [u for u in shifts.list_trainees(include_inactive=True) if u.id in ids]
    for sheet in sheets.month_sheets(users, year, month) if users else []:
        # Its absence counts wait, like the absences themselves, until the person has seen them.
        held = unseen_absences_in(sheet.user, closing.month)
        add_event(
            "month.closed",
            sheet.user,
            {
                "month": closing.month,
                "confirmed_minutes": sheet.confirmed,
                "attended_minutes": sheet.attended,
                "days": {str(code): n for code, n in sorted(sheet.counts.items())},
                "allowance_cents": sheet.allowance_cents,
                "corrections_cents": sheet.corrections_cents,
                "payable_cents": sheet.payable_cents,
            },
            object_type="month_closing" if held else None,
            object_id=closing.id if held else None,
            held=held,
            now=closing.closed_at,
        )


def unseen_absences_in(user: User, month: str) -> bool:
    return any(shifts.month_key(e.day) == month for e in to_see(user).absences)


def _on_assessment(assessment: Assessment, actor: Actor | None = None, **_extra) -> None:
    if assessment.is_self:
        return  # the participant's own view of themselves stays in the store
    user = assessment.participant or db.session.get(User, assessment.participant_id)
    add_event(
        "assessment.recorded",
        user,
        {
            "assessment_id": assessment.id,
            "day": assessment.day.isoformat(),
            "assessor": assessment.assessor.display_name if assessment.assessor else None,
            "ratings": [
                {"skill": r.skill.name, "level": r.level, "descriptor": r.skill.descriptor(r.level)}
                for r in assessment.ratings
            ],
        },
        object_type="assessment",
        object_id=assessment.id,
        held=True,
        now=assessment.created_at,
    )


def customer_numbers(user_ids: Iterable[int]) -> dict[int, str]:
    """For the hours sheets: each person's Jobcenter customer number, where known."""
    ids = list(user_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(ParticipantRecord.user_id, ParticipantRecord.customer_number).where(
                ParticipantRecord.user_id.in_(ids), ParticipantRecord.customer_number.is_not(None)
            )
        ).all()
    )


def connect() -> None:
    events.attendance_confirmed.connect(_on_attendance)
    events.month_closed.connect(_on_month_closed)
    events.assessment_recorded.connect(_on_assessment)


def backoff_seconds(attempts: int) -> float:
    """Wait before the next try after `attempts` failures: base × 2^(n−1), capped."""
    base = current_app.config["OUTBOX_BACKOFF_SECONDS"]
    cap = current_app.config["OUTBOX_BACKOFF_MAX_SECONDS"]
    return min(cap, base * 2 ** max(0, attempts - 1))
