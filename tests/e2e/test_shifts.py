"""Journeys of the shift plan and attendance: a supervisor plans a week from a template and sees
the over-hours warning; a trainee clocks in and out at the till by badge; the supervisor confirms
the day and the monthly sheet shows it."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from store.core.audit import Actor
from store.core.timeutil import local_today
from store.core.web import DEVICE_COOKIE, device_cookie_value
from store.extensions import db
from store.shifts import services
from store.shifts.models import AttendanceEntry, ClockEvent, ClockKind, Shift
from store.till import services as till_services
from tests.conftest import PASSWORD, tr

# The clock at a Friday (NOW): "next week" has five workdays, no public holiday, and "today" is
# a workday of the agreement, whatever day the suite runs.
pytestmark = [pytest.mark.e2e, pytest.mark.clock]


@pytest.fixture
def floor(make_user):
    system = Actor.system()
    kasse = services.save_station(system, None, name="Kasse", staffed_weekdays=[0, 1, 2, 3, 4])
    services.save_station(system, None, name="Sortierung", staffed_weekdays=[])
    olena = make_user("trainee", badge="1000001", first_name="Olena", last_name="Kovalenko")
    supervisor = make_user("supervisor", username="schulz", first_name="Michael", last_name="Schulz")
    services.save_agreement(
        system,
        None,
        user_id=olena.id,
        measure="agh",
        starts_on=local_today() - timedelta(days=60),
        ends_on=None,
        weekly_minutes=20 * 60,
        workdays=[0, 1, 2, 3, 4],
        hourly_allowance_cents=150,
        max_months=24,
    )
    # Mon–Fri 9:00–14:00 is 25 hours a week: five more than the agreement allows
    services.save_template(
        system,
        None,
        station_id=kasse.id,
        weekdays=[0, 1, 2, 3, 4],
        starts_at=services.parse_time("9:00", "s"),
        ends_at=services.parse_time("14:00", "e"),
        member_ids=[olena.id],
    )
    till = till_services.save_till(system, None, name="Kasse 1", serial="K1")
    db.session.commit()
    return {"olena": olena, "supervisor": supervisor, "kasse": kasse, "till": till}


def sign_in(page: Page, base: str, username: str):
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".greeting")).to_be_visible()


def scan_badge(page: Page, base: str, badge: str):
    page.goto(f"{base}/login/till")
    expect(page.locator("#badge")).to_be_focused()
    page.keyboard.type(badge)
    page.keyboard.press("Enter")
    expect(page.locator(".greeting")).to_be_visible()


def test_supervisor_plans_a_week_from_the_template_and_sees_the_over_hours_warning(
    live_server, page: Page, floor
):
    next_monday = services.week_start(local_today()) + timedelta(days=7)
    sign_in(page, live_server, "schulz")
    page.locator(".tile", has_text=tr("Shift plan")).click()
    page.get_by_role("link", name=re.compile(tr("Next week"))).click()
    expect(page.locator("h1")).to_contain_text(str(next_monday.isocalendar()[1]))
    expect(page.locator(".chip")).to_have_count(0)

    page.get_by_role("button", name=tr("Fill the week from the templates")).click()
    expect(page.locator(".flash-success")).to_contain_text("5")
    expect(page.locator(".plan-grid .chip")).to_have_count(5)
    warning = tr(
        "%(name)s: %(planned)s h planned in the week of %(day)s, only %(agreed)s h agreed.",
        name="Olena K.",
        planned="25:00",
        agreed="20:00",
        day=services.day_label(next_monday),
    )
    expect(page.locator("#warnings")).to_contain_text(warning)
    expect(page.locator(".chip-warn")).to_have_count(5)
    expect(page.locator(".plan-bottom .bad-row")).to_contain_text("25:00")

    # one shift less by keyboard: focus the chip's ✕ and press Enter
    friday = next_monday + timedelta(days=4)
    remove = page.get_by_role(
        "button",
        name=tr("Remove %(name)s from %(day)s", name="Olena K.", day=services.day_label(friday)),
    )
    remove.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".plan-grid .chip")).to_have_count(4)
    expect(page.locator("#warnings")).not_to_contain_text("25:00")
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Shift).where(Shift.status == "planned"))
        == 4
    )


def test_trainee_clocks_in_and_out_at_the_till_and_the_supervisor_confirms(
    live_server, page: Page, floor
):
    olena, till = floor["olena"], floor["till"]
    page.context.add_cookies(
        [{"name": DEVICE_COOKIE, "value": device_cookie_value(till.id), "url": live_server}]
    )  # this browser is Kasse 1

    # one scan, one press: the big "Kommen" button has the focus
    scan_badge(page, live_server, "1000001")
    expect(page.locator("#clock-in")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".flash-clock")).to_have_text(
        re.compile(
            re.escape(tr("Clocked in at %(time)s.", time="TIME")).replace("TIME", r"\d{1,2}:\d{2}")
        )
    )
    # right after Kommen nothing takes the focus: an extra Enter must not clock out (issue 16)
    expect(page.locator("#clock-out")).not_to_be_focused()
    page.get_by_role("button", name=tr("Sign out")).click()

    # later: scan again, Enter on the focused "Gehen"; the till is free for the next person
    scan_badge(page, live_server, "1000001")
    expect(page.locator("#clock-out")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".flash-clock")).to_contain_text("Olena")
    expect(page.locator("#badge")).to_be_focused()
    events = db.session.scalars(sa.select(ClockEvent).order_by(ClockEvent.id)).all()
    assert [e.kind for e in events] == [ClockKind.IN, ClockKind.OUT]
    assert {e.till_id for e in events} == {till.id} and {e.user_id for e in events} == {olena.id}

    # the supervisor confirms the day (4 hours) and the monthly sheet shows it
    sign_in(page, live_server, "schulz")
    page.locator(".tile", has_text=tr("Attendance")).click()
    expect(page.locator("#attendance-day[data-ready]")).to_be_attached()
    card = page.locator(f"#u-{olena.id}")
    card.locator("select.code-select").select_option("present")
    hours = card.locator(f"#u{olena.id}-hours")
    hours.fill("4:00")
    hours.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("4:00")
    expect(page.locator(f"#u-{olena.id} .pill-done")).to_contain_text(tr("present"))
    entry = db.session.scalar(sa.select(AttendanceEntry))
    assert entry.minutes == 240 and entry.confirmed_by_id == floor["supervisor"].id

    page.goto(f"{live_server}/hours/{olena.id}")
    today = local_today()
    row = page.locator(".sheet-days tbody tr").nth(today.day - 1)
    expect(row).to_contain_text(services.day_label(today))
    expect(row).to_contain_text("4:00")
    expect(row).to_contain_text(tr("present"))
    expect(page.locator("#allowance")).to_contain_text("6,00")  # 4 h × 1,50 €
