"""Journeys in the trainees' languages: a trainee picks Arabic on the till's sign-in screen and works
right to left; a Ukrainian trainee clocks in, sells and takes in goods; the language stays theirs at
the next sign-in. `test_language_screens` photographs the start screen, the till, paying and the intake
in every language (to /tmp/shots/languages, or to docs/img/languages with KAUFHAUS_DOCS_SHOTS=1)."""

import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from store.auth.models import User
from store.core.audit import Actor
from store.core.i18n import LANGUAGE_NAMES
from store.core.settings import set_setting
from store.core.web import DEVICE_COOKIE, device_cookie_value
from store.extensions import db
from store.goods import services as goods
from store.printing.services import save_printer
from store.till import services as till_services

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = (
    ROOT / "docs/img/languages"
    if os.environ.get("KAUFHAUS_DOCS_SHOTS") == "1"
    else Path(tempfile.gettempdir()) / "shots" / "languages"
)
ARABIC = re.compile("[\u0600-\u06ff]")
CHECKS = (Path(__file__).parent / "layout_checks.js").read_text()
# text that does not fit its box, words broken across lines, a minus shown after its number
MISFIT = f"() => {{ {CHECKS}; return [...spilling(), ...brokenWords(), ...signsAfterNumbers()]; }}"


@pytest.fixture
def shop(make_user, make_category, take_in):
    receipts = save_printer(Actor.system(), None, name="Bondrucker 1", backend="virtual", params={})
    labels = save_printer(Actor.system(), None, name="Etikettendrucker", backend="virtual", params={})
    db.session.flush()
    set_setting(Actor.system(), "label_printer_id", labels.id)
    till = till_services.save_till(
        Actor.system(), None, name="Kasse 1", serial="K1", receipt_printer_id=receipts.id
    )
    clothes = make_category("Kleidung", vat_rate_bp=1900, price_min_cents=50, price_max_cents=5000)
    books = make_category("Bücher", vat_rate_bp=700)
    items = take_in(clothes, "Winterjacke", 1250, quantity=3)
    goods.save_article(Actor.system(), None, name="Taschenbuch", category_id=books.id, price_cents=100)
    db.session.commit()
    supervisor = make_user("supervisor", badge="9000001", first_name="Michael")
    till_services.open_session(
        Actor(user=supervisor, source="web", till_id=till.id), till, float_cents=10000
    )
    db.session.commit()
    make_user("trainee", badge="1000001", first_name="Ahmad", last_name="Haidari")
    make_user("trainee", badge="1000002", first_name="Olena", last_name="Kovalenko")
    return {"till": till, "codes": [item.code for item in items]}


def at_the_till(page: Page, base: str, till) -> None:
    """This browser is the till's own device (the cookie a till gets when it is chosen)."""
    page.context.add_cookies(
        [{"name": DEVICE_COOKIE, "value": device_cookie_value(till.id), "url": base}]
    )


def scan_badge(page: Page, badge: str) -> None:
    expect(page.locator("#badge")).to_be_focused()
    page.keyboard.type(badge)
    page.keyboard.press("Enter")
    expect(page.locator(".greeting")).to_be_visible()


def sign_out(page: Page) -> None:
    page.locator("#logout-form button").click()
    expect(page.locator("#badge")).to_be_visible()


def locale_of(badge: str) -> str | None:
    db.session.expire_all()
    return db.session.scalar(db.select(User.locale).where(User.badge == badge))


def test_trainee_picks_arabic_at_the_till_sign_in_and_works_right_to_left(live_server, page: Page, shop):
    at_the_till(page, live_server, shop["till"])
    page.goto(f"{live_server}/login/till")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.locator(".lang-grid").get_by_role("button", name="العربية").click()

    # the sign-in screen itself turns Arabic and right to left
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("h1")).to_have_text("من فضلك امسح بطاقتك")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"

    scan_badge(page, "1000001")
    expect(page.locator(".greeting")).to_contain_text("مرحبًا")
    assert locale_of("1000001") == "ar"
    # mirrored: the brand sits at the right edge, the sign-out button at the left
    brand = page.locator(".topbar .brand").bounding_box()
    logout = page.locator("#logout-form button").bounding_box()
    assert brand["x"] > logout["x"]

    # the till in Arabic: scan, the total in euros with Latin digits, pay cash
    page.locator(".tile[data-tile='till.index']").click()
    expect(page.locator("#till[data-ready]")).to_be_attached()
    expect(page.locator("#scan")).to_have_attribute("placeholder", "امسح الملصق أو اكتب اسم السلعة")
    page.keyboard.type(shop["codes"][0])
    page.keyboard.press("Enter")
    expect(page.locator(".cart-lines tr")).to_have_count(1)
    expect(page.locator("#cart-total")).to_contain_text("12.50")
    page.locator("#scan").press("Enter")
    expect(page.locator("#pay-dialog")).to_be_visible()
    page.keyboard.type("٢٠٫٠٠")  # 20,00 in Arabic-Indic digits, as an Arabic keyboard types it
    page.keyboard.press("Enter")
    expect(page.locator("#change")).to_contain_text("7.50")
    expect(page.locator("#done")).to_contain_text("الباقي")

    # signed out and in again without picking: still Arabic
    page.goto(f"{live_server}/")
    sign_out(page)
    scan_badge(page, "1000001")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert ARABIC.search(page.locator(".greeting").inner_text())


