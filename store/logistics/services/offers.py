"""Offers of donations: from the public form, a phone call or the API; their photos; screening them
(accept, decline with a reason, ask for a photo, cancel)."""

import hashlib
import hmac
import io
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from store.core import storage
from store.core.audit import Actor, audit
from store.core.errors import ConflictError, NotFoundError, ValidationError
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.logistics.models import DonationOffer, OfferPhoto, OfferSource, OfferStatus
from store.logistics.services.mail import queue_mail

MAX_PHOTOS = 4
QUANTITY_MAX = 50  # things in one offer
FLOOR_MIN, FLOOR_MAX = -2, 30  # the floor of the pick-up, 0 the ground floor
PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_PIXELS = 1600
POSTCODE = re.compile(r"\b(\d{5})\b")

# Why an offer was declined: the donor gets a polite answer with the reason.
DECLINE_REASONS = {
    "condition": _l("We can only take furniture in good condition, without damage, stains or smell."),
    "no_demand": _l("We have too many of these at the moment and cannot sell more."),
    "no_space": _l("Our warehouse is full at the moment."),
    "not_accepted": _l(
        "We cannot accept this kind of item (e.g. mattresses, upholstery without a "
        "fire label, built-in kitchens)."
    ),
    "area": _l("The address is outside the area our vans drive to."),
}


@dataclass
class OfferIn:
    """What a donor tells us, from the form, the phone or the API."""

    what: str = ""
    quantity: int = 1
    dimensions: str | None = None
    name: str | None = None
    address: str | None = None
    floor: int | None = None
    has_lift: bool = False
    preferred_days: str | None = None
    phone: str | None = None
    email: str | None = None
    consent: bool = False
    notes: str | None = None
    language: str = "de"
    photos: list = field(default_factory=list)  # file-like objects


def _clean(text: str | None, length: int) -> str | None:
    text = " ".join((text or "").split())
    return text[:length] or None


def _check(data: OfferIn) -> None:
    if not _clean(data.what, 200):
        raise ValidationError(_("Please tell us what you would like to give."), field="what")
    if not 1 <= (data.quantity or 0) <= QUANTITY_MAX:
        raise ValidationError(
            _("The number must be between 1 and %(n)s.", n=QUANTITY_MAX), field="quantity"
        )
    if not _clean(data.address, 200):
        raise ValidationError(_("Please give the address for the pick-up."), field="address")
    if not POSTCODE.search(data.address or ""):
        raise ValidationError(_("Please give the address with its postcode."), field="address")
    if not (_clean(data.phone, 40) or _clean(data.email, 120)):
        raise ValidationError(_("Please give a phone number or an e-mail address."), field="phone")
    if data.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", data.email.strip()):
        raise ValidationError(_("This is not an e-mail address."), field="email")
    if data.floor is not None and not FLOOR_MIN <= data.floor <= FLOOR_MAX:
        raise ValidationError(_("Please give the floor as a number (0 = ground floor)."), field="floor")
    if len(data.photos) > MAX_PHOTOS:
        raise ValidationError(_("At most %(n)s photos, please.", n=MAX_PHOTOS), field="photos")


def create_offer(
    actor: Actor,
    data: OfferIn,
    *,
    source: OfferSource,
    ip_hash: str | None = None,
    status: OfferStatus = OfferStatus.NEW,
    now: datetime | None = None,
) -> DonationOffer:
    """Record an offer with its photos (each checked and re-encoded, so no metadata stays)."""
    now = as_utc(now)
    _check(data)
    if source == OfferSource.WEB and not data.consent:
        raise ValidationError(
            _("Please agree that we may contact you about your offer."), field="consent"
        )
    postcode = POSTCODE.search(data.address or "")
    offer = DonationOffer(
        created_at=now,
        source=source,
        status=status,
        language=data.language if data.language in ("de", "en") else "de",
        what=_clean(data.what, 200),
        quantity=data.quantity,
        dimensions=_clean(data.dimensions, 120),
        name=_clean(data.name, 120),
        address=_clean(data.address, 200),
        postcode=postcode.group(1) if postcode else None,
        floor=data.floor,
        has_lift=bool(data.has_lift),
        preferred_days=_clean(data.preferred_days, 120),
        phone=_clean(data.phone, 40),
        email=_clean(data.email, 120),
        consent=bool(data.consent),
        notes=_clean(data.notes, 500),
        ip_hash=ip_hash,
        created_by_id=actor.user_id,
        item_codes=[],
    )
    db.session.add(offer)
    db.session.flush()
    for upload in data.photos:
        add_photo(actor, offer, upload, now=now)
    audit(actor, "offer.create", offer, {"source": source.value, "photos": len(data.photos)}, now=now)
    return offer


def photo_folder() -> Path:
    """Where the photos are with the default storage (the instance folder)."""
    return Path(current_app.instance_path) / "offer_photos"


