"""A pick-up booked in one step (the API, a phone call the office has already agreed): the offer,
accepted, on the first van with room that day."""

from datetime import date, datetime

from store.core.audit import Actor
from store.core.timeutil import as_utc
from store.logistics.models import DonationOffer, OfferSource, OfferStatus
from store.logistics.services.offers import OfferIn, create_offer
from store.logistics.services.routes import first_free_vehicle, schedule


def book_pickup(
    actor: Actor,
    day: date,
    *,
    name: str,
    address: str,
    description: str,
    phone: str | None = None,
    volume_l: int = 0,
    now: datetime | None = None,
) -> DonationOffer:
    now = as_utc(now)
    data = OfferIn(what=description, name=name, address=address, phone=phone or None)
    offer = create_offer(actor, data, source=OfferSource.API, status=OfferStatus.ACCEPTED, now=now)
    offer.volume_l = volume_l
    offer.screened_at, offer.screened_by_id = now, actor.user_id
    schedule(actor, offer, first_free_vehicle(offer, day), day, now=now)
    return offer
