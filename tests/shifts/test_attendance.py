"""Confirming days, absences, the monthly sheet and its allowance, closing a month, and
corrections after closing that show up on the next sheet."""

import io
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from store.core.audit import Actor
from store.core.errors import ValidationError
from store.extensions import db
from store.shifts import services, sheets
from store.shifts.models import AttendanceCode, AttendanceEntry
from tests.conftest import tr
from tests.shifts.conftest import local, t

MAY = date(2026, 5, 4)  # Monday 4 May 2026
JUNE_3 = local(date(2026, 6, 3), "10:00")  # "now" for closing May


def work(crew, user, day, start="09:00", end="13:00", station=None):
    """A planned shift and its clock-in and clock-out."""
    services.assign_shift(
        crew.sup,
        user_id=user.id,
        station_id=(station or crew.kasse).id,
        day=day,
        starts_at=t("09:00"),
        ends_at=t("13:00"),
    )
    services.clock(Actor(user=user), user, "in", now=local(day, start))
    services.clock(Actor(user=user), user, "out", now=local(day, end))
    db.session.commit()


def entries():
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AttendanceEntry).order_by(AttendanceEntry.id)))


def test_confirm_as_clocked_with_late_and_break(app, crew):
    work(crew, crew.olena, MAY, "09:12", "16:10")  # 6:58 h present, 12 min late
    entry = services.confirm_attendance(crew.sup, crew.olena, MAY, "present", now=local(MAY, "17:00"))
    db.session.commit()
    assert entry.minutes == 418 - 30 and entry.break_minutes == 30
    assert entry.late_minutes == 12 and entry.early_leave_minutes == 0
    assert entry.confirmed_by_id == crew.supervisor.id


def test_a_confirmed_day_is_locked_and_changes_by_counter_entry(app, crew, client, login):
    work(crew, crew.olena, MAY)
    login(crew.supervisor)
    form = {"user_id": crew.olena.id, "day": MAY.isoformat(), f"u{crew.olena.id}-code": "present"}
    assert client.post("/attendance/confirm", data=form).status_code == 302
    [first] = entries()
    assert first.minutes == 240 and first.code == AttendanceCode.PRESENT
    # again without a reason: refused, nothing booked
    page = client.post(
        "/attendance/confirm", data={**form, f"u{crew.olena.id}-hours": "3:30"}, follow_redirects=True
    ).get_data(as_text=True)
    assert tr("This day is confirmed already. Please give a reason for the change.") in page
    assert len(entries()) == 1
    client.post(
        "/attendance/confirm",
        data={**form, f"u{crew.olena.id}-hours": "3,5", f"u{crew.olena.id}-reason": "left for a doctor"},
    )
    first_again, second = entries()
    assert second.replaces_id == first.id and second.minutes == 210
    assert second.reason == "left for a doctor" and first_again.minutes == 240
    page = client.get(f"/attendance?day={MAY.isoformat()}").get_data(as_text=True)
    assert "left for a doctor" in page and 'class="replaced"' in page
    for statement in ("UPDATE attendance_entry SET minutes = 1", "DELETE FROM attendance_entry"):
        with pytest.raises(sa.exc.DatabaseError), db.engine.begin() as conn:
            conn.execute(sa.text(statement))


def test_absences_with_certificate_never_a_diagnosis(app, crew, client, login):
    login(crew.supervisor)
    prefix = f"u{crew.olena.id}-"
    response = client.post(
        "/attendance/confirm",
        data={"user_id": crew.olena.id, "day": MAY.isoformat(), prefix + "code": "sick_certificate"},
        follow_redirects=True,
    )
    assert tr("Until when does the certificate hold?") in response.get_data(as_text=True)
    assert entries() == []
    # sick with a certificate until Thursday: Monday to Thursday are recorded at once
    client.post(
        "/attendance/confirm",
        data={
            "user_id": crew.olena.id,
            "day": MAY.isoformat(),
            prefix + "code": "sick_certificate",
            prefix + "certificate_until": (MAY + timedelta(days=3)).isoformat(),
            prefix + "last_day": (MAY + timedelta(days=3)).isoformat(),
        },
    )
    rows = entries()
    assert [e.day for e in rows] == [MAY + timedelta(days=n) for n in range(4)]
    assert {e.code for e in rows} == {AttendanceCode.SICK_CERTIFICATE}
    assert {e.certificate_until for e in rows} == {MAY + timedelta(days=3)}
    # hours on an absence day are refused
    with pytest.raises(ValidationError):
        services.confirm_attendance(crew.sup, crew.ahmad, MAY, "leave", minutes=240)


