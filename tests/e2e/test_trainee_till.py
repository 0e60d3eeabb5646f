"""A till a first-day trainee cannot get wrong: the faults a new user found, the key-press targets
of the till and the intake, screen sizes from a phone to the till's 1024×768, and accessibility.

The journeys run for a trainee whose language is German, Arabic (right to left) or Ukrainian: the
trainee's own setting, so every page they see is in it. The tests find buttons by id or by their name
as the catalogue says it in that language, and amounts as Babel formats them there."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.numbers import format_decimal
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect

from store.core.audit import Actor
from store.core.money import format_cents
from store.extensions import db
from store.goods import services as goods
from store.goods.models import Item
from store.printing.services import save_printer
from store.shifts.models import ClockEvent
from store.till import services as till_services
from store.till.models import Sale

pytestmark = pytest.mark.e2e

# Screenshots for a person to look at (and for the docs); build/ is not kept in git.
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
SHOTS.mkdir(parents=True, exist_ok=True)

# German, a right-to-left language and one in another script.
LANGUAGES = ["de", "ar", "uk"]
RIGHT_TO_LEFT = {"ar", "fa"}
in_each_language = pytest.mark.parametrize("lang", LANGUAGES)


@pytest.fixture
def lang() -> str:
    """The trainee's language: German, unless the test runs `in_each_language`."""
    return "de"


def said(lang: str, msgid: str, **values) -> str:
    """A message as the catalogue says it in that language."""
    with force_locale(lang):
        return gettext(msgid, **values)


def spaced(text: str) -> str:
    """Any run of spaces (no-break ones too) as one space, as Playwright compares texts."""
    return re.sub(r"\s+", " ", text).strip()


def money(lang: str, cents: int) -> re.Pattern:
    """An amount as the page shows it in that language (Babel's format, any kind of space)."""
    parts = spaced(format_cents(cents, lang)).split(" ")
    return re.compile(r"\s*".join(re.escape(part) for part in parts))


def amount(lang: str, cents: int) -> str:
    """An amount as typed into (or filled into) an amount field: '37,50', in Arabic '37.50'."""
    return format_decimal(Decimal(cents) / 100, format="0.00", locale=lang)


@pytest.fixture
def store(make_user, make_category, take_in, lang):
    printer = save_printer(Actor.system(), None, name="Bondrucker 1", backend="virtual", params={})
    db.session.flush()
    till = till_services.save_till(
        Actor.system(), None, name="Kasse 1", serial="K1", receipt_printer_id=printer.id
    )
    clothes = make_category("Kleidung", vat_rate_bp=1900)
    books = make_category("Bücher", vat_rate_bp=700)
    items = take_in(clothes, "Winterjacke", 1250, quantity=3)
    for n, name in enumerate(
        ["Taschenbuch", "Gebundenes Buch", "Tasse", "Teller", "Glas", "Besteck", "Vase", "Bild", "Kerze"]
    ):
        goods.save_article(
            Actor.system(), None, name=name, category_id=books.id, price_cents=100 + n * 50
        )
    db.session.commit()
    trainee = make_user(
        "trainee", badge="1000001", first_name="Olena", last_name="Kovalenko", locale=lang
    )
    supervisor = make_user("supervisor", badge="9000001", first_name="Michael", pin="9001")
    till_services.open_session(
        Actor(user=trainee, source="web", till_id=till.id), till, float_cents=10000
    )
    db.session.commit()
    return {"till": till, "codes": [i.code for i in items], "trainee": trainee, "supervisor": supervisor}


def badge_login(page: Page, base: str, badge: str):
    page.goto(f"{base}/login/till")
    expect(page.locator("#badge")).to_be_focused()
    page.keyboard.type(badge)
    page.keyboard.press("Enter")
    expect(page.locator(".greeting")).to_be_visible()


def reads_the_right_way(page: Page, lang: str):
    """The page is in the trainee's language and reads in its direction; on the till, the scan field
    and the cart (the column one starts with) stand where reading starts: on the right in Arabic."""
    rtl = lang in RIGHT_TO_LEFT
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate("document.documentElement.dir") == ("rtl" if rtl else "ltr")
    assert page.evaluate("getComputedStyle(document.body).direction") == ("rtl" if rtl else "ltr")
    if page.locator("#till").count() and page.viewport_size["width"] >= 1024:
        cart = page.locator(".till-left").bounding_box()
        articles = page.locator(".till-right").bounding_box()
        assert (cart["x"] > articles["x"]) == rtl, (cart, articles)


