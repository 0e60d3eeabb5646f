"""The shift plan, the monthly hours (page and PDF/XLSX/CSV) and the Jobcenter hours export follow
the header's switcher: one branch chosen, its stations and trainees; none chosen, all the user may
see. One person's sheet of a branch the user does not see does not exist for them (404)."""

from datetime import UTC, date, datetime, time

from store.branches import services as branches
from store.core.audit import Actor
from store.extensions import db
from store.shifts import services
from store.shifts.models import AttendanceCode, AttendanceEntry

MONTH = "2026-06"


def _nord(crew):
    """Ahmad and the station Möbel work in branch Nord; Olena (no branch) in the first."""
    nord = branches.save_branch(Actor.system(), None, name="Kaufhaus Nord")
    db.session.flush()
    services.save_station(
        Actor.system(), None, name="Möbel Nord", staffed_weekdays=[0], branch_id=nord.id
    )
    crew.ahmad.branches = [nord]
    for person in (crew.olena, crew.ahmad):
        db.session.add(
            AttendanceEntry(
                user_id=person.id,
                day=date(2026, 6, 2),
                code=AttendanceCode.PRESENT,
                minutes=240,
                confirmed_at=datetime(2026, 6, 2, 15, tzinfo=UTC),
                source="test",
            )
        )
    db.session.commit()
    return nord


def test_the_hours_and_their_files_follow_the_switcher(client, login, crew):
    nord = _nord(crew)
    login(crew.coordinator)
    page = client.get(f"/hours?month={MONTH}").get_data(as_text=True)
    assert "Olena" in page and "Ahmad" in page
    client.post("/branch", data={"branch": str(nord.id)})
    page = client.get(f"/hours?month={MONTH}").get_data(as_text=True)
    assert "Ahmad" in page and "Olena" not in page
    csv = client.get(f"/hours.csv?month={MONTH}").data.decode("utf-8-sig")
    assert "Haidari" in csv and "Kovalenko" not in csv
    assert client.get(f"/hours.pdf?month={MONTH}").status_code == 200
    jobcenter = client.get(f"/exports/hours?month={MONTH}&format=csv").data.decode("utf-8-sig")
    assert "Haidari" in jobcenter and "Kovalenko" not in jobcenter
    client.post("/branch", data={"branch": "all"})
    csv = client.get(f"/hours.csv?month={MONTH}").data.decode("utf-8-sig")
    assert "Haidari" in csv and "Kovalenko" in csv
    jobcenter = client.get(f"/exports/hours?month={MONTH}&format=csv").data.decode("utf-8-sig")
    assert "Haidari" in jobcenter and "Kovalenko" in jobcenter


def test_a_supervisor_of_nord_sees_only_nords_trainees(client, login, crew, make_user):
    nord = _nord(crew)
    boss = make_user("supervisor")
    boss.branches = [nord]
    db.session.commit()
    login(boss)
    page = client.get(f"/hours?month={MONTH}").get_data(as_text=True)
    assert "Ahmad" in page and "Olena" not in page
    assert client.get(f"/hours/{crew.ahmad.id}?month={MONTH}").status_code == 200
    assert client.get(f"/hours/{crew.olena.id}?month={MONTH}").status_code == 404
    assert client.get(f"/hours/{crew.olena.id}.csv?month={MONTH}").status_code == 404
    xlsx_names = client.get(f"/hours.csv?month={MONTH}").data.decode("utf-8-sig")
    assert "Kovalenko" not in xlsx_names
    plan = client.get("/shifts/plan?week=2026-06-01").get_data(as_text=True)
    assert "Möbel Nord" in plan and "Warenannahme" not in plan


def test_the_api_shows_a_supervisor_of_nord_only_nords_trainees(client, crew, make_user, api_token):
    nord = _nord(crew)
    boss = make_user("supervisor")
    boss.branches = [nord]
    db.session.commit()
    for person in (crew.olena, crew.ahmad):
        services.assign_shift(
            crew.sup, user_id=person.id, station_id=crew.kasse.id, day=date(2026, 6, 2),
            starts_at=time(9), ends_at=time(13), now=datetime(2026, 5, 20, 8, tzinfo=UTC),
        )  # fmt: skip
    db.session.commit()
    headers = api_token(boss)
    people = client.get("/api/v1/participants", headers=headers).json["participants"]
    assert {p["id"] for p in people} == {crew.ahmad.id}
    assert (
        client.get(
            f"/api/v1/participants/{crew.ahmad.id}/hours?month={MONTH}", headers=headers
        ).status_code
        == 200
    )
    for path in (
        f"/participants/{crew.olena.id}/hours?month={MONTH}",
        f"/shifts?participant={crew.olena.id}",
    ):
        assert client.get("/api/v1" + path, headers=headers).status_code == 404, path
    planned = client.get("/api/v1/shifts?date_from=2026-06-01", headers=headers)
    assert planned.status_code == 200, planned.json
    planned = planned.json["shifts"]
    assert {s["participant"]["id"] for s in planned} == {crew.ahmad.id}
    coordinator = api_token(crew.coordinator)
    all_planned = client.get("/api/v1/shifts?date_from=2026-06-01", headers=coordinator).json["shifts"]
    assert crew.olena.id in {s["participant"]["id"] for s in all_planned}  # there was one to hide
    everyone = client.get("/api/v1/participants", headers=coordinator).json
    assert {crew.ahmad.id, crew.olena.id} <= {p["id"] for p in everyone["participants"]}
