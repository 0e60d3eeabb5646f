"""Journey: the connection is lost while paying. The till says so, sends the same sale again until
the server answers, and the sale is booked once."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, Route, expect

from store.core.audit import Actor
from store.extensions import db
from store.till import services as till_services
from store.till.models import Sale
from tests.e2e.test_till import badge_login, store  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e


def open_till(page: Page, base: str, store):  # noqa: F811 - the fixture
    till_services.open_session(Actor.system(), store["till"], float_cents=10000)
    db.session.commit()
    badge_login(page, base, "1000001")
    page.get_by_role("link", name="Kasse", exact=True).click()
    page.get_by_role("button", name=re.compile("Kasse 1")).click()
    expect(page.locator("#till[data-ready]")).to_be_attached()
    page.keyboard.type(store["codes"][0])
    page.keyboard.press("Enter")
    expect(page.locator(".cart-lines tr")).to_have_count(1)
    page.locator("#scan").press("Enter")
    expect(page.locator("#pay-dialog")).to_be_visible()
    page.keyboard.type("20")


@pytest.mark.parametrize("failure", ["503", "answer lost"])
def test_a_lost_connection_is_retried_with_the_same_sale(live_server, page: Page, store, failure):  # noqa: F811
    sent: list[str] = []

    def flaky(route: Route):
        sent.append(route.request.post_data or "")
        if len(sent) == 1:
            if failure == "503":
                route.fulfill(status=503, headers={"Retry-After": "1"}, body="{}")
            else:
                route.fetch()  # the server books the sale, but its answer never arrives
                route.abort("connectionreset")
            return
        route.continue_()

    page.route(re.compile(r".*/pay$"), flaky)  # before the till is opened: nothing passes it by
    open_till(page, live_server, store)
    page.keyboard.press("Enter")
    expect(page.locator("#pay-error")).to_contain_text("Verbindung verloren")
    expect(page.locator("#change")).to_have_text(re.compile(r"7,50\s€"), timeout=10_000)
    assert len(sent) >= 2 and len(set(sent)) == 1  # the same body, so the same sale id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 1