def open_till(page: Page, base: str, store, lang: str = "de"):
    page.goto(f"{base}/till/{store['till'].id}")
    expect(page.locator("#till[data-ready]")).to_be_attached()
    expect(page.locator("#scan")).to_be_focused()
    reads_the_right_way(page, lang)


def no_native_dialogs(page: Page):
    """Fail when the page opens the browser's own alert/confirm box."""
    seen = []

    def refuse(dialog):
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    return seen


# ------------------------------------------------------------------ the faults


@in_each_language
def test_enter_after_clock_in_never_clocks_out(live_server, page: Page, store, lang):
    badge_login(page, live_server, "1000001")
    reads_the_right_way(page, lang)
    page.screenshot(path=str(SHOTS / f"start-{lang}.png"))
    expect(page.locator("#clock-in")).to_be_focused()
    page.keyboard.press("Enter")  # Kommen
    here = said(lang, "You are here since %(time)s.", time="|").split("|")[0].strip()
    expect(page.locator("#clock-state")).to_contain_text(here)
    for _ in range(5):
        page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    expect(page.locator(".greeting")).to_be_visible()
    expect(page.locator("#clock-state")).to_contain_text(here)
    kinds = [e.kind.value for e in db.session.scalars(sa.select(ClockEvent)).all()]
    assert kinds == ["in"]


@in_each_language
def test_cancel_receipt_asks_in_the_page(live_server, page: Page, store, lang):
    native = no_native_dialogs(page)
    badge_login(page, live_server, "1000001")
    open_till(page, live_server, store, lang)
    page.keyboard.type(store["codes"][0])
    page.keyboard.press("Enter")
    expect(page.locator(".cart-lines tr")).to_have_count(1)
    page.locator("#cancel-receipt").click()
    dialog = page.locator("#cancel-dialog")
    expect(dialog).to_be_visible()
    # the answers say what happens, in the trainee's words; the safe one has the focus
    expect(dialog.get_by_role("button", name=said(lang, "No, keep selling"))).to_be_focused()
    dialog.get_by_role("button", name=said(lang, "No, keep selling")).click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".cart-lines tr")).to_have_count(1)
    page.locator("#cancel-receipt").click()
    dialog.get_by_role("button", name=said(lang, "Yes, delete receipt")).click()
    expect(page.locator(".cart-empty")).to_be_visible()
    assert native == []


@in_each_language
def test_unknown_text_says_nothing_was_found(live_server, page: Page, store, lang):
    badge_login(page, live_server, "1000001")
    open_till(page, live_server, store, lang)
    page.keyboard.type("xyzqq")
    page.keyboard.press("Enter")
    nothing = "Nothing found for “%(text)s”. Scan the label or type another name."
    expect(page.locator("#message")).to_have_text(said(lang, nothing, text="xyzqq"))
    expect(page.locator("#message")).not_to_contain_text(": ?")


# ------------------------------------------------------------------ the key-press targets


def scan_three(page: Page, store, lang: str):
    for code in store["codes"]:
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    expect(page.locator(".cart-lines tr")).to_have_count(3)
    expect(page.locator("#cart-total")).to_have_text(money(lang, 3750))


def ready_for_next(page: Page):
    expect(page.locator("#done")).to_be_hidden()
    expect(page.locator(".cart-empty")).to_be_visible()
    expect(page.locator("#scan")).to_be_focused()


@in_each_language
def test_exact_cash_sale_takes_three_keys_after_the_scans(live_server, page: Page, store, lang):
    badge_login(page, live_server, "1000001")
    open_till(page, live_server, store, lang)
    scan_three(page, store, lang)
    page.screenshot(path=str(SHOTS / f"till-{lang}.png"))
    page.keyboard.press("F4")  # 1: cash, the amount due filled in
    expect(page.locator("#pay-cash-amount")).to_have_value(amount(lang, 3750))
    expect(page.locator("#pay-total")).to_have_text(money(lang, 3750))
    page.keyboard.press("Enter")  # 2: book
    expect(page.locator("#done .done-ok")).to_be_visible()
    page.keyboard.press("Enter")  # 3: next customer
    ready_for_next(page)
    sale = db.session.scalar(sa.select(Sale))
    assert sale.total_cents == 3750 and sale.change_cents == 0


