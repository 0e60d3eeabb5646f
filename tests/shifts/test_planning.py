"""Planning: templates fill a week, warnings at planning time, holidays, changes in the audit log."""

from datetime import date, timedelta

import sqlalchemy as sa

from store.core.audit import AuditEntry
from store.extensions import db
from store.shifts import services
from store.shifts.models import Shift, ShiftStatus
from tests.conftest import tr
from tests.shifts.conftest import t

MONDAY = date(2026, 5, 4)  # a week without public holidays in Lower Saxony


def kinds(warnings, user=None):
    return sorted({w.kind for w in warnings if user is None or w.user_id == user.id})


def test_fill_week_from_templates_twice_books_once(app, crew):
    template = services.save_template(
        crew.sup,
        None,
        station_id=crew.annahme.id,
        weekdays=[0, 1, 2, 3, 4],
        starts_at=t("09:00"),
        ends_at=t("13:00"),
        member_ids=[crew.olena.id],
    )
    db.session.commit()
    first = services.plan_week(crew.sup, MONDAY)
    db.session.commit()
    assert len(first.created) == 5 and template.id == first.created[0].template_id
    again = services.plan_week(crew.sup, MONDAY + timedelta(days=3))  # any day of the week
    db.session.commit()
    assert again.created == [] and again.existing == 5
    shifts = services.shifts_between(MONDAY, MONDAY + timedelta(days=6))
    assert [s.day.weekday() for s in shifts] == [0, 1, 2, 3, 4]
    assert {services.clock_time(s.starts_at) for s in shifts} == {"9:00"}
    assert all(s.minutes == 240 for s in shifts)
    # 5 × 4 h = 20 h: exactly the agreement, no over-hours warning
    assert "over_hours" not in kinds(services.plan_warnings(MONDAY, MONDAY + timedelta(days=6)))


def test_public_holidays_are_skipped_and_named(app, crew):
    services.save_template(
        crew.sup,
        None,
        station_id=crew.kasse.id,
        weekdays=[0, 1, 2, 3, 4],
        starts_at=t("09:00"),
        ends_at=t("13:00"),
        member_ids=[crew.olena.id],
    )
    easter_week = date(2026, 4, 6)  # Easter Monday; Good Friday was the Friday before
    result = services.plan_week(crew.sup, easter_week)
    db.session.commit()
    assert [d for d, _name in result.holidays] == [easter_week]
    assert result.holidays[0][1] == "Ostermontag"
    assert len(result.created) == 4
    assert services.holiday_name(date(2026, 10, 31)) == "Reformationstag"  # NI, not everywhere
    assert services.holiday_name(date(2026, 11, 1)) is None  # Allerheiligen: not in NI


def test_holiday_state_is_configurable(app):
    app.config["STORE_HOLIDAY_STATE"] = "BY"
    assert services.holiday_name(date(2026, 11, 1)) == "Allerheiligen"
    assert services.holiday_name(date(2026, 10, 31)) is None


