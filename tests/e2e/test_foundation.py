"""Journeys of the foundation: signing in at the till, and an admin creating a user."""

import re

import pytest
from playwright.sync_api import Page, expect

from store.auth.models import User
from store.extensions import db
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


def test_trainee_signs_in_at_till_with_badge_scan(live_server, page: Page, make_user):
    make_user("trainee", badge="1000123", first_name="Olena", last_name="Kovalenko")
    page.goto(f"{live_server}/login/till")
    field = page.locator("#badge")
    expect(field).to_be_focused()
    # A keyboard-wedge scanner types the digits and presses Enter.
    page.keyboard.type("1000123")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Hallo, Olena!")).to_be_visible()
    expect(page.locator(".whoami")).to_have_text("Olena K.")
    expect(page.locator(".tile", has_text="Mein Konto")).to_be_visible()
    # Signing out brings the till back to the scan screen.
    page.get_by_role("button", name="Abmelden").click()
    expect(page.locator("#badge")).to_be_focused()


def test_unknown_badge_shows_clear_message(live_server, page: Page):
    page.goto(f"{live_server}/login/till")
    expect(page.locator("#badge")).to_be_focused()
    page.keyboard.type("5550000")
    page.keyboard.press("Enter")
    expect(page.locator(".flash-error")).to_contain_text("Diese Karte ist nicht bekannt")


def test_admin_creates_a_user(live_server, page: Page, make_user):
    admin = make_user("admin", first_name="Andrea")
    page.goto(f"{live_server}/login")
    page.get_by_label("Benutzername").fill(admin.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.locator(".tile", has_text="Benutzer").first.click()
    page.get_by_role("link", name=re.compile("Neuer Benutzer")).click()
    page.get_by_label("Benutzername").fill("fdemir")
    page.get_by_label("Vorname").fill("Fatma")
    page.get_by_label("Nachname").fill("Demir")
    page.get_by_label("Rolle").select_option("trainee")
    page.get_by_label("Kartencode").fill("1000456")
    page.get_by_label("PIN (4 bis 8 Ziffern)").fill("4455")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".flash-success")).to_contain_text("fdemir")
    expect(page.get_by_role("cell", name="Fatma Demir")).to_be_visible()
    user = db.session.query(User).filter_by(username="fdemir").one()
    assert user.badge == "1000456" and user.pin_hash

    # The new trainee can sign in at the till with the card at once.
    page.get_by_role("button", name="Abmelden").click()
    expect(page.locator("h1")).to_have_text("Anmelden")
    page.goto(f"{live_server}/login/till")
    expect(page.locator("#badge")).to_be_focused()
    page.keyboard.type("1000456")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Hallo, Fatma!")).to_be_visible()
