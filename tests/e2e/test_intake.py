"""Journey: a trainee takes in three items; the labels print and scan back to the right items."""

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from store.core.audit import Actor
from store.core.settings import set_setting
from store.extensions import db
from store.printing.services import save_printer

pytestmark = pytest.mark.e2e


@pytest.fixture
def shop(make_user, make_category):
    printer = save_printer(Actor.system(), None, name="Etikettendrucker", backend="virtual", params={})
    db.session.flush()
    set_setting(Actor.system(), "label_printer_id", printer.id)
    db.session.commit()
    household = make_category("Hausrat", price_min_cents=50, price_max_cents=3000)
    make_category("Geschirr", parent_id=household.id, price_min_cents=50, price_max_cents=1000)
    make_user("trainee", badge="1000001", first_name="Olena", last_name="Kovalenko")


def test_trainee_takes_in_three_items_and_labels_scan_back(live_server, page: Page, shop):
    page.goto(f"{live_server}/login/till")
    expect(page.locator("#badge")).to_be_focused()
    page.keyboard.type("1000001")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Waren annehmen").click()
    expect(page.locator("#intake-form[data-ready]")).to_be_attached()

    # keyboard only: search the category, Enter picks it, then the fields in order
    page.keyboard.type("Geschirr")
    page.keyboard.press("Enter")
    expect(page.locator("#price-hint")).to_contain_text("Hausrat › Geschirr")
    expect(page.locator("#price-hint")).to_contain_text("0,50 €")
    expect(page.locator("#description")).to_be_focused()
    page.keyboard.type("Kaffeetasse")
    page.keyboard.press("Tab")
    page.keyboard.type("1,50")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Enter")

    expect(page.locator(".flash-success")).to_contain_text("3")
    rows = page.locator("#recent-h ~ table tbody tr, section[aria-labelledby=recent-h] tbody tr")
    expect(rows).to_have_count(3)
    codes = [rows.nth(i).locator("code").inner_text() for i in range(3)]
    assert len(set(codes)) == 3

    # each label is on the virtual printer and its barcode reads back to its item
    for n, code in enumerate(codes):
        rows.nth(n).get_by_role("link", name="Etikett ansehen").click()
        expect(page.locator(".paper .receipt")).to_contain_text("1,50 €")
        expect(page.locator(".paper .receipt")).to_contain_text("Kaffeetasse")
        png = page.request.get(page.url.split("?")[0] + ".png")  # the page may carry ?back=intake
        assert png.ok
        found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.body())))
        assert [r.text for r in found] == [code]
        item = page.request.get(f"{live_server}/api/v1/items/{found[0].text}").json()
        assert (item["description"], item["price_cents"], item["status"]) == (
            "Kaffeetasse",
            150,
            "in_stock",
        )
        page.go_back()