def test_warnings_over_hours_off_day_overlap_absence_empty_station(app, crew):
    week_end = MONDAY + timedelta(days=6)
    # Olena: 5 × 5 h = 25 h > 20 h agreed
    for n in range(5):
        services.assign_shift(
            crew.sup,
            user_id=crew.olena.id,
            station_id=crew.kasse.id,
            day=MONDAY + timedelta(days=n),
            starts_at=t("09:00"),
            ends_at=t("14:00"),
        )
    # Ahmad works Mon–Thu: a Friday shift is off his days; two shifts at once on Monday
    services.assign_shift(
        crew.sup,
        user_id=crew.ahmad.id,
        station_id=crew.annahme.id,
        day=MONDAY + timedelta(days=4),
        starts_at=t("09:00"),
        ends_at=t("12:00"),
    )
    services.assign_shift(
        crew.sup,
        user_id=crew.ahmad.id,
        station_id=crew.annahme.id,
        day=MONDAY,
        starts_at=t("09:00"),
        ends_at=t("12:00"),
    )
    services.assign_shift(
        crew.sup,
        user_id=crew.ahmad.id,
        station_id=crew.kasse.id,
        day=MONDAY,
        starts_at=t("11:00"),
        ends_at=t("13:00"),
    )
    # Ahmad is sick with a certificate until Wednesday, recorded on Tuesday
    services.confirm_attendance(
        crew.sup,
        crew.ahmad,
        MONDAY + timedelta(days=1),
        "sick_certificate",
        certificate_until=MONDAY + timedelta(days=2),
        now=services.local_instant(MONDAY, t("08:00")),
    )
    services.assign_shift(
        crew.sup,
        user_id=crew.ahmad.id,
        station_id=crew.annahme.id,
        day=MONDAY + timedelta(days=2),
        starts_at=t("09:00"),
        ends_at=t("12:00"),
    )
    db.session.commit()
    warnings = services.plan_warnings(MONDAY, week_end)
    assert kinds(warnings, crew.olena) == ["over_hours"]
    over = next(w for w in warnings if w.kind == "over_hours")
    assert "25:00" in over.message and "20:00" in over.message
    assert kinds(warnings, crew.ahmad) == ["absence", "off_day", "overlap"]
    empty = [(w.station_id, w.day) for w in warnings if w.kind == "empty_station"]
    assert (crew.annahme.id, MONDAY + timedelta(days=1)) in empty
    assert (crew.annahme.id, MONDAY) not in empty and (crew.kasse.id, MONDAY) not in empty


def test_measure_limits_duration_and_dates(app, crew, make_user):
    services.save_agreement(
        crew.coord,
        crew.olena_agreement,
        user_id=crew.olena.id,
        measure="agh",
        starts_on=date(2024, 4, 1),
        ends_on=None,
        weekly_minutes=1200,
        workdays=[0, 1, 2, 3, 4],
        hourly_allowance_cents=150,
        max_months=24,
    )
    newcomer = make_user("trainee", first_name="Neu")
    later = make_user("trainee", first_name="Später")
    services.save_agreement(
        crew.coord,
        None,
        user_id=later.id,
        measure="volunteer",
        starts_on=date(2026, 6, 1),
        ends_on=None,
        weekly_minutes=600,
        workdays=[0],
    )
    for user in (crew.olena, newcomer, later):
        services.assign_shift(
            crew.sup,
            user_id=user.id,
            station_id=crew.kasse.id,
            day=MONDAY,
            starts_at=t("09:00"),
            ends_at=t("12:00"),
        )
    db.session.commit()
    warnings = services.plan_warnings(MONDAY, MONDAY + timedelta(days=6))
    assert kinds(warnings, crew.olena) == ["max_duration"]  # 24 months ended on 1 April 2026
    assert kinds(warnings, newcomer) == ["no_agreement"]
    assert kinds(warnings, later) == ["outside_agreement"]


def test_assign_change_cancel_are_audited_and_bump_the_sequence(app, crew):
    shift = services.assign_shift(
        crew.sup,
        user_id=crew.olena.id,
        station_id=crew.kasse.id,
        day=MONDAY,
        starts_at=t("09:00"),
        ends_at=t("13:00"),
    )
    db.session.commit()
    services.change_shift(
        crew.sup, shift, station_id=crew.annahme.id, day=MONDAY, starts_at=t("10:00"), ends_at=t("14:00")
    )
    db.session.commit()
    assert shift.sequence == 1 and services.clock_time(shift.starts_at) == "10:00"
    services.cancel_shift(crew.sup, shift)
    db.session.commit()
    assert shift.status == ShiftStatus.CANCELLED and shift.sequence == 2
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.object_type == "shift").order_by(AuditEntry.id)
    ).all()
    assert actions == ["shift.assign", "shift.change", "shift.cancel"]
    change = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "shift.change"))
    assert change.data["before"]["station_id"] == crew.kasse.id
    assert change.data["after"]["station_id"] == crew.annahme.id
    # planned again: the same calendar event comes back
    again = services.assign_shift(
        crew.sup,
        user_id=crew.olena.id,
        station_id=crew.annahme.id,
        day=MONDAY,
        starts_at=t("10:00"),
        ends_at=t("14:00"),
    )
    assert again.id == shift.id and again.is_planned and again.sequence == 3


