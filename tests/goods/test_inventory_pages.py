"""Old stock by category, and counting a shelf with the scanner (stocktake)."""

import html
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from store.core.audit import Actor
from store.extensions import db
from store.goods import services
from store.goods.models import (
    Category,
    ItemStatus,
    MovementKind,
    StockMovement,
    Stocktake,
    StocktakeScan,
    WriteOffReason,
)


def _body(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _category(name: str) -> Category:
    category = services.save_category(
        Actor.system(), None, name=name, vat_rate_bp=1900, markdown_steps=[], is_active=True
    )
    db.session.commit()
    return category


def _take_in(category: Category, description: str, *, quantity: int = 1, location=None, now=None):
    items = services.take_in_items(
        Actor.system(),
        [
            services.IntakeEntry(
                category_id=category.id,
                description=description,
                price_cents=350,
                quantity=quantity,
                location=location,
            )
        ],
        now=now,
    )
    db.session.commit()
    return items


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# ---------------------------------------------------------------- old stock


def test_ageing_lists_categories_with_old_items(client, make_user, login):
    login(make_user("trainee"))
    dishes, books = _category("Geschirr"), _category("Bücher")
    ten_weeks_ago = datetime.now(UTC) - timedelta(weeks=10)
    _take_in(dishes, "Teller", quantity=2, now=ten_weeks_ago)
    _take_in(books, "Roman")  # new: not old stock

    page = client.get("/inventory/ageing")
    assert page.status_code == 200
    body = _body(page)
    assert "Geschirr" in body and "Bücher" not in body
    assert f"/items?category={dishes.id}&weeks=8" in body
    assert "7,00" in body  # 2 × 3,50 € label value

    body = _body(client.get("/inventory/ageing?weeks=12"))
    assert "Geschirr" not in body
    body = _body(client.get("/inventory/ageing?weeks=4"))
    assert f"/items?category={dishes.id}&weeks=4" in body
    assert client.get("/inventory/ageing?weeks=abc").status_code == 200  # default 8


# ---------------------------------------------------------------- stocktake


def test_stocktake_scan_find_missing_and_write_off(client, make_user, login):
    shelf = _category("Hausrat")
    first, second, third = _take_in(
        shelf, "Vase", quantity=3, location="R1", now=datetime.now(UTC) - timedelta(days=1)
    )
    elsewhere = _take_in(shelf, "Lampe", location="R2")[0]

    trainee = make_user("trainee")
    login(trainee)
    assert "R1" in _body(client.get("/inventory/stocktakes"))  # offered as a shelf
    response = client.post("/inventory/stocktakes", data={"location": "R1"})
    assert response.status_code == 302
    stocktake = db.session.scalar(sa.select(Stocktake))
    assert stocktake.location == "R1" and stocktake.started_by_id == trainee.id
    assert response.headers["Location"].endswith(f"/inventory/stocktakes/{stocktake.id}")

    # Starting the same shelf again continues the running count.
    again = client.post("/inventory/stocktakes", data={"location": "R1"})
    assert again.headers["Location"].endswith(f"/inventory/stocktakes/{stocktake.id}")
    assert _count(Stocktake) == 1

    page = client.get(f"/inventory/stocktakes/{stocktake.id}")
    body = page.get_data(as_text=True)
    assert 'class="scan-input"' in body and 'data-keep-focus="1"' in body
    assert "autofocus" in body

    scan_url = f"/inventory/stocktakes/{stocktake.id}/scan"
    for item in (first, second, second):  # a double scan counts once
        response = client.post(scan_url, data={"code": item.code})
        assert response.status_code == 302
    assert _count(StocktakeScan) == 2

    page = client.get(response.headers["Location"])
    body = _body(page)
    assert second.code in body  # shown as the last scanned
    missing_part = body.split('id="missing-h"')[1].split('id="scanned-h"')[0]
    assert third.code in missing_part
    assert first.code not in missing_part and second.code not in missing_part
    assert elsewhere.code not in body
    assert [i.id for i in services.missing_items(stocktake)] == [third.id]

    # An item from another shelf is counted and flagged.
    response = client.post(scan_url, data={"code": elsewhere.code}, follow_redirects=True)
    body = _body(response)
    assert "R2" in body and elsewhere.code in body
    assert _count(StocktakeScan) == 3

    # Trainees count; only supervisors and admins finish.
    finish_url = f"/inventory/stocktakes/{stocktake.id}/finish"
    assert f'action="{finish_url}"' not in page.get_data(as_text=True)
    assert client.post(finish_url, data={"write_off": "y"}).status_code == 403
    db.session.refresh(stocktake)
    assert stocktake.finished_at is None

    client.post("/logout")
    supervisor = make_user("supervisor")
    login(supervisor)
    page = client.get(f"/inventory/stocktakes/{stocktake.id}")
    assert f'action="{finish_url}"' in page.get_data(as_text=True)
    response = client.post(finish_url, data={"write_off": "y", "note": "Regal leer"})
    assert response.status_code == 302

    db.session.refresh(stocktake)
    assert stocktake.finished_at is not None
    for item in (first, second, third, elsewhere):
        db.session.refresh(item)
    assert third.status == ItemStatus.WRITTEN_OFF
    assert first.status == second.status == elsewhere.status == ItemStatus.IN_STOCK
    movement = db.session.scalar(
        sa.select(StockMovement).where(
            StockMovement.item_id == third.id, StockMovement.kind == MovementKind.WRITE_OFF
        )
    )
    assert movement.reason == WriteOffReason.MISSING and movement.note == "Regal leer"
    assert movement.user_id == supervisor.id

    # The finished count is shown read-only, with what was missing.
    page = client.get(f"/inventory/stocktakes/{stocktake.id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert third.code in body and 'class="scan-input"' not in body
    assert f'action="{finish_url}"' not in body
    # Scanning or finishing again changes nothing.
    client.post(scan_url, data={"code": third.code})
    client.post(finish_url, data={"write_off": "y"})
    assert _count(StocktakeScan) == 3
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(StockMovement.kind == MovementKind.WRITE_OFF))
        == 1
    )


