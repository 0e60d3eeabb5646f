"""A trainee sees only their own shifts and hours, on pages and in the API; the calendar feed is
valid, follows changes and can be switched off."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from store.core.timeutil import local_today
from store.extensions import db
from store.shifts import services
from store.shifts.models import CalendarToken
from tests.conftest import tr
from tests.shifts.conftest import local, t


def plan_both(crew, day):
    mine = services.assign_shift(
        crew.sup,
        user_id=crew.olena.id,
        station_id=crew.kasse.id,
        day=day,
        starts_at=t("09:00"),
        ends_at=t("13:00"),
    )
    other = services.assign_shift(
        crew.sup,
        user_id=crew.ahmad.id,
        station_id=crew.annahme.id,
        day=day,
        starts_at=t("10:00"),
        ends_at=t("14:30"),
    )
    db.session.commit()
    return mine, other


@pytest.mark.clock  # a shift today, a Friday
def test_my_shifts_page_in_plain_words(app, crew, client, login):
    today = local_today()
    plan_both(crew, today)
    login(crew.olena)
    page = client.get("/my/shifts").get_data(as_text=True)
    assert f"{services.long_day_label(today)}" in page
    assert "9:00–13:00 Kasse" in page
    assert "Warenannahme" not in page and "14:30" not in page  # Ahmad's shift


def test_trainee_pages_refuse_other_peoples_records(app, crew, client, login):
    login(crew.olena)
    assert client.get(f"/hours/{crew.ahmad.id}").status_code == 403
    assert client.get(f"/hours/{crew.ahmad.id}.pdf").status_code == 403
    assert client.get("/attendance").status_code == 403
    assert client.get("/shifts/plan").status_code == 403
    assert client.get("/hours").status_code == 403
    own = client.get("/my/hours")
    assert own.status_code == 200 and crew.olena.display_name in own.get_data(as_text=True)
    assert crew.ahmad.display_name not in own.get_data(as_text=True)
    assert client.get("/my/hours.pdf").data.startswith(b"%PDF")


@pytest.mark.clock  # a shift today, a Friday, in this week's listing
def test_api_trainee_sees_only_themselves(app, crew, client, api_token):
    day = local_today()
    plan_both(crew, day)
    services.confirm_attendance(crew.sup, crew.ahmad, day, "leave")
    db.session.commit()
    headers = api_token(crew.olena)
    people = client.get("/api/v1/participants", headers=headers).json["participants"]
    assert people == [
        {
            "id": crew.olena.id,
            "name": crew.olena.display_name,
            "username": crew.olena.username,
            "badge": "1000001",
        }
    ]
    assert client.get(f"/api/v1/participants/{crew.ahmad.id}/hours", headers=headers).status_code == 403
    assert (
        client.get(f"/api/v1/participants/{crew.ahmad.id}/clock-events", headers=headers).status_code
        == 403
    )
    own = client.get(f"/api/v1/participants/{crew.olena.id}/hours", headers=headers)
    assert own.status_code == 200 and own.json["participant"]["id"] == crew.olena.id
    shifts = client.get("/api/v1/shifts", headers=headers).json["shifts"]
    assert [s["participant"]["id"] for s in shifts] == [crew.olena.id]
    assert client.get(f"/api/v1/shifts?participant={crew.ahmad.id}", headers=headers).status_code == 403
    assert (
        client.post(
            f"/api/v1/participants/{crew.olena.id}/attendance",
            headers=headers,
            json={"date": day.isoformat(), "code": "present"},
        ).status_code
        == 403
    )
    # staff see everybody
    staff = api_token(crew.supervisor)
    everybody = client.get("/api/v1/participants", headers=staff).json["participants"]
    assert {p["id"] for p in everybody} == {crew.olena.id, crew.ahmad.id}
    assert len(client.get("/api/v1/shifts", headers=staff).json["shifts"]) == 2


@pytest.mark.clock  # a shift tomorrow
def test_calendar_feed_is_valid_follows_changes_and_can_be_revoked(app, crew, client, login):
    day = local_today() + timedelta(days=1)
    mine, _other = plan_both(crew, day)
    login(crew.olena)
    client.post("/my/calendar")
    page = client.get("/my/shifts").get_data(as_text=True)
    link = page.split('id="calendar-link">')[1].split("<")[0]
    assert "/calendar/" in link and link.endswith(".ics") and "<svg" in page
    assert 'id="calendar-link"' not in client.get("/my/shifts").get_data(as_text=True)  # once
    client.post("/logout")
    path = link[link.index("/calendar/") :]
    feed = client.get(path)  # no sign-in: the link is the key
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    calendar = Calendar.from_ical(feed.data)
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"shift-{mine.id}@localhost"
    assert event.decoded("dtstart") == mine.starts_at and event["sequence"] == 0
    assert "Kasse" in str(event["summary"]) and str(event["status"]) == "CONFIRMED"

    services.change_shift(
        crew.sup,
        mine,
        station_id=crew.annahme.id,
        day=day,
        starts_at=t("10:00"),
        ends_at=t("14:00"),
        now=local(day, "07:00") - timedelta(days=1),
    )
    db.session.commit()
    [event] = Calendar.from_ical(client.get(path).data).walk("VEVENT")
    assert event["sequence"] == 1 and "Warenannahme" in str(event["summary"])
    assert event.decoded("dtstart") == services.local_instant(day, t("10:00"))
    services.cancel_shift(crew.sup, mine)
    db.session.commit()
    [event] = Calendar.from_ical(client.get(path).data).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED" and event["sequence"] == 2

    login(crew.olena)
    client.post("/my/calendar/revoke")
    assert client.get(path).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    # a new link works, and stores only a hash
    client.post("/my/calendar")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarToken)) == 2
    assert all(len(h) == 64 for h in db.session.scalars(sa.select(CalendarToken.token_hash)))


@pytest.mark.clock  # both presses on the same day: no midnight in between
def test_api_clock_by_badge(app, crew, client, api_token):
    headers = api_token(crew.supervisor)
    refused = client.post("/api/v1/clock", headers=headers, json={"badge": "1000001", "action": "out"})
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert refused.json["detail"] == tr("You have not clocked in. Press “Clock in” first.")
    done = client.post("/api/v1/clock", headers=headers, json={"badge": "1000001", "action": "in"})
    assert done.status_code == 201, done.json
    assert done.json["participant"]["id"] == crew.olena.id and done.json["action"] == "in"
    assert done.json["message"] == tr("Clocked in at %(time)s.", time=done.json["local_time"])
    again = client.post("/api/v1/clock", headers=headers, json={"badge": "1000001", "action": "in"})
    assert again.status_code == 409
    for body in (
        {"badge": "1000001", "action": "pause"},
        {"badge": "", "action": "in"},
        {"badge": "1000001"},
        {"badge": "1000001", "action": "in", "extra": 1},
    ):
        assert client.post("/api/v1/clock", headers=headers, json=body).status_code == 422
    assert (
        client.post(
            "/api/v1/clock", headers=headers, json={"badge": "9999999", "action": "in"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/clock",
            headers=headers,  # a supervisor's own badge
            json={"badge": "9000001", "action": "in"},
        ).status_code
        == 404
    )
    # a trainee's token clocks only its own badge
    trainee = api_token(crew.ahmad)
    assert (
        client.post(
            "/api/v1/clock", headers=trainee, json={"badge": "1000001", "action": "out"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/clock", headers=trainee, json={"badge": "1000002", "action": "in"}
        ).status_code
        == 201
    )
    events = client.get(f"/api/v1/participants/{crew.olena.id}/clock-events", headers=headers).json[
        "events"
    ]
    assert [e["kind"] for e in events] == ["in"] and events[0]["source"] == "api"


def test_api_attendance_and_hours(app, crew, client, api_token):
    headers = api_token(crew.supervisor)
    day = date(2026, 5, 4)
    url = f"/api/v1/participants/{crew.olena.id}/attendance"
    created = client.post(
        url,
        headers=headers,
        json={"date": "2026-05-04", "code": "present", "hours": 4.5, "note": "Kasse"},
    )
    assert created.status_code == 201, created.json
    assert created.json["minutes"] == 270 and created.json["replaces"] is None
    locked = client.post(
        url, headers=headers, json={"date": "2026-05-04", "code": "present", "hours": 5}
    )
    assert locked.status_code == 422 and locked.json["field"] == "reason"
    fixed = client.post(
        url,
        headers=headers,
        json={"date": "2026-05-04", "code": "present", "hours": 5, "reason": "typo"},
    )
    assert fixed.status_code == 201 and fixed.json["replaces"] == created.json["id"]
    sick = client.post(
        url,
        headers=headers,
        json={"date": "2026-05-05", "code": "sick_certificate", "certificate_until": "2026-05-08"},
    )
    assert sick.status_code == 201
    for body in (
        {"date": "2026-05-06", "code": "sick"},
        {"date": "2026-05-06", "code": "sick_certificate"},
        {"date": "2026-13-01", "code": "present", "hours": 2},
        {"date": "2026-05-06", "code": "present", "hours": 30},
        {"date": "2026-05-06", "code": "leave", "hours": 4},
        {"date": "2026-05-06", "code": "present"},
    ):  # no clock times, no hours
        response = client.post(url, headers=headers, json=body)
        assert response.status_code == 422, (body, response.json)
    assert (
        client.post(
            f"/api/v1/participants/{crew.supervisor.id}/attendance",
            headers=headers,
            json={"date": "2026-05-06", "code": "leave"},
        ).status_code
        == 404
    )
    hours = client.get(f"/api/v1/participants/{crew.olena.id}/hours?month=2026-05", headers=headers)
    assert hours.status_code == 200
    body = hours.json
    assert body["month"] == "2026-05" and len(body["days"]) == 31
    may4 = next(d for d in body["days"] if d["date"] == day.isoformat())
    assert may4["confirmed_minutes"] == 300 and may4["code"] == "present"
    assert body["totals"]["attended_minutes"] == 300
    assert body["allowance_cents"] == 750 and body["hourly_allowance_cents"] == 150
    assert body["absences"] == {"sick_certificate": 1}
    assert (
        client.get(f"/api/v1/participants/{crew.olena.id}/hours?month=May", headers=headers).status_code
        == 422
    )


def test_api_plan_a_shift_with_warnings(app, crew, client, api_token):
    headers = api_token(crew.supervisor)
    response = client.post(
        "/api/v1/shifts",
        headers=headers,
        json={
            "participant": crew.ahmad.id,
            "station": crew.kasse.id,
            "date": "2026-05-08",
            "starts": "9:00",
            "ends": "13:00",
        },
    )
    assert response.status_code == 201, response.json
    assert response.json["shift"]["local_start"] == "9:00"
    assert (
        tr(
            "%(name)s: %(day)s is not an agreed workday.",
            name=crew.ahmad.short_name,
            day=services.day_label(date(2026, 5, 8)),
        )
        in response.json["warnings"]
    )
    assert (
        client.post(
            "/api/v1/shifts",
            headers=api_token(crew.olena),
            json={
                "participant": crew.olena.id,
                "station": crew.kasse.id,
                "date": "2026-05-08",
                "starts": "9:00",
                "ends": "13:00",
            },
        ).status_code
        == 403
    )


def test_openapi_lists_the_endpoints(app, client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/participants",
        "/clock",
        "/participants/{user_id}/hours",
        "/participants/{user_id}/attendance",
        "/shifts",
        "/participants/{user_id}/clock-events",
    ):
        assert path in paths, path
    assert "post" in paths["/clock"] and "get" in paths["/participants/{user_id}/hours"]
