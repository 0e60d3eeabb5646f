"""Admins keep the category tree and the store settings; supervisors keep the price list."""

import html

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from store.core.audit import Actor, AuditEntry
from store.core.errors import ValidationError
from store.core.settings import get_setting
from store.extensions import db
from store.goods import services
from store.goods.models import Article, Category, MovementKind, StockMovement
from store.printing import services as printing


def _message(app, text: str, **values) -> str:
    """A service message as the German page shows it (translated or not)."""
    with app.test_request_context(), force_locale("de"):
        return gettext(text, **values)


def _body(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _category(name: str = "Hausrat", **values) -> Category:
    values = {"vat_rate_bp": 1900, "markdown_steps": [], "is_active": True, **values}
    category = services.save_category(Actor.system(), None, name=name, **values)
    db.session.commit()
    return category


def _form(**overrides) -> dict:
    data = {
        "name": "Jacken",
        "parent_id": "",
        "vat_rate_bp": "1900",
        "price_min": "",
        "price_max": "",
        "is_active": "y",
        "sort": "0",
    }
    for row in range(3):
        data[f"markdown_steps-{row}-weeks"] = ""
        data[f"markdown_steps-{row}-percent"] = ""
    data.update(overrides)
    return data


# ---------------------------------------------------------------- categories


def test_admin_creates_category_with_two_markdown_steps(client, make_user, login):
    login(make_user("admin"))
    parent = _category("Kleidung")
    response = client.post(
        "/admin/categories/new",
        data=_form(
            name="Jacken",
            parent_id=str(parent.id),
            vat_rate_bp="700",
            price_min="2,50",
            price_max="20",
            requires_safety_test="y",
            **{
                "markdown_steps-0-weeks": "8",
                "markdown_steps-0-percent": "50",
                "markdown_steps-1-weeks": "4",
                "markdown_steps-1-percent": "30",
            },
        ),
    )
    assert response.status_code == 302
    category = db.session.scalar(sa.select(Category).where(Category.name == "Jacken"))
    assert category.parent_id == parent.id and category.vat_rate_bp == 700
    assert (category.price_min_cents, category.price_max_cents) == (250, 2000)
    assert category.markdown_steps == [{"weeks": 4, "percent": 30}, {"weeks": 8, "percent": 50}]
    assert category.requires_safety_test and category.is_active
    assert not category.has_clothing_fields

    page = client.get("/admin/categories")
    assert page.status_code == 200
    body = _body(page)
    assert "Jacken" in body and "Kleidung" in body
    assert body.index(">Kleidung</a>") < body.index(">Jacken</a>")  # parent before child
    assert "tree-depth-1" in body  # the child is indented
    assert "2,50" in body and "20,00" in body
    assert f"/admin/categories/{category.id}" in body


def test_admin_edits_category_and_the_change_is_audited(client, make_user, login):
    login(make_user("admin"))
    category = _category("Bücher", markdown_steps=[{"weeks": 4, "percent": 20}])
    page = client.get(f"/admin/categories/{category.id}")
    assert page.status_code == 200
    assert 'value="Bücher"' in page.get_data(as_text=True)
    response = client.post(
        f"/admin/categories/{category.id}", data=_form(name="Bücher und Medien", vat_rate_bp="700")
    )  # step row emptied, active still on
    assert response.status_code == 302
    db.session.refresh(category)
    assert category.name == "Bücher und Medien" and category.vat_rate_bp == 700
    assert category.markdown_steps == []
    entry = db.session.scalar(
        sa.select(AuditEntry).where(
            AuditEntry.action == "category.update", AuditEntry.object_id == str(category.id)
        )
    )
    assert entry.data["vat_rate_bp"] == [1900, 700]


def test_category_cannot_be_put_inside_itself(app, client, make_user, login):
    login(make_user("admin"))
    top = _category("Möbel")
    child = _category("Stühle", parent_id=top.id)
    page = client.post(f"/admin/categories/{top.id}", data=_form(name="Möbel", parent_id=str(child.id)))
    assert page.status_code == 200
    assert _message(app, "A category cannot be placed inside itself.") in _body(page)
    db.session.refresh(top)
    assert top.parent_id is None


def test_bad_category_input_is_explained_and_saves_nothing(app, client, make_user, login):
    login(make_user("admin"))
    before = _count(Category)
    cases = [
        (_form(vat_rate_bp="1600"), "The VAT rate must be 19 %, 7 % or 0 %."),
        (
            _form(**{"markdown_steps-0-weeks": "4", "markdown_steps-0-percent": "150"}),
            "A markdown step needs weeks (1 or more) and a percentage between 1 and 99.",
        ),
        (
            _form(**{"markdown_steps-0-weeks": "4"}),  # half a row
            "A markdown step needs weeks (1 or more) and a percentage between 1 and 99.",
        ),
        (
            _form(
                **{
                    "markdown_steps-0-weeks": "4",
                    "markdown_steps-0-percent": "50",
                    "markdown_steps-1-weeks": "8",
                    "markdown_steps-1-percent": "30",
                }
            ),
            "Each markdown step must come later and reduce more than the one before.",
        ),
        (_form(name="  "), "Please give the category a name."),
        (_form(price_min="9", price_max="3"), "The lowest price must not be above the highest."),
        (_form(price_min="zwei Euro"), "Please enter an amount such as 12,50."),
    ]
    for data, text in cases:
        page = client.post("/admin/categories/new", data=data)
        assert page.status_code == 200, text
        body = _body(page)
        assert _message(app, text) in body, text
        assert 'role="alert"' in body
    page = client.post(
        "/admin/categories/new",
        data=_form(**{"markdown_steps-0-weeks": "vier", "markdown_steps-0-percent": "20"}),
    )
    assert page.status_code == 200 and 'role="alert"' in page.get_data(as_text=True)
    assert _count(Category) == before
    assert not db.session.scalar(sa.select(AuditEntry.id).where(AuditEntry.action == "category.create"))


def test_only_admins_open_category_and_settings_pages(client, make_user, login):
    login(make_user("supervisor"))
    assert client.get("/admin/categories").status_code == 403
    assert client.get("/admin/categories/new").status_code == 403
    assert client.post("/admin/categories/new", data=_form()).status_code == 403
    assert client.get("/admin/settings").status_code == 403
    assert client.get("/admin/articles").status_code == 200
    assert _count(Category) == 0


# ---------------------------------------------------------------- articles


def test_supervisor_manages_the_price_list(app, client, make_user, login):
    login(make_user("supervisor"))
    books = _category("Bücher", vat_rate_bp=700)
    response = client.post(
        "/admin/articles/new",
        data={
            "name": "Taschenbuch",
            "category": str(books.id),
            "price": "1,00",
            "is_active": "y",
            "sort": "1",
        },
    )
    assert response.status_code == 302
    article = db.session.scalar(sa.select(Article).where(Article.name == "Taschenbuch"))
    assert article.price_cents == 100 and article.category_id == books.id
    assert not article.track_stock

    response = client.post(
        f"/admin/articles/{article.id}",
        data={
            "name": "Taschenbuch",
            "category": str(books.id),
            "price": "1.5",
            "track_stock": "y",
            "is_active": "y",
            "sort": "1",
        },
    )
    assert response.status_code == 302
    db.session.refresh(article)
    assert article.price_cents == 150 and article.track_stock

    page = client.post(
        "/admin/articles/new",
        data={"name": "Ohne Preis", "category": str(books.id), "price": "", "is_active": "y"},
    )
    assert page.status_code == 200
    assert _message(app, "Please enter a sensible price.") in _body(page)
    page = client.post(
        "/admin/articles/new",
        data={"name": "Ohne Kategorie", "category": "", "price": "2", "is_active": "y"},
    )
    assert _message(app, "Please choose a category from the list.") in _body(page)
    assert _count(Article) == 1

    body = _body(client.get("/admin/articles"))
    assert "Taschenbuch" in body and "1,50" in body


def test_adding_stock_changes_article_stock(app, client, make_user, login):
    login(make_user("admin"))
    category = _category("Kurzwaren")
    counted = services.save_article(
        Actor.system(),
        None,
        name="Socken neu",
        category_id=category.id,
        price_cents=200,
        track_stock=True,
    )
    loose = services.save_article(
        Actor.system(), None, name="Knopf", category_id=category.id, price_cents=10
    )
    db.session.commit()
    assert services.article_stock(counted) == 0

    response = client.post(
        f"/admin/articles/{counted.id}/stock", data={"quantity": "12", "note": "Lieferung"}
    )
    assert response.status_code == 302
    assert services.article_stock(counted) == 12
    movement = db.session.scalar(sa.select(StockMovement).where(StockMovement.article_id == counted.id))
    assert movement.kind == MovementKind.STOCK_IN and movement.quantity == 12
    assert movement.note == "Lieferung"
    assert db.session.scalar(sa.select(AuditEntry.id).where(AuditEntry.action == "article.stock_in"))

    for bad in ("0", "-3", "10001", "viele"):
        client.post(f"/admin/articles/{counted.id}/stock", data={"quantity": bad})
    client.post(f"/admin/articles/{loose.id}/stock", data={"quantity": "5"})
    assert services.article_stock(counted) == 12
    assert _count(StockMovement) == 1

    page = client.get(f"/admin/articles/{counted.id}")
    assert "12" in _body(page)
    listing = _body(client.get("/admin/articles"))
    assert '<strong class="">12</strong>' in listing


def test_add_article_stock_service_checks_its_rules(app):
    category = _category("Kurzwaren")
    article = services.save_article(
        Actor.system(), None, name="Socken", price_cents=200, category_id=category.id, track_stock=True
    )
    services.add_article_stock(Actor.system(), article, 10_000, "voll")
    for bad in (0, 10_001, True, "3"):
        with pytest.raises(ValidationError) as caught:
            services.add_article_stock(Actor.system(), article, bad, "")
        assert caught.value.field == "quantity"
    assert services.article_stock(article) == 10_000
    article.track_stock = False
    with pytest.raises(ValidationError):
        services.add_article_stock(Actor.system(), article, 1, "")


# ---------------------------------------------------------------- settings


def test_admin_saves_settings_and_they_are_read_back(app, client, make_user, login):
    login(make_user("admin"))
    printer = printing.save_printer(Actor.system(), None, name="Etiketten", backend="virtual", params={})
    db.session.commit()
    page = client.get("/admin/settings")
    assert page.status_code == 200
    assert "Etiketten" in page.get_data(as_text=True)

    response = client.post(
        "/admin/settings",
        data={
            "label_printer_id": str(printer.id),
            "label_qr": "y",
            "label_sheet": "3x7",
            "max_price": "1000,00",
        },
    )
    assert response.status_code == 302
    assert get_setting("label_printer_id") == printer.id
    assert get_setting("label_qr") is True
    assert get_setting("label_sheet") == "3x7"
    assert get_setting("max_price_cents") == 100_000
    changed = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "setting.change")
    ).all()
    assert sorted(e.data["key"] for e in changed) == [
        "label_printer_id",
        "label_qr",
        "label_sheet",
        "max_price_cents",
    ]

    # Only what changed is written; bad input changes nothing.
    client.post(
        "/admin/settings", data={"label_printer_id": "0", "label_sheet": "3x7", "max_price": "1000"}
    )
    assert get_setting("label_printer_id") is None and get_setting("label_qr") is False
    assert _setting_changes() == 4 + 2  # the printer and the QR code, nothing else
    for bad in (
        {"max_price": "0"},
        {"max_price": "viel"},
        {"label_sheet": "4x10"},
        {"label_printer_id": "999"},
    ):
        data = {"label_printer_id": "0", "label_sheet": "3x7", "max_price": "1000", **bad}
        page = client.post("/admin/settings", data=data)
        assert page.status_code == 200, bad
    assert get_setting("max_price_cents") == 100_000
    assert get_setting("label_sheet") == "3x7"
    assert _setting_changes() == 6


def _setting_changes() -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.action == "setting.change"))


# ---------------------------------------------------------------- start screen


def test_start_screen_shows_the_new_tiles_by_role(client, make_user, login):
    login(make_user("admin"))
    body = client.get("/").get_data(as_text=True)
    for path in (
        "/admin/categories",
        "/admin/articles",
        "/admin/settings",
        "/inventory/stocktakes",
        "/inventory/ageing",
    ):
        assert f'href="{path}"' in body, path
    client.post("/logout")
    login(make_user("trainee"))
    body = client.get("/").get_data(as_text=True)
    assert 'href="/inventory/stocktakes"' in body and 'href="/inventory/ageing"' in body
    assert 'href="/admin/categories"' not in body and 'href="/admin/articles"' not in body