def photo_key(filename: str) -> str:
    """The key of an offer's photo in the shared storage (store.core.storage)."""
    return f"offer_photos/{filename}"


def add_photo(actor: Actor, offer: DonationOffer, upload, *, now: datetime | None = None) -> OfferPhoto:
    """Check that the file is a picture of a sensible size and store it re-encoded as JPEG: EXIF
    (camera, time, GPS position) and any other metadata are gone."""
    now = as_utc(now)
    if len(offer.photos) >= MAX_PHOTOS:
        raise ValidationError(_("At most %(n)s photos, please.", n=MAX_PHOTOS), field="photos")
    raw = upload.read(PHOTO_MAX_BYTES + 1)
    if len(raw) > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("A photo may have at most %(n)s MB.", n=PHOTO_MAX_BYTES // (1024 * 1024)), field="photos"
        )
    try:
        image = Image.open(io.BytesIO(raw))
        if image.width * image.height > 60_000_000:
            raise ValidationError(_("This photo is too large."), field="photos")
        image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not a photo."), field="photos") from None
    image.thumbnail((PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
    name = f"{offer.id}-{uuid.uuid4().hex[:12]}.jpg"
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=82)  # a fresh file: no EXIF, no ICC, no comments
    storage.storage().put(photo_key(name), jpeg.getvalue(), "image/jpeg")
    photo = OfferPhoto(offer=offer, filename=name, created_at=now)
    db.session.add(photo)
    db.session.flush()
    if offer.status == OfferStatus.PHOTO_ASKED:
        offer.status = OfferStatus.NEW  # back on the screening list
    audit(actor, "offer.photo", offer, {"file": name}, now=now)
    return photo


def get_offer(offer_id: int) -> DonationOffer:
    offer = db.session.get(DonationOffer, offer_id)
    if offer is None:
        raise NotFoundError(_("This offer does not exist."))
    return offer


def list_offers(statuses: list[OfferStatus] | None = None, limit: int = 200) -> list[DonationOffer]:
    query = sa.select(DonationOffer).order_by(DonationOffer.created_at.desc()).limit(limit)
    if statuses:
        query = query.where(DonationOffer.status.in_(statuses))
    return list(db.session.scalars(query))


OPEN = (OfferStatus.NEW, OfferStatus.PHOTO_ASKED, OfferStatus.ACCEPTED)


def _screen(actor: Actor, offer: DonationOffer, status: OfferStatus, now: datetime) -> None:
    if offer.status not in OPEN:
        raise ConflictError(_("This offer was handled already."))
    offer.status = status
    offer.screened_at = now
    offer.screened_by_id = actor.user_id


def accept(
    actor: Actor, offer: DonationOffer, *, volume_l: int | None = None, now: datetime | None = None
) -> DonationOffer:
    """Worth a trip: the offer waits for a van's day."""
    now = as_utc(now)
    if volume_l is not None:
        if not 0 <= volume_l <= 50_000:
            raise ValidationError(_("Please give the load in m³ (at most 50)."), field="volume")
        offer.volume_l = volume_l
    _screen(actor, offer, OfferStatus.ACCEPTED, now)
    audit(actor, "offer.accept", offer, {"volume_l": offer.volume_l}, now=now)
    return offer


def decline(actor: Actor, offer: DonationOffer, reason: str, *, now: datetime | None = None) -> None:
    """Not for us: the donor gets a polite answer with the reason (if they left an e-mail)."""
    now = as_utc(now)
    if reason not in DECLINE_REASONS:
        raise ValidationError(_("Please choose a reason."), field="reason")
    _screen(actor, offer, OfferStatus.DECLINED, now)
    offer.decline_reason = reason
    offer.done_on = local_today(now)
    queue_mail(offer, "decline", now=now)
    audit(actor, "offer.decline", offer, {"reason": reason}, now=now)


def ask_for_photo(actor: Actor, offer: DonationOffer, *, now: datetime | None = None) -> None:
    """We need to see it first: the donor is asked for a photo."""
    now = as_utc(now)
    _screen(actor, offer, OfferStatus.PHOTO_ASKED, now)
    queue_mail(offer, "photo", now=now)
    audit(actor, "offer.ask_photo", offer, None, now=now)


def cancel(actor: Actor, offer: DonationOffer, *, now: datetime | None = None) -> None:
    """The donor changed their mind, or nobody was at home: the job ends without goods."""
    now = as_utc(now)
    if offer.status in (OfferStatus.COLLECTED, OfferStatus.DECLINED, OfferStatus.CANCELLED):
        raise ConflictError(_("This offer was handled already."))
    if offer.stop is not None:
        db.session.delete(offer.stop)
    offer.status = OfferStatus.CANCELLED
    offer.done_on = local_today(now)
    audit(actor, "offer.cancel", offer, None, now=now)


def address_hash(address: str | None) -> str | None:
    """A keyed hash of the sender's IP address: enough to count offers per address, not to read it."""
    if not address:
        return None
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()
