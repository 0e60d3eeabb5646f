"""A clashing shift is warned about before it is booked; the planner may plan it anyway."""

from datetime import date

import sqlalchemy as sa

from store.extensions import db
from store.shifts.models import Shift

MONDAY = date(2026, 5, 4)  # a week without public holidays in Lower Saxony


def count_shifts() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Shift))


def test_an_overlapping_shift_is_warned_before_it_is_booked(app, crew, client, login):
    login(crew.supervisor)
    base = {
        "user_id": crew.olena.id,
        "day": MONDAY.isoformat(),
        "starts_at": "09:00",
        "ends_at": "13:00",
    }
    assert client.post("/shifts/assign", data={**base, "station_id": crew.kasse.id}).status_code == 302
    clash = {**base, "station_id": crew.annahme.id, "starts_at": "11:00", "ends_at": "15:00"}
    response = client.post("/shifts/assign", data=clash)
    assert response.status_code == 422
    assert 'id="clash-warning"' in response.get_data(as_text=True)
    assert count_shifts() == 1  # not booked yet
    response = client.post("/shifts/assign", data={**clash, "despite": "1"})
    assert response.status_code == 302
    assert count_shifts() == 2
