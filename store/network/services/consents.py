"""Consents: what may be shared with which partner (hours, skills, exit) or used for the store's own
purposes (the evaluation, ESF+ special categories), since when, and the withdrawal that stops
whatever it covered and has not gone yet."""

from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, ValidationError
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.network.models import (
    OWN_SCOPES,
    PARTNER_SCOPES,
    Consent,
    ConsentBasis,
    ConsentScope,
    Delivery,
    DeliveryStatus,
    OutboxEvent,
    ParticipantRecord,
    Partner,
)
from store.network.services.common import choice, record_of
from store.network.services.partners import get_partner


def consents_of(user_id: int) -> list[Consent]:
    return list(
        db.session.scalars(
            sa.select(Consent)
            .where(Consent.participant_id == user_id)
            .order_by(Consent.given_on, Consent.id)
        )
    )


def get_consent(consent_id: int, participant: User | None = None) -> Consent:
    """A consent by its number; with `participant`, only one of theirs."""
    consent = db.session.get(Consent, consent_id)
    if consent is None or (participant is not None and consent.participant_id != participant.id):
        raise NotFoundError(_("There is no consent with this number."))
    return consent


def is_active(consent: Consent, today: date) -> bool:
    """Not withdrawn, or withdrawn from a later day on."""
    return consent.withdrawn_on is None or consent.withdrawn_on > today


def consenting_partners(consents: Iterable[Consent], today: date) -> list[Partner]:
    """The partners an active consent names, by name."""
    partners = {
        c.partner.id: c.partner for c in consents if c.partner is not None and is_active(c, today)
    }
    return sorted(partners.values(), key=lambda p: p.name)


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
    now = as_utc(now)
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
    basis_value = choice(ConsentBasis, basis, "basis") or ConsentBasis.CONSENT
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
    now = as_utc(now)
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


def cancel_uncovered(user_id: int, *, now: datetime | None = None) -> int:
    """Cancel the pending deliveries of a person that no consent covers any more."""
    now = as_utc(now)
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
