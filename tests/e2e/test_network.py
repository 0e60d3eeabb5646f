"""Journey of the participant record: a coordinator fills in a trainee's record, completes the
entry and records the Jobcenter's consent; after a supervisor's assessment the trainee sees the
start-screen notice, opens "New for you" and presses "Seen" by keyboard, which lets the
assessment go to partners. Screenshots of the main pages go to /tmp/shots/."""

import tempfile
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from store.core.audit import Actor
from store.core.timeutil import local_today
from store.core.web import DEVICE_COOKIE, device_cookie_value
from store.extensions import db
from store.network import services
from store.network.models import Consent, Mark, OutboxEvent
from store.shifts import services as shifts
from store.skills import services as skills
from store.till import services as till_services
from tests.e2e.test_shifts import scan_badge, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.clock]  # "today" inside the agreement of 2026

SHOTS = Path(tempfile.gettempdir()) / "shots"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"network-{name}.png"), full_page=True)


@pytest.fixture
def people(make_user):
    coordinator = make_user("coordinator", username="vogel", first_name="Katrin", last_name="Vogel")
    supervisor = make_user("supervisor", username="schulz", first_name="Michael", last_name="Schulz")
    olena = make_user("trainee", badge="1000001", first_name="Olena", last_name="Kovalenko")
    make_user("trainee", badge="1000002", first_name="Ahmad", last_name="Haidari")
    actor = Actor(user=coordinator, source="web")
    jobcenter = services.save_partner(actor, None, name="Jobcenter Teststadt", kind="jobcenter")
    shifts.save_agreement(
        actor,
        None,
        user_id=olena.id,
        measure="agh",
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 12, 31),
        weekly_minutes=20 * 60,
        workdays=[0, 1, 2, 3, 4],
        hourly_allowance_cents=150,
        max_months=24,
    )
    till = till_services.save_till(Actor.system(), None, name="Kasse 1", serial="K1")
    db.session.commit()
    return {"olena": olena, "supervisor": supervisor, "jobcenter": jobcenter, "till": till}


def test_coordinator_keeps_the_record_and_the_trainee_sees_the_assessment(
    live_server, page: Page, people
):
    olena, jobcenter = people["olena"], people["jobcenter"]

    sign_in(page, live_server, "vogel")
    page.locator('.tile[href="/participants/"]').click()
    row = page.locator(f"#participant-{olena.id}")
    expect(row).to_be_visible()
    shot(page, "list")
    row.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("Olena Kovalenko")

    # the record: birth date and the ESF+ fields at entry
    page.locator("#edit-record").click()
    expect(page.locator("#phone")).to_be_focused()
    page.fill("#phone", "0170 1234567")
    page.fill("#birth_date", "1990-04-02")
    page.select_option("#referring_partner_id", str(jobcenter.id))
    page.fill("#customer_number", "123D456789")
    page.fill("#languages", "Deutsch, Ukrainisch")
    page.select_option("#gender", "female")
    page.select_option("#employment_status", "long_term_unemployed")
    page.select_option("#education", "isced_3_4")
    shot(page, "record-form")
    page.locator("#save-record").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#entry-status.pill-pending")).to_be_visible()

    page.locator("#complete-entry").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#entry-status.pill-done")).to_be_visible()
    expect(page.locator("#missing")).to_have_count(0)

    # the Jobcenter may receive the hours
    page.locator("#new-consent").click()
    page.select_option("#partner_id", str(jobcenter.id))
    page.locator("input[name=scopes][value=hours]").check()
    shot(page, "consent-form")
    page.locator("#save-consent").click()
    expect(page.locator(".flash-success")).to_be_visible()
    consent = db.session.scalar(sa.select(Consent))
    expect(page.locator(f"#consent-{consent.id}")).to_contain_text("Jobcenter Teststadt")
    assert consent.scopes == ["hours"] and consent.given_on == local_today()
    record = services.record_of(olena)
    assert record.entry_completed_at is not None and record.birth_date == date(1990, 4, 2)
    page.locator("#downloads").scroll_into_view_if_needed()
    shot(page, "record")
    page.locator("#logout-form button").click()

    # a supervisor assesses Olena
    skill = skills.skills()[0]
    assessment = skills.record_assessment(
        Actor(user=people["supervisor"], source="web"),
        olena,
        local_today(),
        [skills.RatingInput(skill.id, 3)],
    )
    db.session.commit()

    # Olena signs in at the till with her badge and sees the notice
    page.context.add_cookies(
        [{"name": DEVICE_COOKIE, "value": device_cookie_value(people["till"].id), "url": live_server}]
    )
    scan_badge(page, live_server, "1000001")
    notice = page.locator('.flash a[href="/participants/me/to-see"]')
    expect(notice).to_be_visible()
    shot(page, "home-trainee")
    notice.click()
    item = page.locator(f"#assessment-{assessment.id}")
    expect(item).to_contain_text(skill.descriptor(3))
    expect(item).to_contain_text("●●●○")
    expect(page.locator("#seen")).to_be_focused()
    shot(page, "to-see")
    page.keyboard.press("Enter")
    expect(page.locator("#all-seen")).to_be_visible()
    expect(page.locator(f"#assessment-{assessment.id}")).to_have_count(0)
    shot(page, "to-see-done")

    db.session.expire_all()
    mark = db.session.scalar(sa.select(Mark))
    assert (mark.object_id, mark.how, mark.by_id) == (assessment.id, "app", olena.id)
    event = db.session.scalar(sa.select(OutboxEvent).where(OutboxEvent.type == "assessment.recorded"))
    assert event.released_at is not None
    page.goto(f"{live_server}/")
    expect(page.locator('.flash a[href="/participants/me/to-see"]')).to_have_count(0)