@in_each_language
def test_cash_sale_with_a_fifty_takes_four_keys_and_shows_the_change(
    live_server, page: Page, store, lang
):
    badge_login(page, live_server, "1000001")
    open_till(page, live_server, store, lang)
    scan_three(page, store, lang)
    page.keyboard.press("F4")  # 1
    page.keyboard.press("F8")  # 2: a 50 € note
    expect(page.locator("#pay-cash-amount")).to_have_value(amount(lang, 5000))
    expect(page.locator("#pay-rest")).to_contain_text(said(lang, "Change:"))
    expect(page.locator("#pay-rest")).to_contain_text(amount(lang, 1250))
    page.screenshot(path=str(SHOTS / f"pay-50-{lang}.png"))
    page.keyboard.press("Enter")  # 3
    expect(page.locator("#change")).to_have_text(money(lang, 1250))
    # the change as the pieces to hand over, largest first: 10 €, 2 €, 50 ct
    pieces = page.locator("#change-pieces .piece")
    expect(pieces).to_have_count(3)
    labels = [spaced(pieces.nth(i).get_attribute("aria-label")) for i in range(3)]
    page.screenshot(path=str(SHOTS / f"change-50-{lang}.png"))
    assert labels == [spaced(f"1 × {format_cents(c, lang)}") for c in (1000, 200, 50)]
    page.keyboard.press("Enter")  # 4
    ready_for_next(page)
    assert db.session.scalar(sa.select(Sale)).change_cents == 1250


