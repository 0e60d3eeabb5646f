"""The intake screen for a first-day trainee: errors at the field, the whole intake session listed and
on one label sheet, a way back from the label page, a long text refused with a message."""

import re

import sqlalchemy as sa

from store.extensions import db
from store.goods.models import Item


def book(client, category, description, price="2,50"):
    return client.post(
        "/intake",
        data={
            "category": category.id,
            "description": description,
            "price": price,
            "quantity": "1",
            "condition": "good",
        },
    )


def field_errors(html: str, name: str) -> str:
    """The text of the field block that holds the input called `name`."""
    for block in re.findall(r'<div class="field[^"]*">(.*?)</div>', html, re.S):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name}")


def test_a_wrong_price_is_shown_at_the_price_field(client, make_user, login, make_category):
    category = make_category()
    login(make_user("trainee"))
    html = book(client, category, "Vase", price="zwölf").get_data(as_text=True)
    block = field_errors(html, "price")
    assert 'class="error"' in block and "12,50" in block
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item)) == 0


def test_the_page_lists_every_booking_of_the_intake_and_one_sheet_has_all(
    client, make_user, login, make_category
):
    category = make_category("Kleidung")
    login(make_user("trainee"))
    for text in ("Jacke", "Hose", "Mütze"):
        assert book(client, category, text).status_code == 302
    codes = db.session.scalars(sa.select(Item.code).order_by(Item.id)).all()
    page = client.get("/intake").get_data(as_text=True)
    for code in codes:
        assert code in page
    # the category stays chosen for the next item
    assert re.search(rf'<option selected value="{category.id}">|value="{category.id}" selected', page)
    sheet = client.get("/intake/labels").get_data(as_text=True)
    pdf = re.search(r'id="open-pdf" href="([^"]+)"', sheet).group(1).replace("&amp;", "&")
    assert all(code in pdf for code in codes)
    assert client.get(pdf).data.startswith(b"%PDF")
    # the label page leads back to the intake
    assert re.search(r'id="back-to-intake" href="/intake"', sheet)
    # a new intake starts an empty list
    client.post("/intake/new")
    page = client.get("/intake").get_data(as_text=True)
    assert codes[0] not in page


def test_a_too_long_description_is_refused_with_a_message_not_cut(
    client, make_user, login, make_category
):
    category = make_category()
    login(make_user("trainee"))
    page = client.get("/intake").get_data(as_text=True)
    description = re.search(r'<input[^>]*name="description"[^>]*>', page).group(0)
    assert "maxlength" not in description  # the browser must not cut a pasted text
    html = book(client, category, "x" * 150).get_data(as_text=True)
    assert "120" in field_errors(html, "description")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item)) == 0
