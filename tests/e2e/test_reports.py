"""Journey of the reports: a coordinator opens the dashboard on the demo shop and sees the month's
turnover, receipts, items taken in and hours attended as this test sums them from the database by
itself; the funders' PDF of the month carries the same figures (read back with pdftotext)."""

import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so
from playwright.sync_api import Page, expect

from store import demo
from store.core.exports import euro
from store.core.money import format_cents
from store.core.timeutil import local_day_bounds
from store.extensions import db
from store.goods.models import Item
from store.shifts.models import AttendanceEntry
from store.till.models import Sale, SaleLine
from tests.conftest import tr

pytestmark = [pytest.mark.e2e, pytest.mark.clock(moment=datetime(2026, 11, 20, 10, 0, tzinfo=UTC))]

FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "DEMO_HISTORY_DAYS": 14}


def independent_sums() -> dict:
    """The month's figures straight from the bookings, without the reports' code."""
    start, end = local_day_bounds(FIRST)[0], local_day_bounds(LAST)[1]
    booked = sa.and_(Sale.created_at >= start, Sale.created_at < end, Sale.training.is_(False))
    gross = db.session.scalar(
        sa.select(sa.func.sum(SaleLine.total_cents))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(booked)
    )
    kinds = dict(
        db.session.execute(sa.select(Sale.kind, sa.func.count()).where(booked).group_by(Sale.kind)).all()
    )
    taken_in = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Item)
        .where(Item.taken_in_at >= start, Item.taken_in_at < end)
    )
    later = so.aliased(AttendanceEntry)
    minutes = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(AttendanceEntry.minutes), 0)).where(
            AttendanceEntry.day.between(FIRST, LAST),
            AttendanceEntry.code == "present",
            ~sa.exists().where(later.replaces_id == AttendanceEntry.id),
        )
    )
    receipts = sum(n for k, n in kinds.items() if k == "sale") - sum(
        n for k, n in kinds.items() if k == "void"
    )
    return {"gross": int(gross), "receipts": receipts, "taken_in": taken_in, "minutes": int(minutes)}


def test_the_dashboard_and_the_funders_pdf_show_the_demo_shops_figures(
    live_server, page: Page, tmp_path
):
    demo.load()
    db.session.commit()
    sums = independent_sums()
    assert sums["gross"] > 0 and sums["receipts"] > 0 and sums["taken_in"] > 0

    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "koordination")
    page.fill("input[name=password]", demo.PASSWORD)
    page.keyboard.press("Enter")
    page.locator(".tile", has_text=tr("Reports")).first.click()
    page.fill("input[name=from]", FIRST.isoformat())
    page.fill("input[name=to]", LAST.isoformat())
    page.get_by_role("button", name=tr("Show")).click()

    gross = page.locator("#sales-gross")
    expect(gross).to_have_attribute("data-value", str(sums["gross"]))
    expect(gross).to_have_text(format_cents(sums["gross"], "de"))
    expect(page.locator("#sales-receipts")).to_have_text(str(sums["receipts"]))
    expect(page.locator("#goods-taken-in")).to_have_text(str(sums["taken_in"]))
    expect(page.locator("#hours-attended")).to_have_attribute("data-value", str(sums["minutes"]))
    expect(page.locator("#chart-turnover svg rect").first).to_be_attached()
    expect(page.locator("#chart-categories svg rect[fill^='url(']").first).to_be_attached()  # hatched

    page.get_by_role("link", name=tr("Funders' report")).click()
    pdf = page.request.get(f"{live_server}/reports/funders/2026-11.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) missing")
    path = tmp_path / "bericht.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout
    text = text.decode()
    assert "Bericht für Zuwendungsgeber" in text
    figures = {line.split("  ")[0].strip(): line for line in text.splitlines() if "  " in line}
    assert euro(sums["gross"]) + " €" in figures["Umsatz brutto (€)"]
    assert f" {sums['receipts']} " in figures["Bons"] + " "
    assert f" {sums['taken_in']} " in figures["Angenommene Waren"] + " "
    hours = f"{sums['minutes'] // 60}:{sums['minutes'] % 60:02d}"
    assert hours in figures["Anwesende Stunden"]
