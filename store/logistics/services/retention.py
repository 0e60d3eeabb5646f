"""Donors' contact data goes PICKUP_RETENTION_DAYS (default 30) after the job is done: name,
address, phone, e-mail, photos and the text of the messages sent to them. What was offered, how many,
the postcode area's counts and the status stay, so the statistics do not change."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from store.core import storage
from store.core.audit import Actor, audit
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.logistics.models import DonationOffer, DonorMail, SaleDelivery
from store.logistics.services.offers import photo_key


def due(today: date | None = None) -> list[DonationOffer]:
    today = today or local_today()
    keep = timedelta(days=current_app.config["PICKUP_RETENTION_DAYS"])
    return list(
        db.session.scalars(
            sa.select(DonationOffer).where(
                DonationOffer.erased_at.is_(None),
                DonationOffer.done_on.is_not(None),
                DonationOffer.done_on <= today - keep,
            )
        )
    )


def erase_donor_contacts(actor: Actor, *, now: datetime | None = None) -> int:
    """Remove the contact data of offers whose job ended long enough ago. Returns how many."""
    now = as_utc(now)
    offers = due(local_today(now))
    for offer in offers:
        offer.name = offer.address = offer.phone = offer.email = offer.notes = None
        offer.preferred_days = offer.ip_hash = None
        offer.postcode = (offer.postcode or "")[:2] or None  # the area's first two digits, for counts
        for photo in list(offer.photos):
            storage.storage().delete(photo_key(photo.filename))
            offer.photos.remove(photo)
        offer.erased_at = now
        for mail in db.session.scalars(sa.select(DonorMail).where(DonorMail.offer_id == offer.id)):
            mail.to = None
            mail.body = None
    if offers:
        audit(actor, "offer.contacts_erased", None, {"offers": len(offers)}, now=now)
    return len(offers)


def erase_delivery_contacts(actor: Actor, *, now: datetime | None = None) -> int:
    """Remove the name, address and phone of deliveries PICKUP_RETENTION_DAYS after their day (or
    the day they were done); the postcode's first two digits, what and when stay. Returns how many."""
    now = as_utc(now)
    cutoff = local_today(now) - timedelta(days=current_app.config["PICKUP_RETENTION_DAYS"])
    deliveries = list(
        db.session.scalars(
            sa.select(SaleDelivery).where(
                SaleDelivery.erased_at.is_(None),
                sa.func.coalesce(SaleDelivery.done_on, SaleDelivery.day) <= cutoff,
            )
        )
    )
    for delivery in deliveries:
        delivery.name = delivery.address = delivery.phone = None
        delivery.postcode = (delivery.postcode or "")[:2] or None
        delivery.erased_at = now
    if deliveries:
        audit(actor, "delivery.contacts_erased", None, {"deliveries": len(deliveries)}, now=now)
    return len(deliveries)
