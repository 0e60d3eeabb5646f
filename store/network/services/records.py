"""Participant records: who sees them, entry data (contact, referral, ESF+ monitoring), entry and
end dates, the completed entry, and the exit with the four ESF+ answers.

Who sees what: only coordinators keep participant records; admins may look for technical support,
and every look of theirs is audited (see `audited_view`). Trainees see only what is theirs.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import ValidationError
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.network.labels import FIELD_LABELS
from store.network.models import (
    Consent,
    ConsentScope,
    Education,
    EmploymentStatus,
    ExitReason,
    Gender,
    ParticipantRecord,
    Partner,
)
from store.network.services.common import choice, clean_text, record_of
from store.network.services.consents import consents_of, covers, is_active
from store.network.services.events import add_event
from store.network.services.marks import to_see
from store.network.services.partners import get_partner, list_partners
from store.shifts import services as shifts
from store.shifts.models import Agreement

# ESF+ age bands (Annex I counts <18, 18–29 and ≥55; 30–54 is the rest).
AGE_BANDS = ("under_18", "18_29", "30_54", "55_plus")


def looks_are_logged(user: User | None) -> bool:
    """Admins see participant records for technical support only: each of their looks is logged."""
    return user is not None and user.role == Role.ADMIN


def audited_view(actor: Actor, user: User, what: str = "record") -> None:
    """Admins see participant records for technical support only: each look is audited."""
    if looks_are_logged(actor.user):
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


def check_changeable(record: ParticipantRecord | None) -> None:
    """An anonymised record stays as the retention run left it."""
    if record is not None and record.anonymised_at is not None:
        raise ValidationError(_("This record was anonymised and cannot be changed."))


def referral_partners(record: ParticipantRecord | None) -> list[Partner]:
    """The partners a record may name as referring: the active ones, and the one it names now."""
    return [
        p
        for p in list_partners()
        if p.is_active or (record is not None and p.id == record.referring_partner_id)
    ]


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
    now = as_utc(now)
    if user.role != Role.TRAINEE:
        raise ValidationError(_("Records are kept for participants only."))
    record = record_of(user)
    check_changeable(record)
    today = local_today(now)
    if birth_date is not None and not date(today.year - 100, 1, 1) <= birth_date <= date(
        today.year - 14, 12, 31
    ):
        raise ValidationError(_("Please check the date of birth."), field="birth_date")
    email = clean_text(email, 120)
    if email and ("@" not in email or " " in email):
        raise ValidationError(_("This is not an e-mail address."), field="email")
    partner = get_partner(referring_partner_id) if referring_partner_id else None
    langs = [t for t in dict.fromkeys(clean_text(x, 30) for x in languages) if t][:10]
    values = {
        "gender": choice(Gender, gender, "gender"),
        "employment_status": choice(EmploymentStatus, employment_status, "employment_status"),
        "education": choice(Education, education, "education"),
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
    record.phone, record.email = clean_text(phone, 40), email
    record.birth_date = birth_date
    record.referring_partner_id = partner.id if partner else None
    record.referrer_contact = clean_text(referrer_contact, 120)
    record.customer_number = clean_text(customer_number, 40)
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
    now = as_utc(now)
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
    now = as_utc(now)
    record = record_of(user)
    if record is None:
        raise ValidationError(_("Please fill in the record first."))
    check_changeable(record)
    if record.exit_on is not None:
        raise ValidationError(_("The exit is recorded already."), field="exit_on")
    if exit_on is None:
        raise ValidationError(_("Please give the last day."), field="exit_on")
    start = entry_date(user.id)
    if start is not None and exit_on < start:
        raise ValidationError(_("The last day is before the entry."), field="exit_on")
    if exit_on > local_today(now) + timedelta(days=31):
        raise ValidationError(_("The last day can be at most a month ahead."), field="exit_on")
    reason_value = choice(ExitReason, reason, "exit_reason")
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


@dataclass
class ParticipantRow:
    """A participant in the coordinators' list."""

    user: User
    record: ParticipantRecord | None
    agreement: Agreement | None
    entry_on: date | None
    missing: list[str]
    consents: list[Consent]
    open_items: int


def participant_rows(today: date) -> list[ParticipantRow]:
    """Every participant with their record, agreement, what the entry lacks, the consents in
    force and how much they have still to see."""
    rows = []
    for user in shifts.list_trainees(include_inactive=True):
        record = record_of(user)
        rows.append(
            ParticipantRow(
                user=user,
                record=record,
                agreement=shifts.current_agreement(user.id, today),
                entry_on=entry_date(user.id),
                missing=missing_entry_fields(record),
                consents=[c for c in consents_of(user.id) if is_active(c, today)],
                open_items=len(to_see(user)),
            )
        )
    return rows
