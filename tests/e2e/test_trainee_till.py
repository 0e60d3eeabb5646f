"""A till a first-day trainee cannot get wrong: the faults a new user found, the key-press targets
of the till and the intake, screen sizes from a phone to the till's 1024×768, and accessibility."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from store.core.audit import Actor
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


@pytest.fixture
def store(make_user, make_category, take_in):
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
    trainee = make_user("trainee", badge="1000001", first_name="Olena", last_name="Kovalenko")
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


def open_till(page: Page, base: str, store):
    page.goto(f"{base}/till/{store['till'].id}")
    expect(page.locator("#till[data-ready]")).to_be_attached()
    expect(page.locator("#scan")).to_be_focused()


def no_native_dialogs(page: Page):
    """Fail when the page opens the browser's own alert/confirm box."""
    seen = []

    def refuse(dialog):
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    return seen


# ------------------------------------------------------------------ the faults


def test_enter_after_clock_in_never_clocks_out(live_server, page: Page, store):
    badge_login(page, live_server, "1000001")
    expect(page.locator("#clock-in")).to_be_focused()
    page.keyboard.press("Enter")  # Kommen
    expect(page.locator("#clock-state")).to_contain_text("Sie sind da seit")
    for _ in range(5):
        page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    expect(page.locator(".greeting")).to_be_visible()
    expect(page.locator("#clock-state")).to_contain_text("Sie sind da seit")
    kinds = [e.kind.value for e in db.session.scalars(sa.select(ClockEvent)).all()]
    assert kinds == ["in"]


def test_cancel_receipt_asks_in_the_page(live_server, page: Page, store):
    native = no_native_dialogs(page)
    badge_login(page, live_server, "1000001")
    open_till(page, live_server, store)
    page.keyboard.type(store["codes"][0])
    page.keyboard.press("Enter")
    expect(page.locator(".cart-lines tr")).to_have_count(1)
    page.locator("#cancel-receipt").click()
    dialog = page.locator("#cancel-dialog")
    expect(dialog).to_be_visible()
    page.get_by_role("button", name="Nein, weiter verkaufen").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".cart-lines tr")).to_have_count(1)
    page.locator("#cancel-receipt").click()
    page.get_by_role("button", name="Ja, Bon löschen").click()
    expect(page.locator(".cart-empty")).to_be_visible()
    assert native == []


def test_unknown_text_says_nothing_was_found(live_server, page: Page, store):
    badge_login(page, live_server, "1000001")
    open_till(page, live_server, store)
    page.keyboard.type("xyzqq")
    page.keyboard.press("Enter")
    expect(page.locator("#message")).to_contain_text("Nichts gefunden")
    expect(page.locator("#message")).to_contain_text("xyzqq")
    expect(page.locator("#message")).not_to_contain_text(": ?")


# ------------------------------------------------------------------ the key-press targets


def scan_three(page: Page, store):
    for code in store["codes"]:
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    expect(page.locator(".cart-lines tr")).to_have_count(3)
    expect(page.locator("#cart-total")).to_have_text(re.compile(r"37,50\s€"))


def ready_for_next(page: Page):
    expect(page.locator("#done")).to_be_hidden()
    expect(page.locator(".cart-empty")).to_be_visible()
    expect(page.locator("#scan")).to_be_focused()


def test_exact_cash_sale_takes_three_keys_after_the_scans(live_server, page: Page, store):
    badge_login(page, live_server, "1000001")
    open_till(page, live_server, store)
    scan_three(page, store)
    page.keyboard.press("F4")  # 1: cash, the amount due filled in
    expect(page.locator("#pay-cash-amount")).to_have_value("37,50")
    page.keyboard.press("Enter")  # 2: book
    expect(page.locator("#done .done-ok")).to_be_visible()
    page.keyboard.press("Enter")  # 3: next customer
    ready_for_next(page)
    sale = db.session.scalar(sa.select(Sale))
    assert sale.total_cents == 3750 and sale.change_cents == 0


def test_cash_sale_with_a_fifty_takes_four_keys_and_shows_the_change(live_server, page: Page, store):
    badge_login(page, live_server, "1000001")
    open_till(page, live_server, store)
    scan_three(page, store)
    page.keyboard.press("F4")  # 1
    page.keyboard.press("F8")  # 2: a 50 € note
    expect(page.locator("#pay-cash-amount")).to_have_value("50,00")
    expect(page.locator("#pay-rest")).to_contain_text("12,50")
    page.screenshot(path=str(SHOTS / "pay-50.png"))
    page.keyboard.press("Enter")  # 3
    expect(page.locator("#change")).to_have_text(re.compile(r"12,50\s€"))
    # the change as the pieces to hand over, largest first: 10 €, 2 €, 50 ct
    pieces = page.locator("#change-pieces .piece")
    expect(pieces).to_have_count(3)
    labels = [pieces.nth(i).get_attribute("aria-label") for i in range(3)]
    page.screenshot(path=str(SHOTS / "change-50.png"))
    assert [re.sub(r"\s", " ", label) for label in labels] == ["1 × 10,00 €", "1 × 2,00 €", "1 × 0,50 €"]
    page.keyboard.press("Enter")  # 4
    ready_for_next(page)
    assert db.session.scalar(sa.select(Sale)).change_cents == 1250


