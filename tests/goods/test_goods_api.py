"""The goods API: intake, lookup by code, price list, categories."""

import sqlalchemy as sa

from store.extensions import db
from store.goods.models import Item


def test_intake_and_lookup_round_trip(client, make_user, api_token, make_category):
    headers = api_token(make_user("trainee"))
    category = make_category("Spielzeug")
    response = client.post(
        "/api/v1/items",
        headers=headers,
        json={
            "items": [
                {"category": category.id, "description": "Puzzle", "price_cents": 300, "quantity": 2},
                {"category": category.id, "description": "Teddy", "price_cents": 150},
            ]
        },
    )
    assert response.status_code == 201, response.json
    items = response.json["items"]
    assert [i["description"] for i in items] == ["Puzzle", "Puzzle", "Teddy"]
    assert len({i["code"] for i in items}) == 3
    one = client.get(f"/api/v1/items/{items[2]['code']}", headers=headers).json
    assert (one["price_cents"], one["status"], one["category"]) == (150, "in_stock", category.id)


def test_invalid_intake_is_422_and_books_nothing(client, make_user, api_token, make_category):
    headers = api_token(make_user("trainee"))
    category = make_category()
    for body in (
        {"items": [{"category": category.id, "description": "x", "price_cents": -5}]},
        {"items": [{"category": 12345, "description": "x", "price_cents": 100}]},
        {"items": [{"category": category.id, "description": "x", "price_cents": "viel"}]},
        {"items": []},
        {
            "items": [
                {"category": category.id, "description": "x", "price_cents": 100},
                {"category": category.id, "description": "", "price_cents": 100},
            ]
        },
    ):
        response = client.post("/api/v1/items", headers=headers, json=body)
        assert response.status_code == 422, body
        assert response.mimetype == "application/problem+json"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item)) == 0


def test_unknown_code_is_404(client, make_user, api_token):
    headers = api_token(make_user("trainee"))
    response = client.get("/api/v1/items/2000000000015", headers=headers)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_articles_and_categories(client, make_user, api_token, make_category):
    from store.core.audit import Actor
    from store.goods import services

    headers = api_token(make_user("trainee"))
    books = make_category("Bücher", vat_rate_bp=700)
    services.save_article(Actor.system(), None, name="Buch", category_id=books.id, price_cents=100)
    db.session.commit()
    articles = client.get("/api/v1/articles", headers=headers).json["articles"]
    assert [(a["name"], a["price_cents"], a["vat_rate_bp"]) for a in articles] == [("Buch", 100, 700)]
    categories = client.get("/api/v1/categories", headers=headers).json["categories"]
    assert categories[0]["path"] == "Bücher"
