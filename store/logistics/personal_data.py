"""What the pick-ups hold about people: donors are not users, so there is no Art. 15 section per
user here; their contact data (name, address, phone, e-mail, photos, the text of messages to them)
is removed PICKUP_RETENTION_DAYS after the job by a retention sweep (store.core.personal_data). The
same holds for the customers' delivery addresses and phones."""

from flask import Flask

from store.core import personal_data


def _sweep(actor) -> int:
    from store.logistics.services import erase_donor_contacts

    return erase_donor_contacts(actor)


def _sweep_deliveries(actor) -> int:
    from store.logistics.services import erase_delivery_contacts

    return erase_delivery_contacts(actor)


def init_app(app: Flask) -> None:
    personal_data.register_sweep("logistics.donor_contacts", "Donor contacts erased", _sweep)
    personal_data.register_sweep(
        "logistics.delivery_contacts", "Delivery addresses erased", _sweep_deliveries
    )