def test_intake_of_three_items_takes_two_keys_each_and_one_label_sheet(live_server, page: Page, store):
    badge_login(page, live_server, "1000001")
    page.goto(f"{live_server}/intake")
    expect(page.locator("#intake-form[data-ready]")).to_be_attached()
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
    page.locator("#labels-sheet").click()
    expect(page.locator("#open-pdf")).to_be_visible()
    href = page.locator("#open-pdf").get_attribute("href")
    codes = db.session.scalars(
        sa.select(Item.code).where(Item.description.in_(["Jacke", "Hose", "Mütze"]))
    ).all()
    assert len(codes) == 3 and all(code in href for code in codes)
    pdf = page.request.get(live_server + href)
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    page.locator("#back-to-intake").click()
    expect(page.locator("#intake-form[data-ready]")).to_be_attached()


# ------------------------------------------------------------------ screen sizes

SIZES = [(1024, 768), (1366, 768), (390, 844)]
CHECKS = (Path(__file__).parent / "layout_checks.js").read_text()
WIDE = "() => document.documentElement.scrollWidth - window.innerWidth"
UNREACHABLE = f"() => {{ {CHECKS}; return unreachable(); }}"
SMALL = f"() => {{ {CHECKS}; return tooSmall(); }}"


def trainee_pages(base: str, store) -> dict[str, str]:
    return {
        "start": f"{base}/",
        "till": f"{base}/till/{store['till'].id}",
        "intake": f"{base}/intake",
        "receipts": f"{base}/sales",
        "practice": f"{base}/practice",
    }


@pytest.mark.parametrize("width,height", SIZES)
def test_pages_fit_the_screen_and_every_button_is_reachable(
    live_server, page: Page, store, width, height, tmp_path
):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server}/login/till")
    assert page.evaluate(WIDE) <= 0, "till sign-in is wider than the screen"
    badge_login(page, live_server, "1000001")
    for name, url in trainee_pages(live_server, store).items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SHOTS / f"{name}-{width}x{height}.png"), full_page=False)
        assert page.evaluate(WIDE) <= 0, f"{name} is wider than {width} px"
        assert page.evaluate(UNREACHABLE) == [], name
        assert page.evaluate(SMALL) == [], name
    if width >= 1024:
        # the till at a till's screen: every button and link on the screen without scrolling the page
        page.goto(trainee_pages(live_server, store)["till"])
        expect(page.locator("#till[data-ready]")).to_be_attached()
        assert page.evaluate("() => document.documentElement.scrollHeight - window.innerHeight") <= 0
        grid = page.locator("#articles")
        scrolls = grid.evaluate("g => g.scrollHeight > g.clientHeight + 1")
        if scrolls:
            expect(page.locator("#articles-more")).to_be_visible()  # it says that it scrolls
        for link in page.locator(".till-links a, .till-links button").all():
            box = link.bounding_box()
            assert box and box["y"] + box["height"] <= height


def test_a_large_discount_is_confirmed_by_a_supervisor_pin_at_the_same_till(
    live_server, page: Page, store
):
    badge_login(page, live_server, "1000001")
    open_till(page, live_server, store)
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
    expect(page.locator("#cart-total")).to_have_text(re.compile(r"6,25\s€"))
    expect(page.locator(".greeting, #till")).to_have_count(1)  # nobody signed out


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


def test_trainee_pages_have_no_serious_accessibility_finding(live_server, page: Page, store):
    page.goto(f"{live_server}/login/till")
    found = {"till sign-in": axe_findings(page)}
    badge_login(page, live_server, "1000001")
    pages = {
        **trainee_pages(live_server, store),
        "return": f"{live_server}/till/{store['till'].id}/return?receipt=1",
        "intake labels": f"{live_server}/intake/labels",
        "my shifts": f"{live_server}/my/shifts",
    }
    for name, url in pages.items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        found[name] = axe_findings(page)
    # the till's dialogs, open
    open_till(page, live_server, store)
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
    assert {name: f for name, f in found.items() if f} == {}


def test_every_trainee_screen_has_a_help_with_at_most_three_steps(live_server, page: Page, store):
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
        page.locator("#help-open").click()
        steps = page.locator("#help-dialog .help-steps li")
        expect(page.locator("#help-dialog")).to_be_visible()
        assert 1 <= steps.count() <= 3, name
        assert page.locator("#help-dialog .help-steps li svg").count() == steps.count(), name
        page.locator("#help-close").click()
        expect(page.locator("#help-dialog")).to_be_hidden()
    open_till(page, live_server, store)
    page.locator("#help-open").click()
    page.keyboard.press("Escape")
    expect(page.locator("#scan")).to_be_focused()  # on the till, the scan field has the focus again


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
