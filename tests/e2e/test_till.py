"""Journey: open the till, sell two items and an article for cash, see the change and the receipt,
a supervisor voids the sale, the till is closed and the Z report matches the sales to the cent."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from store.core.audit import Actor
from store.extensions import db
from store.goods import services as goods
from store.printing.services import save_printer
from store.till import services as till_services
from store.till.models import Closing, Sale

pytestmark = pytest.mark.e2e


@pytest.fixture
def store(make_user, make_category, take_in):
    printer = save_printer(Actor.system(), None, name="Bondrucker 1", backend="virtual", params={})
    db.session.flush()
    till = till_services.save_till(
        Actor.system(), None, name="Kasse 1", serial="K1", receipt_printer_id=printer.id
    )
    clothes = make_category("Kleidung", vat_rate_bp=1900)
    books = make_category("Bücher", vat_rate_bp=700)
    (jacket,) = take_in(clothes, "Winterjacke", 1250)
    (mug,) = take_in(clothes, "Schal", 350)
    goods.save_article(Actor.system(), None, name="Taschenbuch", category_id=books.id, price_cents=100)
    db.session.commit()
    make_user("trainee", badge="1000001", first_name="Olena")
    make_user("supervisor", badge="9000001", first_name="Michael", pin="9001")
    return {"till": till, "codes": [jacket.code, mug.code]}


def badge_login(page: Page, base: str, badge: str):
    if not page.url.endswith("/login/till"):
        page.goto(f"{base}/login/till")
    expect(page.locator("#badge")).to_be_focused()
    page.keyboard.type(badge)
    page.keyboard.press("Enter")
    expect(page.locator(".greeting")).to_be_visible()


def test_sell_void_close(live_server, page: Page, store):
    badge_login(page, live_server, "1000001")
    page.get_by_role("link", name="Kasse", exact=True).click()
    page.get_by_role("button", name=re.compile("Kasse 1")).click()

    # open with the counted float: 2 × 50 € and 10 × 2 €
    page.locator("input[name=n5000]").fill("2")
    page.locator("input[name=n200]").fill("10")
    page.locator("button[name=action][value=book]").click()
    expect(page.locator("#till[data-ready]")).to_be_attached()
    expect(page.locator("#scan")).to_be_focused()

    # scan two labels (keyboard wedge: digits + Enter) and type-ahead an article
    for code in store["codes"]:
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    page.keyboard.type("3")  # quantity first, then the article button
    page.locator(".article-btn", has_text="Taschenbuch").click()
    expect(page.locator(".cart-lines tr")).to_have_count(3)
    expect(page.locator("#cart-total")).to_have_text(re.compile(r"19,00\s€"))

    # Enter on the empty scan field: pay cash; 20 € given → 1,00 € change, shown large
    page.locator("#scan").press("Enter")
    expect(page.locator("#pay-dialog")).to_be_visible()
    page.keyboard.type("20")
    expect(page.locator("#pay-rest")).to_contain_text("1,00")
    page.keyboard.press("Enter")
    expect(page.locator("#change")).to_have_text(re.compile(r"1,00\s€"))

    # the receipt is on the virtual printer
    with page.context.expect_page() as receipt_page:
        page.get_by_role("link", name="Bon ansehen").click()
    receipt = receipt_page.value
    expect(receipt.locator(".paper .receipt")).to_contain_text("Winterjacke")
    expect(receipt.locator(".paper .receipt")).to_contain_text("19,00")
    receipt.close()
    page.keyboard.press("Enter")  # next customer
    expect(page.locator(".cart-empty")).to_be_visible()

    sale = db.session.scalar(sa.select(Sale))
    assert sale.total_cents == 1900 and [p.change_cents for p in sale.payments] == [100]

    # a supervisor voids it
    page.get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(re.compile(r"/login/till$"))
    badge_login(page, live_server, "9000001")
    page.goto(f"{live_server}/sales/{sale.id}")
    page.locator("form[action$='/void'] input[name=reason]").fill("Kunde will doch nicht")
    page.locator("form[action$='/void'] input[name=badge]").fill("9000001")
    page.locator("form[action$='/void'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    void = db.session.scalar(sa.select(Sale).where(Sale.reverses_id == sale.id))
    assert void is not None and void.total_cents == -1900

    # close the till: the drawer holds the float again (the void refunded the cash)
    page.goto(f"{live_server}/till/{store['till'].id}/close")
    page.locator("input[name=n5000]").fill("2")
    page.locator("input[name=n200]").fill("10")
    page.locator("button[name=action][value=book]").click()
    expect(page).to_have_url(re.compile(r"/closings/\d+$"))
    closing = db.session.scalar(sa.select(Closing))
    sales = db.session.scalars(sa.select(Sale)).all()
    report = closing.report
    assert report["total_cents"] == sum(s.total_cents for s in sales) == 0
    assert report["by_kind"]["sale"]["total_cents"] == 1900
    assert report["by_kind"]["void"]["total_cents"] == -1900
    assert sum(r["gross_cents"] for r in report["vat"]) == 0
    assert closing.difference_cents == 0 and closing.counted_cents == 12000
    expect(page.locator("main")).to_contain_text("19,00")