@in_each_language
def test_intake_of_three_items_takes_two_keys_each_and_one_label_sheet(
    live_server, page: Page, store, lang
):
    badge_login(page, live_server, "1000001")
    page.goto(f"{live_server}/intake")
    expect(page.locator("#intake-form[data-ready]")).to_be_attached()
    reads_the_right_way(page, lang)
    page.keyboard.type("Kleidung")
    page.keyboard.press("Enter")  # once: the category (it stays chosen for the next items)
    keys = 0
    for text, price in (("Jacke", "8"), ("Hose", "5,50"), ("Mütze", "2")):
        expect(page.locator("#description")).to_be_focused()
        page.keyboard.type(text)
        page.keyboard.press("Enter")  # on to the price
        page.keyboard.type(price)
        page.keyboard.press("Enter")  # book
        keys += 2
        expect(page.locator(".flash-success")).to_be_visible()
    assert keys / 3 <= 2
    rows = page.locator("#intake-list tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first.locator("td").nth(3)).to_have_text(money(lang, 200))
    page.screenshot(path=str(SHOTS / f"intake-{lang}.png"), full_page=True)
    page.locator("#labels-sheet").click()
    expect(page.locator("#open-pdf")).to_be_visible()
    href = page.locator("#open-pdf").get_attribute("href")
    codes = db.session.scalars(
        sa.select(Item.code).where(Item.description.in_(["Jacke", "Hose", "Mütze"]))
    ).all()
    assert len(codes) == 3 and all(code in href for code in codes)
    pdf = page.request.get(live_server + href)
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    page.screenshot(path=str(SHOTS / f"intake-labels-{lang}.png"))
    page.locator("#back-to-intake").click()
    expect(page.locator("#intake-form[data-ready]")).to_be_attached()


# ------------------------------------------------------------------ screen sizes

SIZES = [(1024, 768), (1366, 768), (390, 844)]
CHECKS = (Path(__file__).parent / "layout_checks.js").read_text()
WIDE = "() => document.documentElement.scrollWidth - window.innerWidth"
UNREACHABLE = f"() => {{ {CHECKS}; return unreachable(); }}"
SMALL = f"() => {{ {CHECKS}; return tooSmall(); }}"
# text that does not fit: spilling out of its box, words broken across lines, a minus after its number
MISFIT = f"() => {{ {CHECKS}; return [...spilling(), ...brokenWords(), ...signsAfterNumbers()]; }}"


def trainee_pages(base: str, store) -> dict[str, str]:
    return {
        "start": f"{base}/",
        "till": f"{base}/till/{store['till'].id}",
        "intake": f"{base}/intake",
        "receipts": f"{base}/sales",
        "practice": f"{base}/practice",
    }


def settled(page: Page):
    """The page loaded with its fonts (an Arabic page measured before its font came is another page)."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")


def fits(page: Page, where: str):
    assert page.evaluate(WIDE) <= 0, f"{where} is wider than the screen"
    assert page.evaluate(UNREACHABLE) == [], where
    assert page.evaluate(SMALL) == [], where
    assert page.evaluate(MISFIT) == [], where


@in_each_language
def test_pages_fit_the_screen_and_every_button_is_reachable(live_server, page: Page, store, lang):
    """Every page at every size in one journey: a page is loaded once and resized to each size."""
    page.goto(f"{live_server}/login/till")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate(WIDE) <= 0, f"till sign-in is wider than {width} px"
    badge_login(page, live_server, "1000001")
    for name, url in trainee_pages(live_server, store).items():
        page.goto(url)
        settled(page)
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            where = f"{name} at {width}×{height} in {lang}"
            shot = SHOTS / f"{name}-{lang}-{width}x{height}.png"
            page.screenshot(path=str(shot), full_page=width < 1024)  # a phone's page: all of it
            fits(page, where)
            if name == "till" and width >= 1024:
                till_fits_a_tills_screen(page, lang, width, height)


def till_fits_a_tills_screen(page: Page, lang: str, width: int, height: int):
    """At a till's screen every button and link is on the screen without scrolling the page, and the
    price list says that it scrolls."""
    reads_the_right_way(page, lang)
    assert page.evaluate("() => document.documentElement.scrollHeight - window.innerHeight") <= 0
    grid = page.locator("#articles")
    scrolls = grid.evaluate("g => g.scrollHeight > g.clientHeight + 1")
    if scrolls:
        expect(page.locator("#articles-more")).to_be_visible()  # it says that it scrolls
    for link in page.locator(".till-links a, .till-links button").all():
        box = link.bounding_box()
        assert box and box["y"] + box["height"] <= height, (width, link.inner_text())
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (width, link.inner_text())


@in_each_language
def test_a_large_discount_is_confirmed_by_a_supervisor_pin_at_the_same_till(
    live_server, page: Page, store, lang
):
    badge_login(page, live_server, "1000001")
    open_till(page, live_server, store, lang)
    page.keyboard.type(store["codes"][0])
    page.keyboard.press("Enter")
    page.locator(".line-discount").first.click()
    page.locator("#discount-percent").fill("50")
    page.locator("#discount-reason").fill("Fleck")
    expect(page.locator("#discount-confirm")).to_be_visible()
    page.locator("#discount-supervisor").select_option(str(store["supervisor"].id))
    page.locator("#discount-pin").fill("9001")
    page.locator("#discount-pin").press("Enter")
    expect(page.locator("#discount-dialog")).to_be_hidden()
    expect(page.locator("#cart-total")).to_have_text(money(lang, 625))
    expect(page.locator(".greeting, #till")).to_have_count(1)  # nobody signed out


# German only: the tones and the till's sound switch do not depend on the trainee's language.
def test_a_good_scan_and_a_refused_scan_sound_different_and_the_till_can_be_quiet(
    live_server, page: Page, store
):
    badge_login(page, live_server, "1000001")
    open_till(page, live_server, store)
    till = page.locator("#till")
    page.keyboard.type(store["codes"][0])
    page.keyboard.press("Enter")
    expect(till).to_have_attribute("data-tone", "good")
    page.keyboard.type(store["codes"][0])  # the same label again: refused
    page.keyboard.press("Enter")
    expect(till).to_have_attribute("data-tone", "bad")
    page.locator("#sound-toggle").click()
    expect(page.locator("#sound-toggle")).to_have_attribute("aria-pressed", "false")
    db.session.expire_all()
    assert db.session.get(type(store["till"]), store["till"].id).sound is False
    page.reload()
    expect(page.locator("#till")).to_have_attribute("data-sound", "")


# ------------------------------------------------------------------ accessibility

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()


def axe_findings(page: Page) -> list[str]:
    """axe-core's critical and serious violations on the page as it is now."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE)  # evaluated by the test, not injected: the page's CSP forbids inline scripts
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("critical", "serious")
    ]


