"""Every XLSX the store makes stores dates as dates and amounts and hours as numbers with a display
format: the reports' tables, the funders' report, the hours sheets and the Jobcenter export. Read back
with openpyxl, and once converted by LibreOffice (headless) to CSV, as a spreadsheet reads it."""

import csv
import io
import shutil
import subprocess
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from store.core.audit import Actor
from store.extensions import db
from store.network import exports
from store.shifts import exports as sheet_exports
from store.shifts import services as shifts
from store.shifts import sheets
from store.till import services as till
from tests.shifts.conftest import crew, local, t  # noqa: F401 - the crew fixture

pytestmark = pytest.mark.clock(moment=datetime(2026, 11, 20, 10, 0, tzinfo=UTC))

MONDAY = date(2026, 11, 2)


def _worked(crew):  # noqa: F811 - the fixture
    shifts.assign_shift(
        crew.sup,
        user_id=crew.olena.id,
        station_id=crew.kasse.id,
        day=MONDAY,
        starts_at=t("09:00"),
        ends_at=t("13:00"),
    )
    shifts.clock(Actor(user=crew.olena), crew.olena, "in", now=local(MONDAY, "09:00"))
    shifts.clock(Actor(user=crew.olena), crew.olena, "out", now=local(MONDAY, "13:15"))
    shifts.confirm_attendance(crew.sup, crew.olena, MONDAY, "present", now=local(MONDAY, "14:00"))
    db.session.commit()


def _cells(book, predicate):
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row if predicate(c)]


def _assert_typed_sheet(book):
    """Days are dates (DD.MM.YYYY), hours durations ([h]:mm), euros numbers with a € format."""
    days = _cells(book, lambda c: isinstance(c.value, datetime))
    assert days and all(c.number_format == "DD.MM.YYYY" for c in days)
    assert not _cells(
        book, lambda c: isinstance(c.value, str) and c.value[:2].isdigit() and "." in c.value[:3]
    )
    hours = _cells(book, lambda c: c.number_format == "[h]:mm" and c.value is not None)
    assert hours and all(isinstance(c.value, timedelta) for c in hours)  # a number in the file
    euros = _cells(book, lambda c: "€" in c.number_format and c.value is not None)
    assert euros and all(isinstance(c.value, int | float) for c in euros)


def test_the_hours_sheet_and_the_jobcenter_export_are_typed(app, crew):  # noqa: F811
    _worked(crew)
    book = load_workbook(
        io.BytesIO(sheet_exports.month_xlsx(sheets.month_sheets([crew.olena], 2026, 11)))
    )
    _assert_typed_sheet(book)
    day = [
        row for row in book.worksheets[1].iter_rows(values_only=True) if row[0] == datetime(2026, 11, 2)
    ]
    assert day and day[0][4] == timedelta(hours=4, minutes=15)  # shown as 4:15, as on the screen
    jobcenter = exports.hours_export(Actor(user=crew.coordinator), 2026, 11, "xlsx")
    _assert_typed_sheet(load_workbook(io.BytesIO(jobcenter.body)))


def _sell(shop, when):
    item = shop.items[0]
    till.sell(
        shop.actor, shop.till, str(uuid.uuid4()), [till.LineIn(code=item.code)],
        [till.PaymentIn("cash", item.price_cents)], now=when,
    )  # fmt: skip
    db.session.commit()


def test_report_tables_and_the_funders_report_are_typed(shop, client, make_user, login):
    _sell(shop, datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    login(make_user("coordinator"))
    answer = client.get("/reports/table/sales_time.xlsx?from=2026-11-01&to=2026-11-30")
    book = load_workbook(io.BytesIO(answer.data))
    rows = list(book.active.iter_rows(min_row=2))
    assert rows[0][0].value == datetime(2026, 11, 18) and rows[0][0].number_format == "DD.MM.YYYY"
    assert rows[0][1].value == 12.5 and "€" in rows[0][1].number_format
    funders = load_workbook(io.BytesIO(client.get("/reports/funders/2026-11.xlsx").data))
    summary = list(funders.worksheets[0].iter_rows(min_row=2))
    assert summary[0][1].value == 12.5 and "€" in summary[0][1].number_format
    csv_text = client.get("/reports/table/sales_time.csv?from=2026-11-01&to=2026-11-30").data
    assert csv_text.decode("utf-8-sig").splitlines()[1] == "18.11.2026;12,50;10,50"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (libreoffice-calc-nogui) missing")
def test_libreoffice_reads_hours_and_dates_as_numbers(app, crew, tmp_path):  # noqa: F811
    _worked(crew)
    path = tmp_path / "Stunden.xlsx"
    path.write_bytes(sheet_exports.month_xlsx(sheets.month_sheets([crew.olena], 2026, 11)))
    # sheet 2 (Olena's days); the formatted text as shown, which LibreOffice only writes for numbers
    # that carry a display format
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true,false,false,2",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = sorted(tmp_path.glob("Stunden*.csv"))
    assert converted, list(tmp_path.iterdir())
    rows = list(csv.reader(io.StringIO(converted[-1].read_text("utf-8")), delimiter=";"))
    day = [r for r in rows if r and r[0] == "02.11.2026"]
    assert day and day[0][4] == "4:15", rows[:8]


def test_hours_by_station_and_measure(app, crew):  # noqa: F811
    from store.reports import services

    _worked(crew)
    shifts.confirm_attendance(crew.sup, crew.olena, MONDAY + timedelta(days=1), "sick_no_certificate")
    db.session.commit()
    report = services.hours_report(services.Period(date(2026, 11, 1), date(2026, 11, 30)), "measure")
    assert report["minutes_attended"] == 255
    assert (report["days_present"], report["days_due"], report["attendance_rate_percent"]) == (
        1,
        2,
        50.0,
    )
    assert report["by_station"] == [{"key": "Kasse", "minutes": 255}]
    assert report["groups"] == [{"key": "agh", "minutes": 255}]