def test_allowance_only_for_hours_attended(app, crew):
    """1,50 €/h for present days; sick, leave and a public holiday yield 0."""
    for n in range(3):
        work(crew, crew.olena, MAY + timedelta(days=n))
        services.confirm_attendance(crew.sup, crew.olena, MAY + timedelta(days=n), "present", now=JUNE_3)
    services.confirm_attendance(
        crew.sup,
        crew.olena,
        MAY + timedelta(days=3),
        "sick_certificate",
        certificate_until=MAY + timedelta(days=4),
        now=JUNE_3,
    )
    services.confirm_attendance(
        crew.sup, crew.olena, MAY + timedelta(days=4), "sick_no_certificate", now=JUNE_3
    )
    services.confirm_attendance(crew.sup, crew.olena, date(2026, 5, 11), "leave", now=JUNE_3)
    services.confirm_attendance(
        crew.sup, crew.olena, date(2026, 5, 14), "public_holiday", now=JUNE_3
    )  # Christi Himmelfahrt
    services.confirm_attendance(
        crew.sup, crew.olena, date(2026, 5, 12), "present", minutes=75, now=JUNE_3
    )
    db.session.commit()
    sheet = sheets.month_sheet(crew.olena, 2026, 5)
    assert sheet.attended == 3 * 240 + 75
    assert sheet.allowance_cents == 1988  # 795 min × 1,50 €/h = 19,875 €, half up
    assert sheet.counts[AttendanceCode.SICK_CERTIFICATE] == 1
    assert sheet.counts[AttendanceCode.LEAVE] == 1
    assert sheet.counts[AttendanceCode.PUBLIC_HOLIDAY] == 1
    only_absent = sheets.month_sheet(crew.ahmad, 2026, 5)
    assert only_absent.allowance_cents == 0
    services.confirm_attendance(crew.sup, crew.ahmad, MAY, "present", minutes=240, now=JUNE_3)
    db.session.commit()
    assert sheets.month_sheet(crew.ahmad, 2026, 5).allowance_cents == 0  # no rate agreed
    with pytest.raises(ValidationError):  # not a holiday
        services.confirm_attendance(crew.sup, crew.olena, date(2026, 5, 13), "public_holiday")


def test_allowance_rounding_and_sick_leave_holiday_zero(app, crew):
    assert sheets.allowance_cents(1, 150) == 3  # 2,5 ct → 3 ct
    assert sheets.allowance_cents(60, 150) == 150
    assert sheets.allowance_cents(0, 150) == 0
    for code in ("sick_certificate", "leave", "public_holiday", "excused", "unexcused"):
        assert sheets.entry_allowance(AttendanceEntry(code=AttendanceCode(code), minutes=240), 150) == 0


def test_closing_a_month_and_counter_entries_after_it(app, crew, client, login):
    day = MAY
    work(crew, crew.olena, day)
    services.confirm_attendance(crew.sup, crew.olena, day, "present", now=local(day, "14:00"))
    db.session.commit()
    # too early: May is not over
    with pytest.raises(ValidationError):
        services.close_month(crew.coord, 2026, 5, now=local(date(2026, 5, 31), "12:00"))
    # a planned day without an entry blocks the closing
    services.assign_shift(
        crew.sup,
        user_id=crew.ahmad.id,
        station_id=crew.kasse.id,
        day=day,
        starts_at=t("09:00"),
        ends_at=t("12:00"),
    )
    db.session.commit()
    with pytest.raises(ValidationError) as open_days:
        services.close_month(crew.coord, 2026, 5, now=JUNE_3)
    assert "1" in open_days.value.message
    services.confirm_attendance(crew.sup, crew.ahmad, day, "excused", now=JUNE_3)
    services.close_month(crew.coord, 2026, 5, now=JUNE_3)
    db.session.commit()
    before = sheets.month_sheet(crew.olena, 2026, 5)
    assert before.closing is not None and before.allowance_cents == 600  # 4 h × 1,50 €

    # after closing: a change needs a reason and becomes a correction on June's sheet
    with pytest.raises(ValidationError):
        services.confirm_attendance(
            crew.sup, crew.olena, day, "present", minutes=300, now=JUNE_3 + timedelta(days=1)
        )
    correction = services.confirm_attendance(
        crew.sup,
        crew.olena,
        day,
        "present",
        minutes=300,
        reason="stayed until 14:00",
        now=JUNE_3 + timedelta(days=1),
    )
    # a day of the closed month that was never confirmed is a correction too
    late = services.confirm_attendance(
        crew.sup,
        crew.olena,
        date(2026, 5, 5),
        "present",
        minutes=120,
        reason="forgotten day",
        now=JUNE_3 + timedelta(days=1),
    )
    db.session.commit()
    assert correction.reported_in == "2026-06" and correction.replaces_id is not None
    assert late.reported_in == "2026-06" and late.replaces_id is None
    # May stays as it was closed …
    closed = sheets.month_sheet(crew.olena, 2026, 5)
    assert closed.confirmed == 240 and closed.allowance_cents == 600
    # … and June lists the corrections with their money
    june = sheets.month_sheet(crew.olena, 2026, 6)
    assert [c.entry.day for c in june.corrections] == [date(2026, 5, 4), date(2026, 5, 5)]
    assert [c.allowance_diff_cents for c in june.corrections] == [150, 300]
    assert june.corrections_cents == 450 and june.payable_cents == june.allowance_cents + 450

    login(crew.coordinator)
    page = client.get(f"/hours/{crew.olena.id}?month=2026-06").get_data(as_text=True)
    assert "stayed until 14:00" in page and "forgotten day" in page
    csv = client.get(f"/hours/{crew.olena.id}.csv?month=2026-06")
    text = csv.data.decode("utf-8-sig")
    assert csv.mimetype == "text/csv" and "stayed until 14:00" in text and "1,50" in text
    all_csv = client.get("/hours.csv?month=2026-06").data.decode("utf-8-sig")
    assert "forgotten day" in all_csv and tr("yes") in all_csv
    may_page = client.get(f"/hours/{crew.olena.id}?month=2026-05").get_data(as_text=True)
    assert "2026-06" in may_page  # "changed after closing: see the sheet of 2026-06"


