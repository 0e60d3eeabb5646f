"""The logistics area's services, one module per use case:

- offers:    offers from the public form, a phone call or the API; photos; screening them
- spam:      the public form's honeypot, minimum fill time and per-address limit
- routes:    vans, their days and capacity, scheduling, the order of the stops
- pickups:   a pick-up booked in one step (the API)
- deliveries: a sale's delivery (address, day) on a van's day beside the pick-ups
- collect:   what a van brought goes into intake from the offer; the thank-you
- mail:      messages to donors, sent through SMTP after the commit (or kept, in the demo)
- retention: donors' contact data removed a while after the job
"""

from store.logistics.services.collect import intake_defaults, take_in_offer
from store.logistics.services.deliveries import (
    deliveries_on,
    delivery_of,
    get_delivery,
    get_sale_for_delivery,
    mark_delivered,
    plan_delivery,
)
from store.logistics.services.mail import outbox, queue_mail, send_queued
from store.logistics.services.offers import (
    DECLINE_REASONS,
    MAX_PHOTOS,
    OPEN,
    PHOTO_MAX_BYTES,
    OfferIn,
    accept,
    add_photo,
    address_hash,
    ask_for_photo,
    cancel,
    create_offer,
    decline,
    get_offer,
    list_offers,
    photo_folder,
    photo_key,
)
from store.logistics.services.pickups import book_pickup
from store.logistics.services.retention import erase_delivery_contacts, erase_donor_contacts
from store.logistics.services.routes import (
    Slot,
    day_slots,
    first_free_vehicle,
    get_stop,
    get_vehicle,
    list_vehicles,
    move_stop,
    order_by_postcode,
    save_vehicle,
    schedule,
    slot,
    unschedule,
)
from store.logistics.services.spam import (
    HoneypotError,
    SpamError,
    TooManyOffersError,
    check_rate,
    check_submission,
    form_token,
)

__all__ = [
    "deliveries_on",
    "delivery_of",
    "get_delivery",
    "get_sale_for_delivery",
    "mark_delivered",
    "plan_delivery",
    "DECLINE_REASONS",
    "MAX_PHOTOS",
    "OPEN",
    "PHOTO_MAX_BYTES",
    "OfferIn",
    "Slot",
    "HoneypotError",
    "SpamError",
    "TooManyOffersError",
    "accept",
    "add_photo",
    "address_hash",
    "ask_for_photo",
    "book_pickup",
    "cancel",
    "check_rate",
    "check_submission",
    "create_offer",
    "day_slots",
    "decline",
    "erase_delivery_contacts",
    "erase_donor_contacts",
    "first_free_vehicle",
    "form_token",
    "get_offer",
    "get_stop",
    "get_vehicle",
    "intake_defaults",
    "list_offers",
    "list_vehicles",
    "move_stop",
    "order_by_postcode",
    "outbox",
    "photo_folder",
    "photo_key",
    "queue_mail",
    "save_vehicle",
    "schedule",
    "send_queued",
    "slot",
    "take_in_offer",
    "unschedule",
]
