"""/spenden: no sign-in, German and English, CSRF, honeypot, minimum fill time, rate limit, photos."""

import io
import re
import time

import pytest
import sqlalchemy as sa

from store.extensions import db
from store.logistics.models import DonationOffer
from tests.logistics.conftest import jpeg_with_exif


@pytest.fixture
def app_config():
    return {"OFFER_MIN_SECONDS": 0, "OFFERS_PER_HOUR": 2}


def form_data(page: str, **changes) -> dict:
    shown = re.search(r'name="shown" type="hidden" value="([^"]+)"', page) or re.search(
        r'id="shown" name="shown" type="hidden" value="([^"]+)"', page
    )
    data = {
        "shown": shown.group(1)
        if shown
        else re.search(r'name="shown"[^>]*value="([^"]+)"', page).group(1),
        "website": "",
        "what": "Sofa",
        "quantity": "1",
        "dimensions": "200 × 90 × 80",
        "name": "Erika",
        "address": "Lindenweg 4, 49191 Belm",
        "floor": "2",
        "preferred_days": ["1", "3"],
        "phone": "0541 1",
        "email": "e@example.org",
        "consent": "y",
    }
    data.update(changes)
    return data


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(DonationOffer))


def test_offer_with_a_photo_in_german_and_english(client):
    page = client.get("/spenden").get_data(as_text=True)
    assert "Möbel" in page or "Spende" in page or "spenden" in page.lower()
    data = form_data(page, photos=[(io.BytesIO(jpeg_with_exif()), "sofa.jpg")])
    answer = client.post("/spenden", data=data, content_type="multipart/form-data")
    assert answer.status_code == 302 and answer.location.endswith("/spenden/danke")
    offer = db.session.scalar(sa.select(DonationOffer))
    assert offer.postcode == "49191" and len(offer.photos) == 1 and offer.ip_hash
    assert offer.language == "de" and offer.preferred_days
    client.post("/language", data={"locale": "en", "next": "/spenden"})
    english = client.get("/spenden").get_data(as_text=True)
    assert "Donate furniture" in english


def test_honeypot_is_answered_as_if_it_worked_but_nothing_is_kept(client):
    page = client.get("/spenden").get_data(as_text=True)
    answer = client.post("/spenden", data=form_data(page, website="http://spam.example"))
    assert answer.status_code == 302 and count() == 0


def test_a_forged_timestamp_is_refused(client):
    page = client.get("/spenden").get_data(as_text=True)
    answer = client.post("/spenden", data=form_data(page, shown="forged"))
    assert answer.status_code == 400 and count() == 0


def test_rate_limit_per_address(client):
    for _n in range(2):
        page = client.get("/spenden").get_data(as_text=True)
        assert client.post("/spenden", data=form_data(page)).status_code == 302
    page = client.get("/spenden").get_data(as_text=True)
    assert client.post("/spenden", data=form_data(page)).status_code == 429
    assert count() == 2


def test_consent_is_required(client):
    page = client.get("/spenden").get_data(as_text=True)
    data = form_data(page)
    del data["consent"]
    answer = client.post("/spenden", data=data)
    assert answer.status_code == 200 and count() == 0


@pytest.mark.parametrize("app_config", [{"OFFER_MIN_SECONDS": 30}])
def test_too_fast_is_refused(client, app_config):
    page = client.get("/spenden").get_data(as_text=True)
    assert client.post("/spenden", data=form_data(page)).status_code == 400
    assert count() == 0
    assert time  # the clock is not moved: the form was sent right away


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_csrf_is_checked(client, app_config):
    page = client.get("/spenden").get_data(as_text=True)
    assert client.post("/spenden", data=form_data(page)).status_code == 400
    assert count() == 0