@in_each_language
def test_trainee_pages_have_no_serious_accessibility_finding(live_server, page: Page, store, lang):
    page.goto(f"{live_server}/login/till")
    found = {"till sign-in": axe_findings(page)}
    badge_login(page, live_server, "1000001")
    reads_the_right_way(page, lang)
    pages = {
        **trainee_pages(live_server, store),
        "return": f"{live_server}/till/{store['till'].id}/return?receipt=1",
        "intake labels": f"{live_server}/intake/labels",
        "my shifts": f"{live_server}/my/shifts",
    }
    for name, url in pages.items():
        page.goto(url)
        settled(page)
        found[name] = axe_findings(page)
    # the till's dialogs, open
    open_till(page, live_server, store, lang)
    page.keyboard.type(store["codes"][0])
    page.keyboard.press("Enter")
    expect(page.locator(".cart-lines tr")).to_have_count(1)
    page.keyboard.press("F4")
    expect(page.locator("#pay-dialog")).to_be_visible()
    found["payment"] = axe_findings(page)
    assert page.evaluate(SMALL) == [], "payment"
    page.keyboard.press("Enter")
    expect(page.locator("#done .done-panel")).to_be_visible()
    found["change"] = axe_findings(page)
    assert page.evaluate(SMALL) == [], "change"
    assert {name: f for name, f in found.items() if f} == {}


@in_each_language
def test_every_trainee_screen_has_a_help_with_at_most_three_steps(live_server, page: Page, store, lang):
    page.goto(f"{live_server}/login/till")
    pages = {"till sign-in": None, **trainee_pages(live_server, store)}
    pages["return"] = f"{live_server}/till/{store['till'].id}/return"
    pages["my shifts"] = f"{live_server}/my/shifts"
    for name, url in pages.items():
        if url is None:
            pass
        elif name == "start":
            badge_login(page, live_server, "1000001")
        else:
            page.goto(url)
        expect(page.locator("#help-open"), name).to_be_visible()
        speaks = "de" if url is None else lang  # before the sign-in, the store's language
        expect(page.locator("#help-open")).to_have_accessible_name(said(speaks, "Help"))
        page.locator("#help-open").click()
        steps = page.locator("#help-dialog .help-steps li")
        expect(page.locator("#help-dialog")).to_be_visible()
        assert 1 <= steps.count() <= 3, name
        assert page.locator("#help-dialog .help-steps li svg").count() == steps.count(), name
        expect(page.locator("#help-title")).to_have_text(said(speaks, "How it works"))
        page.locator("#help-close").click()
        expect(page.locator("#help-dialog")).to_be_hidden()
    open_till(page, live_server, store, lang)
    page.locator("#help-open").click()
    page.keyboard.press("Escape")
    expect(page.locator("#scan")).to_be_focused()  # on the till, the scan field has the focus again


# German only: the customer display is a page of its own in German or the customer's pick of English
# (templates/till/display.html), whatever the cashier's language.
def test_the_customer_display_follows_the_till_live(live_server, page: Page, store):
    badge_login(page, live_server, "1000001")
    open_till(page, live_server, store)
    display = page.context.new_page()
    display.goto(f"{live_server}/till/{store['till'].id}/display")
    expect(display.locator("#display")).to_have_attribute("data-state", "idle")
    page.bring_to_front()
    page.keyboard.type(store["codes"][0])
    page.keyboard.press("Enter")
    expect(display.locator("#d-lines tr")).to_have_count(1)
    expect(display.locator("#d-lines")).to_contain_text("Winterjacke")
    expect(display.locator("#d-total")).to_have_text(re.compile(r"12,50\s€"))
    page.keyboard.press("F4")
    page.keyboard.press("F6")  # a 10 € note is not enough: still open
    page.keyboard.press("F7")  # 20 €
    page.keyboard.press("Enter")
    expect(display.locator("#display")).to_have_attribute("data-state", "paid")
    expect(display.locator("#d-paid")).to_have_text(re.compile(r"20,00\s€"))
    expect(display.locator("#d-change")).to_have_text(re.compile(r"7,50\s€"))
    display.get_by_role("button", name="English").click()
    expect(display.locator("#d-change-label")).to_have_text("Change")
    expect(display.locator("#d-change")).to_have_text("€7.50")
    assert axe_findings(display) == []
    display.close()
