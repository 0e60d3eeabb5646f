"""Back at the store: what a van collected goes straight into intake, with the offer's data filled
in; the donor gets a thank-you (with consent)."""

import io
from datetime import datetime

from flask_babel import gettext as _

from store.core import storage
from store.core.audit import Actor, audit
from store.core.errors import ConflictError
from store.core.timeutil import as_utc, local_today
from store.goods import services as goods
from store.goods.models import Item
from store.logistics.models import DonationOffer, OfferStatus
from store.logistics.services.mail import queue_mail
from store.logistics.services.offers import photo_key


def intake_defaults(offer: DonationOffer) -> dict:
    """What the intake form starts with for this offer."""
    description = offer.what if not offer.dimensions else f"{offer.what} ({offer.dimensions})"
    return {
        "description": description[:120],
        "quantity": offer.quantity,
        "donor_name": offer.name or "",
    }


def take_in_offer(
    actor: Actor, offer: DonationOffer, entries: list, *, now: datetime | None = None
) -> list[Item]:
    """Book the collected goods (goods.take_in_items), end the job, thank the donor."""
    now = as_utc(now)
    if offer.status not in (OfferStatus.SCHEDULED, OfferStatus.ACCEPTED):
        raise ConflictError(_("This offer was handled already."))
    items = goods.take_in_items(actor, entries, now=now)
    if offer.photos:  # the donor's first photo goes with every item (re-encoded once more)
        first = storage.storage().get(photo_key(offer.photos[0].filename))
        for item in items:
            goods.save_photo(actor, item, io.BytesIO(first))
    offer.item_codes = [i.code for i in items]
    offer.status = OfferStatus.COLLECTED
    offer.done_on = local_today(now)
    queue_mail(offer, "thanks", now=now)
    audit(actor, "offer.collect", offer, {"codes": offer.item_codes}, now=now)
    return items