def test_finish_without_write_off_keeps_items_in_stock(client, make_user, login):
    shelf = _category("Spielzeug")
    items = _take_in(
        shelf, "Puzzle", quantity=2, location="K3", now=datetime.now(UTC) - timedelta(hours=1)
    )
    login(make_user("admin"))
    client.post("/inventory/stocktakes", data={"location": "K3"})
    stocktake = db.session.scalar(sa.select(Stocktake))
    response = client.post(f"/inventory/stocktakes/{stocktake.id}/finish", data={"note": ""})
    assert response.status_code == 302
    db.session.refresh(stocktake)
    assert stocktake.finished_at is not None
    for item in items:
        db.session.refresh(item)
        assert item.status == ItemStatus.IN_STOCK
    assert not db.session.scalar(
        sa.select(StockMovement.id).where(StockMovement.kind == MovementKind.WRITE_OFF)
    )
    body = client.get(f"/inventory/stocktakes/{stocktake.id}").get_data(as_text=True)
    assert all(item.code in body for item in items)  # listed as missing at the end


def test_unknown_code_is_explained_and_changes_nothing(app, client, make_user, login):
    shelf = _category("Hausrat")
    _take_in(shelf, "Vase", location="R1", now=datetime.now(UTC) - timedelta(hours=1))
    login(make_user("trainee"))
    client.post("/inventory/stocktakes", data={"location": "R1"})
    stocktake = db.session.scalar(sa.select(Stocktake))
    response = client.post(
        f"/inventory/stocktakes/{stocktake.id}/scan",
        data={"code": "4006381333931"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    body = _body(response)
    assert "4006381333931" in body and "flash-error" in body
    assert _count(StocktakeScan) == 0
    # An empty Enter from the scanner does nothing either.
    response = client.post(f"/inventory/stocktakes/{stocktake.id}/scan", data={"code": ""})
    assert response.status_code == 302
    assert _count(StocktakeScan) == 0


def test_stocktake_needs_a_shelf_and_pages_need_a_floor_role(client, make_user, login):
    login(make_user("coordinator"))
    assert client.get("/inventory/stocktakes").status_code == 403
    assert client.get("/inventory/ageing").status_code == 403
    client.post("/logout")
    login(make_user("trainee"))
    page = client.post("/inventory/stocktakes", data={"location": "  "})
    assert page.status_code == 200 and 'role="alert"' in page.get_data(as_text=True)
    assert _count(Stocktake) == 0
    assert client.get("/inventory/stocktakes/999").status_code == 404