def test_close_month_for_one_trainee_through_the_page(app, crew, client, login):
    login(crew.supervisor)  # supervisors may not close
    assert client.post("/hours/close", data={"month": "2026-04"}).status_code == 403
    client.post("/logout")
    login(crew.coordinator)
    response = client.post("/hours/close", data={"month": "2026-04", "user_id": crew.olena.id})
    assert response.status_code == 302
    assert services.closing_for(crew.olena.id, "2026-04") is not None
    assert services.closing_for(crew.ahmad.id, "2026-04") is None
    page = client.post(
        "/hours/close", data={"month": "2026-04", "user_id": crew.olena.id}, follow_redirects=True
    ).get_data(as_text=True)
    assert tr("This month is closed already.") in page


def test_sheet_files_pdf_xlsx(app, crew, client, login):
    work(crew, crew.olena, MAY)
    services.confirm_attendance(crew.sup, crew.olena, MAY, "present", now=JUNE_3)
    services.confirm_attendance(
        crew.sup,
        crew.olena,
        MAY + timedelta(days=1),
        "sick_certificate",
        certificate_until=MAY + timedelta(days=1),
        note="AU liegt vor",
        now=JUNE_3,
    )
    db.session.commit()
    login(crew.supervisor)
    pdf = client.get(f"/hours/{crew.olena.id}.pdf?month=2026-05")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    xlsx = client.get(f"/hours/{crew.olena.id}.xlsx?month=2026-05")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames[0] == tr("Overview")
    overview = list(book.worksheets[0].iter_rows(values_only=True))
    assert overview[1][0] == crew.olena.display_name and overview[1][7] == 6.0
    days = list(book.worksheets[1].iter_rows(values_only=True))
    # days are dates and hours durations (4:00), which spreadsheets sort and sum
    assert any(row[0] == datetime(2026, 5, 4) and row[4] == timedelta(hours=4) for row in days)
    assert client.get("/hours.xlsx?month=2026-05").status_code == 200
    assert client.get("/hours.pdf?month=2026-05").data.startswith(b"%PDF")
    page = client.get("/hours?month=2026-05").get_data(as_text=True)
    assert crew.olena.display_name in page and "6,00" in page


def test_formula_like_notes_are_neutralised_in_files(app, crew, client, login):
    services.confirm_attendance(crew.sup, crew.olena, MAY, "excused", note="=HYPERLINK(1)", now=JUNE_3)
    db.session.commit()
    login(crew.supervisor)
    text = client.get(f"/hours/{crew.olena.id}.csv?month=2026-05").data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    book = load_workbook(io.BytesIO(client.get(f"/hours/{crew.olena.id}.xlsx?month=2026-05").data))
    values = [c for row in book.worksheets[1].iter_rows(values_only=True) for c in row if c]
    assert "'=HYPERLINK(1)" in values
