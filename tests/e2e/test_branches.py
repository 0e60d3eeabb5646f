"""Journey: a supervisor of branch Mitte sees only Mitte's tills and stock, a coordinator sees both
branches, and a transfer moves a jacket from Mitte to Nord: Mitte's till refuses it, Nord's sells it."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from store.branches import services as branches
from store.core.audit import Actor
from store.extensions import db
from store.printing.services import save_printer
from store.till import services as till_services
from store.till.models import Sale
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_branches(make_user, make_category, take_in):
    printer = save_printer(Actor.system(), None, name="Bondrucker Mitte", backend="virtual", params={})
    db.session.flush()
    mitte_till = till_services.save_till(
        Actor.system(), None, name="Kasse Mitte", serial="M1", receipt_printer_id=printer.id
    )
    db.session.flush()
    mitte = mitte_till.branch
    nord = branches.save_branch(Actor.system(), None, name="Kaufhaus Nord", address="Nordring 5, Belm")
    db.session.flush()
    nord_printer = save_printer(
        Actor.system(), None, name="Bondrucker Nord", backend="virtual", params={}, branch_id=nord.id
    )
    db.session.flush()
    nord_till = till_services.save_till(
        Actor.system(),
        None,
        name="Kasse Nord",
        serial="N1",
        receipt_printer_id=nord_printer.id,
        branch_id=nord.id,
    )
    clothes = make_category("Kleidung", vat_rate_bp=1900)
    (jacket,) = take_in(clothes, "Winterjacke", 1250)
    (lamp,) = take_in(clothes, "Stehlampe", 900)
    lamp.branch_id = nord.id
    anna = make_user("supervisor", first_name="Anna")
    bert = make_user("supervisor", first_name="Bert")
    kim = make_user("coordinator", first_name="Kim")
    branches.set_user_branches(Actor.system(), anna, [mitte])
    branches.set_user_branches(Actor.system(), bert, [nord])
    db.session.commit()
    for user, till in ((anna, mitte_till), (bert, nord_till)):
        till_services.open_session(Actor(user=user, source="web", till_id=till.id), till, float_cents=0)
    db.session.commit()
    return {
        "mitte": mitte_till,
        "nord": nord_till,
        "jacket": jacket,
        "anna": anna,
        "bert": bert,
        "kim": kim,
    }


def sign_in(page: Page, base: str, user) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Benutzername").fill(user.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(".whoami")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Abmelden").click()


def scan(page: Page, code: str) -> None:
    expect(page.locator("#till[data-ready]")).to_be_attached()
    page.locator("#scan").focus()
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_branches_see_their_own_and_a_transfer_moves_an_item(live_server, page: Page, two_branches):
    b, jacket = two_branches, two_branches["jacket"]

    # Anna (Mitte) sees Mitte's till and stock only; Nord's till does not exist for her
    sign_in(page, live_server, b["anna"])
    page.goto(f"{live_server}/till?choose=1")
    expect(page.get_by_role("button", name=re.compile("Kasse Mitte"))).to_be_visible()
    expect(page.get_by_text("Kasse Nord")).to_have_count(0)
    page.goto(f"{live_server}/items?status=")
    expect(page.get_by_text("Winterjacke")).to_be_visible()
    expect(page.get_by_text("Stehlampe")).to_have_count(0)
    assert page.goto(f"{live_server}/till/{b['nord'].id}").status == 404
    expect(page.locator("#branch-switch")).to_have_count(0)

    # she moves the jacket to Nord; the transfer sheet is there to print
    page.goto(f"{live_server}/transfers/new")
    page.get_by_label("In Filiale").select_option(label="Kaufhaus Nord")
    page.get_by_label("Gescannte Codes (einer pro Zeile)").fill(jacket.code)
    page.get_by_role("button", name="Umlagern und Umlagerungsschein drucken").click()
    expect(page.locator(".flash-success")).to_contain_text("Kaufhaus Nord")
    expect(page.locator("#transfer-items")).to_contain_text(jacket.code)
    sheet = page.locator("#transfer-sheet").get_attribute("href")
    assert page.request.get(f"{live_server}{sheet}").body().startswith(b"%PDF")

    # Mitte's till now refuses it
    page.goto(f"{live_server}/till/{b['mitte'].id}")
    scan(page, jacket.code)
    expect(page.locator("#message")).to_contain_text("gehört zur Filiale Kaufhaus Nord")
    expect(page.locator(".cart-lines tr")).to_have_count(0)
    sign_out(page)

    # the coordinator sees both branches' tills, and the switcher
    sign_in(page, live_server, b["kim"])
    expect(page.locator("#branch-switch")).to_be_visible()
    page.goto(f"{live_server}/closings")
    expect(page.locator("select[name=till]")).to_contain_text("Kasse Mitte")
    expect(page.locator("select[name=till]")).to_contain_text("Kasse Nord")
    page.locator("#branch-select").select_option(label="Kaufhaus Nord")
    expect(page.locator("select[name=till]")).not_to_contain_text("Kasse Mitte")
    expect(page.locator("select[name=till]")).to_contain_text("Kasse Nord")
    sign_out(page)

    # Bert sells it at Nord's till
    sign_in(page, live_server, b["bert"])
    page.goto(f"{live_server}/till/{b['nord'].id}")
    scan(page, jacket.code)
    expect(page.locator(".cart-lines tr")).to_have_count(1)
    page.locator("#scan").press("Enter")
    expect(page.locator("#pay-dialog")).to_be_visible()
    page.keyboard.type("20")
    page.keyboard.press("Enter")
    expect(page.locator("#change")).to_have_text(re.compile(r"7,50\s€"))
    sale = db.session.scalar(sa.select(Sale))
    assert sale.till_id == b["nord"].id and sale.total_cents == 1250
