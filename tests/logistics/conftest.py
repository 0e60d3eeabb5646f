"""Fixtures of the pick-ups: vans, an offer, photos, an SMTP server on 127.0.0.1."""

import io
import socket

import pytest
from PIL import Image

from store.core.audit import Actor
from store.extensions import db
from store.logistics import services
from store.logistics.models import OfferSource


def jpeg_with_exif(size=(800, 600)) -> bytes:
    """A JPEG that carries EXIF (camera maker, a GPS block): what a phone sends."""
    image = Image.new("RGB", size, (120, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 17.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def vans(app):
    actor = Actor.system()
    big = services.save_vehicle(actor, None, name="Transporter 1", max_stops=2, volume_l=10000)
    small = services.save_vehicle(
        actor, None, name="Caddy", max_stops=3, volume_l=3000, weekdays="1,2,3,4,5,6"
    )
    db.session.commit()
    return big, small


@pytest.fixture
def make_offer(app):
    def make(what="Sofa, 3-Sitzer", address="Lindenweg 4, 49191 Belm", **fields):
        data = services.OfferIn(
            what=what,
            address=address,
            name=fields.pop("name", "Erika Muster"),
            phone=fields.pop("phone", "0541 12345"),
            email=fields.pop("email", "erika@example.org"),
            consent=fields.pop("consent", True),
            floor=fields.pop("floor", 2),
            **fields,
        )
        offer = services.create_offer(Actor.system(), data, source=OfferSource.PHONE)
        db.session.commit()
        return offer

    return make


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port; .messages holds what it received."""
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            self.messages.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Keep()
    handler.port = port
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler
    controller.stop()
