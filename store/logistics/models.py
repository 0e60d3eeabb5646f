"""Donation pick-ups: offers from donors (the public form or a phone call), their photos, the vans
with their capacity, the stops of a van's day, and the messages sent to donors."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.core.types import UTCDateTime
from store.extensions import db


def _enum(cls, length: int = 16):
    return sa.Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class OfferStatus(StrEnum):
    NEW = "new"
    PHOTO_ASKED = "photo_asked"  # staff asked the donor for a photo
    ACCEPTED = "accepted"  # worth a trip, not on a van's day yet
    SCHEDULED = "scheduled"
    COLLECTED = "collected"  # taken in: the job is done
    DECLINED = "declined"  # with a reason; the donor got a polite answer
    CANCELLED = "cancelled"  # the donor changed their mind, or nobody was there


class OfferSource(StrEnum):
    WEB = "web"
    PHONE = "phone"
    API = "api"


class DonationOffer(db.Model):
    """Furniture or appliances a donor offers for collection. The contact data (name, address,
    phone, e-mail, photos) is removed PICKUP_RETENTION_DAYS after the job is done; the rest stays
    for the counts."""

    __tablename__ = "donation_offer"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
    source: so.Mapped[OfferSource] = so.mapped_column(_enum(OfferSource))
    status: so.Mapped[OfferStatus] = so.mapped_column(_enum(OfferStatus), index=True)
    language: so.Mapped[str] = so.mapped_column(sa.String(5), default="de")
    what: so.Mapped[str] = so.mapped_column(sa.String(200))
    quantity: so.Mapped[int] = so.mapped_column(default=1)
    dimensions: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    # Estimated load in litres (1 m³ = 1000 l), set by staff when they accept the offer.
    volume_l: so.Mapped[int] = so.mapped_column(default=0)
    name: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    address: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    postcode: so.Mapped[str | None] = so.mapped_column(sa.String(10), index=True)
    floor: so.Mapped[int | None]
    has_lift: so.Mapped[bool] = so.mapped_column(default=False)
    preferred_days: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    email: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    consent: so.Mapped[bool] = so.mapped_column(default=False)
    notes: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    decline_reason: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    screened_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    screened_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    # The codes of the items taken in from this offer.
    item_codes: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    # The day the job ended (collected, declined, cancelled): the retention clock starts here.
    done_on: so.Mapped[date | None] = so.mapped_column(index=True)
    erased_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # A keyed hash of the sender's address, for the public form's rate limit (never the address).
    ip_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64), index=True)

    photos: so.Mapped[list["OfferPhoto"]] = so.relationship(
        back_populates="offer", order_by="OfferPhoto.id", cascade="all, delete-orphan"
    )
    stop: so.Mapped["Stop | None"] = so.relationship(back_populates="offer", uselist=False)


class OfferPhoto(db.Model):
    """A photo of an offer, re-encoded as JPEG (no EXIF, no location), in the instance folder."""

    __tablename__ = "offer_photo"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    offer_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("donation_offer.id"), index=True)
    filename: so.Mapped[str] = so.mapped_column(sa.String(80))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)

    offer: so.Mapped[DonationOffer] = so.relationship(back_populates="photos")


class Vehicle(db.Model):
    """A van: how many stops and how much load fit into one day, and the weekdays it drives."""

    __tablename__ = "vehicle"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(60), unique=True)
    max_stops: so.Mapped[int] = so.mapped_column(default=6)
    volume_l: so.Mapped[int] = so.mapped_column(default=12000)
    # ISO weekdays it drives, "1,2,3,4,5" = Monday to Friday.
    weekdays: so.Mapped[str] = so.mapped_column(sa.String(20), default="1,2,3,4,5")
    is_active: so.Mapped[bool] = so.mapped_column(default=True)

    @property
    def day_numbers(self) -> set[int]:
        return {int(d) for d in self.weekdays.split(",") if d.strip().isdigit()}


class DeliveryStatus(StrEnum):
    PLANNED = "planned"  # on a van's day
    DELIVERED = "delivered"  # the job is done
    CANCELLED = "cancelled"


class SaleDelivery(db.Model):
    """A sale's delivery to the customer: its address and day, on a van's day like a pick-up. The
    address, name and phone are removed PICKUP_RETENTION_DAYS after the job is done."""

    __tablename__ = "delivery"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    # One delivery per sale: the receipt carries its delivery line.
    sale_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sale.id"), unique=True)
    receipt_number: so.Mapped[int]
    what: so.Mapped[str] = so.mapped_column(sa.String(200))
    volume_l: so.Mapped[int] = so.mapped_column(default=0)
    day: so.Mapped[date] = so.mapped_column(index=True)
    status: so.Mapped[DeliveryStatus] = so.mapped_column(
        _enum(DeliveryStatus), default=DeliveryStatus.PLANNED, index=True
    )
    name: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    address: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    postcode: so.Mapped[str | None] = so.mapped_column(sa.String(10), index=True)
    floor: so.Mapped[int | None]
    has_lift: so.Mapped[bool] = so.mapped_column(default=False)
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    done_on: so.Mapped[date | None] = so.mapped_column(index=True)
    erased_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    stop: so.Mapped["Stop | None"] = so.relationship(back_populates="delivery", uselist=False)


class Stop(db.Model):
    """One address on a van's day: an offer to collect, or a sale to deliver."""

    __tablename__ = "route_stop"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    vehicle_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("vehicle.id"), index=True)
    day: so.Mapped[date] = so.mapped_column(index=True)
    position: so.Mapped[int] = so.mapped_column(default=0)
    offer_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("donation_offer.id"), unique=True)
    delivery_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("delivery.id"), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)

    vehicle: so.Mapped[Vehicle] = so.relationship()
    offer: so.Mapped[DonationOffer | None] = so.relationship(back_populates="stop")
    delivery: so.Mapped[SaleDelivery | None] = so.relationship(back_populates="stop")

    @property
    def volume_l(self) -> int:
        job = self.offer or self.delivery
        return job.volume_l if job is not None else 0

    @property
    def postcode(self) -> str:
        job = self.offer or self.delivery
        return (job.postcode or "") if job is not None else ""


class MailStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    KEPT = "kept"  # no SMTP server configured (the demo): kept in the outbox page only
    FAILED = "failed"


class DonorMail(db.Model):
    """A message to a donor: a thank-you, a polite decline, a request for a photo. Sent through SMTP
    after the commit; the address and text are removed with the offer's contact data."""

    __tablename__ = "donor_mail"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    offer_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("donation_offer.id"), index=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    to: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    subject: so.Mapped[str] = so.mapped_column(sa.String(200))
    body: so.Mapped[str | None] = so.mapped_column(sa.Text)
    status: so.Mapped[MailStatus] = so.mapped_column(_enum(MailStatus), default=MailStatus.QUEUED)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
    sent_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    error: so.Mapped[str | None] = so.mapped_column(sa.String(200))

    offer: so.Mapped[DonationOffer | None] = so.relationship()