def test_ukrainian_trainee_clocks_in_sells_and_takes_in_goods(live_server, page: Page, shop):
    at_the_till(page, live_server, shop["till"])
    page.goto(f"{live_server}/login/till")
    page.locator(".lang-grid").get_by_role("button", name="Українська").click()
    expect(page.locator("h1")).to_have_text("Будь ласка, відскануйте свою картку")
    scan_badge(page, "1000002")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.locator(".greeting")).to_have_text("Привіт, Olena!")

    # the till: two jackets, one typed as 12.50 € with a decimal point
    page.locator(".tile[data-tile='till.index']").click()
    expect(page.locator("#till[data-ready]")).to_be_attached()
    for code in shop["codes"][:2]:
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    expect(page.locator(".cart-lines tr")).to_have_count(2)
    expect(page.locator("#cart-total")).to_have_text(re.compile(r"25,00\s€"))
    page.locator("#scan").press("Enter")
    page.keyboard.type("30.00")
    page.keyboard.press("Enter")
    expect(page.locator("#change")).to_have_text(re.compile(r"5,00\s€"))
    expect(page.locator("#done")).to_contain_text("Решта")

    # the intake page speaks Ukrainian too
    page.goto(f"{live_server}/")
    page.locator(".tile[data-tile='goods.intake']").click()
    expect(page.locator("h1")).to_contain_text("Прийом товару")
    expect(page.get_by_role("button", name="Провести і надрукувати етикетки")).to_be_visible()

    # the language is the trainee's: kept across sign-ins, not passed on to the next person
    sign_out(page)
    assert locale_of("1000002") == "uk"
    scan_badge(page, "1000001")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    sign_out(page)
    scan_badge(page, "1000002")
    expect(page.locator(".greeting")).to_have_text("Привіт, Olena!")


@pytest.mark.parametrize("locale", list(LANGUAGE_NAMES))
def test_language_screens(live_server, page: Page, shop, locale):
    """The till sign-in, the start screen, the till with a line in it, paying it and the intake in one
    language."""
    at_the_till(page, live_server, shop["till"])
    page.goto(f"{live_server}/login/till")
    page.locator(".lang-grid").get_by_role("button", name=LANGUAGE_NAMES[locale], exact=True).click()
    rtl = locale in ("ar", "fa")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if rtl else "ltr")
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = locale.replace("@", "-")
    page.screenshot(path=str(SHOTS / f"sign-in-{name}.png"))
    misfits = {"sign-in": page.evaluate(MISFIT)}
    scan_badge(page, "1000001")
    page.screenshot(path=str(SHOTS / f"start-{name}.png"))
    misfits["start"] = page.evaluate(MISFIT)

    page.goto(f"{live_server}/till/{shop['till'].id}")
    expect(page.locator("#till[data-ready]")).to_be_attached()
    page.keyboard.type(shop["codes"][0])
    page.keyboard.press("Enter")
    expect(page.locator(".cart-lines tr")).to_have_count(1)
    page.screenshot(path=str(SHOTS / f"till-{name}.png"))
    misfits["till"] = page.evaluate(MISFIT)
    # paying cash: the amount due filled in, a 20 € note tapped (F7), the change to give back
    page.keyboard.press("F4")
    expect(page.locator("#pay-dialog")).to_be_visible()
    page.keyboard.press("F7")
    expect(page.locator("#pay-rest")).to_have_class(re.compile("is-change"))
    page.screenshot(path=str(SHOTS / f"payment-{name}.png"))
    misfits["payment"] = page.evaluate(MISFIT)
    page.keyboard.press("Escape")

    page.goto(f"{live_server}/intake")
    expect(page.locator("#intake-form[data-ready]")).to_be_attached()
    page.screenshot(path=str(SHOTS / f"intake-{name}.png"))
    misfits["intake"] = page.evaluate(MISFIT)
    # nothing on these pages is wider than the screen, in either direction, and every text fits
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert {screen: found for screen, found in misfits.items() if found} == {}