def test_plan_page_assign_by_form_and_warnings(app, crew, client, login):
    login(crew.supervisor)
    page = client.get(f"/shifts/plan?week={MONDAY.isoformat()}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kasse" in html and "Warenannahme" in html
    assert (
        tr("%(station)s: nobody planned on %(day)s.", station="Kasse", day=services.day_label(MONDAY))
        in html
    )
    for n in range(4):
        response = client.post(
            "/shifts/assign",
            data={
                "user_id": crew.olena.id,
                "station_id": crew.kasse.id,
                "day": (MONDAY + timedelta(days=n)).isoformat(),
                "starts_at": "09:00",
                "ends_at": "15:00",
            },
        )
        assert response.status_code == 302
    page = client.get(f"/shifts/plan?week={MONDAY.isoformat()}").get_data(as_text=True)
    assert "24:00" in page and "chip-warn" in page  # 24 h planned, 20 h agreed
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Shift)) == 4


def test_bad_assignments_are_refused_with_a_message(app, crew, client, login):
    login(crew.supervisor)
    base = {
        "user_id": crew.olena.id,
        "station_id": crew.kasse.id,
        "day": MONDAY.isoformat(),
        "starts_at": "09:00",
        "ends_at": "13:00",
    }
    for changes, message in (
        ({"user_id": ""}, "There is no participant with this number."),
        ({"user_id": crew.supervisor.id}, "There is no participant with this number."),
        ({"station_id": ""}, "This station does not exist."),
        ({"ends_at": "09:00"}, "The shift ends when it starts."),
        ({"starts_at": ""}, "Please give the start time."),
        ({"starts_at": "06:00", "ends_at": "19:00"}, "A shift can be at most 12 hours long."),
    ):
        response = client.post("/shifts/assign", data={**base, **changes})
        assert response.status_code == 422, changes
        assert tr(message) in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Shift)) == 0


def test_template_and_station_pages(app, crew, client, login):
    login(crew.admin)
    assert client.get("/shifts/stations").status_code == 200
    response = client.post(
        "/shifts/stations/new",
        data={"name": "Lager", "staffed_weekdays": ["0", "2"], "sort": "3", "is_active": "y"},
    )
    assert response.status_code == 302
    lager = next(s for s in services.list_stations() if s.name == "Lager")
    assert lager.staffed_weekdays == [0, 2]
    assert client.post("/shifts/stations/new", data={"name": "Lager"}).status_code == 200
    response = client.post(
        "/shifts/templates/new",
        data={
            "station_id": lager.id,
            "weekdays": ["0", "1"],
            "starts_at": "08:00",
            "ends_at": "12:30",
            "members": [str(crew.olena.id), str(crew.ahmad.id)],
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    template = services.list_templates()[0]
    assert [m.first_name for m in template.members] == ["Ahmad", "Olena"]
    page = client.get("/shifts/templates").get_data(as_text=True)
    assert "8:00–12:30" in page
    assert client.get(f"/shifts/templates/{template.id}").status_code == 200


def test_commands_plan_a_week_and_export_a_month(app, crew, runner, tmp_path):
    services.save_template(
        crew.sup,
        None,
        station_id=crew.kasse.id,
        weekdays=[0, 2],
        starts_at=t("09:00"),
        ends_at=t("13:00"),
        member_ids=[crew.olena.id],
    )
    db.session.commit()
    result = runner.invoke(args=["shifts", "plan-week", "--week", "2026-05-06"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 shifts planned for the week of 2026-05-04")
    again = runner.invoke(args=["shifts", "plan-week", "--week", "2026-05-04"])
    assert "0 shifts planned" in again.output and "2 were planned already" in again.output
    target = tmp_path / "mai.xlsx"
    result = runner.invoke(args=["shifts", "export-month", "2026-05", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:2] == b"PK"
    assert runner.invoke(args=["shifts", "export-month", "Mai", str(target)]).exit_code != 0
