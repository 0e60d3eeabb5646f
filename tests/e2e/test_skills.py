"""Journey of the skills: a supervisor assesses a trainee on three skills; the trainee signs in at
the till with the badge and sees the new levels in words and the chart; the PDF report renders."""

import shutil
import subprocess

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from store.core.audit import Actor
from store.core.web import DEVICE_COOKIE, device_cookie_value
from store.extensions import db
from store.skills import services
from store.skills.models import Assessment
from store.till import services as till_services
from tests.conftest import tr
from tests.e2e.test_shifts import scan_badge, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(make_user):
    olena = make_user("trainee", badge="1000001", first_name="Olena", last_name="Kovalenko")
    make_user("supervisor", username="schulz", first_name="Michael", last_name="Schulz")
    till = till_services.save_till(Actor.system(), None, name="Kasse 1", serial="K1")
    db.session.commit()
    return {"olena": olena, "till": till, "skills": {s.name: s for s in services.skills()}}


def test_supervisor_assesses_and_the_trainee_sees_levels_and_chart(live_server, page: Page, people):
    olena, skills = people["olena"], people["skills"]
    chosen = {"Kasse bedienen": 3, "Teamarbeit": 2, "Pünktlichkeit": 4}

    sign_in(page, live_server, "schulz")
    page.locator(".tile", has_text=tr("Skills")).first.click()
    row = page.locator("tr", has_text="Olena")
    row.get_by_role("link", name=tr("Assess")).click()
    expect(page.locator("h1")).to_contain_text("Olena")
    for name, level in chosen.items():
        page.locator(f"#assess-{skills[name].id}").get_by_label(skills[name].descriptor(level)).check()
    page.fill(f"#note-{skills['Kasse bedienen'].id}", "kassiert sicher")
    page.get_by_role("button", name=tr("Save the assessment")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    assessment = db.session.scalar(sa.select(Assessment))
    assert {r.skill.name: r.level for r in assessment.ratings} == chosen
    page.locator("#logout-form button").click()

    # the trainee signs in at the till with the badge and opens "My skills"
    page.context.add_cookies(
        [{"name": DEVICE_COOKIE, "value": device_cookie_value(people["till"].id), "url": live_server}]
    )
    scan_badge(page, live_server, "1000001")
    page.goto(f"{live_server}/")
    page.locator(".tile", has_text=tr("My skills")).click()
    expect(page.locator("h1")).to_have_text(tr("My skills"))
    for name, level in chosen.items():
        item = page.locator(f"#skill-{skills[name].id}")
        expect(item.locator(".level-badge")).to_have_text(str(level))
        expect(item.locator(".level-words")).to_have_text(skills[name].descriptor(level))
        expect(item.locator("svg.skill-chart circle")).to_have_count(1)
    expect(page.locator(f"#skill-{skills['Möbeltransport'].id}")).to_contain_text(tr("not assessed yet"))
    expect(page.locator("svg.skill-chart path.level-line")).to_have_count(3)

    # the PDF report renders for the trainee
    response = page.request.get(f"{live_server}/skills/participants/{olena.id}/report.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.body(), capture_output=True, check=True
        ).stdout.decode()
        assert tr("Skills report") in text and "Olena Kovalenko" in text
        assert skills["Kasse bedienen"].descriptor(3) in text
