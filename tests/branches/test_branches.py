"""Branches: who sees which tills and stock, the branches API, and transfers between branches."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from store.branches import services as branches
from store.branches.models import Branch
from store.core.audit import Actor
from store.core.errors import ConflictError
from store.extensions import db
from store.goods import services as goods
from store.goods.models import ItemStatus, MovementKind, StockMovement
from store.goods.services.ledger import set_status
from store.till import services as tills
from tests.conftest import tr

NOW = datetime(2026, 12, 3, 10, tzinfo=UTC)


@pytest.fixture
def two(app, shop, make_user, take_in):
    """The shop's branch A (its till, jackets, cashier) and a branch B with a till and a lamp."""

    class Two:
        pass

    t = Two()
    t.shop = shop
    t.a = shop.till.branch
    t.b = branches.save_branch(
        Actor.system(), None, name="Kaufhaus Nord", address="Nordweg 2, 49191 Belm"
    )
    db.session.flush()
    t.till_b = tills.save_till(Actor.system(), None, name="Kasse Nord", serial="N-1", branch_id=t.b.id)
    t.lamp = take_in(shop.clothes, "Lampe", 900)[0]
    t.lamp.branch_id = t.b.id
    t.sup_a = make_user("supervisor", first_name="Anna")
    t.sup_b = make_user("supervisor", first_name="Bert")
    t.coordinator = make_user("coordinator")
    branches.set_user_branches(Actor.system(), t.sup_a, [t.a])
    branches.set_user_branches(Actor.system(), t.sup_b, [t.b])
    branches.set_user_branches(Actor.system(), shop.cashier, [t.a])
    db.session.commit()
    return t


def test_the_single_shop_is_the_first_branch_and_everyone_sees_it(shop):
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Branch)) == 1
    assert shop.till.branch is not None and shop.items[0].branch_id == shop.till.branch_id
    assert branches.visible_ids(shop.cashier) == {shop.till.branch_id}


def test_supervisors_see_their_branch_and_coordinators_all(two):
    assert branches.visible_ids(two.sup_a) == {two.a.id}
    assert branches.visible_ids(two.sup_b) == {two.b.id}
    assert branches.visible_ids(two.coordinator) == {two.a.id, two.b.id}


def test_the_till_list_and_a_till_of_another_branch(two, client, login):
    login(two.sup_a)
    listing = client.get("/till?choose=1").get_data(as_text=True)
    assert "Kasse 1" in listing and "Kasse Nord" not in listing
    assert client.get(f"/till/{two.till_b.id}").status_code == 404
    items = client.get("/items?status=").get_data(as_text=True)
    assert "Jacke" in items and "Lampe" not in items


def test_a_coordinator_switches_between_branches(two, client, login):
    login(two.coordinator)
    home = client.get("/").get_data(as_text=True)
    assert 'id="branch-switch"' in home
    client.post("/branch", data={"branch": str(two.b.id)})
    only_b = client.get("/closings").get_data(as_text=True)
    assert "Kasse Nord" in only_b and "Kasse 1" not in only_b
    client.post("/branch", data={"branch": "all"})
    both = client.get("/closings").get_data(as_text=True)
    assert "Kasse Nord" in both and "Kasse 1" in both


def test_branches_api(two, client, api_token, make_user):
    admin = make_user("admin")
    got = client.get("/api/v1/branches", headers=api_token(two.sup_a)).get_json()
    assert [b["name"] for b in got["branches"]] == [two.a.name]
    made = client.post(
        "/api/v1/branches",
        json={"name": "Kaufhaus Süd", "address": "Südring 3"},
        headers=api_token(admin),
    )
    assert made.status_code == 201 and made.get_json()["name"] == "Kaufhaus Süd"
    refused = client.post("/api/v1/branches", json={"name": "X"}, headers=api_token(two.sup_a))
    assert refused.status_code == 403
    till = client.get("/api/v1/tills", headers=api_token(two.coordinator)).get_json()["tills"]
    assert {t["name"]: t["branch"] for t in till} == {
        "Kasse 1": two.a.name,
        "Kasse Nord": "Kaufhaus Nord",
    }


def test_a_transfer_books_both_sides_and_the_item_sells_only_at_its_new_branch(
    two, client, api_token, login
):
    jacket = two.shop.items[0]
    answer = client.post(
        "/api/v1/transfers",
        json={"from_branch": two.a.id, "to_branch": two.b.id, "codes": [jacket.code]},
        headers=api_token(two.sup_a),
    )
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["to_branch"] == "Kaufhaus Nord" and body["items"][0]["code"] == jacket.code
    db.session.expire_all()
    assert db.session.get(type(jacket), jacket.id).branch_id == two.b.id
    moves = db.session.execute(
        sa.select(
            StockMovement.kind, StockMovement.quantity, StockMovement.branch_id, StockMovement.user_id
        )
        .where(StockMovement.item_id == jacket.id, StockMovement.ref_type == "transfer")
        .order_by(StockMovement.id)
    ).all()
    assert [tuple(m) for m in moves] == [
        (MovementKind.TRANSFER_OUT, -1, two.a.id, two.sup_a.id),
        (MovementKind.TRANSFER_IN, 1, two.b.id, two.sup_a.id),
    ]
    login(two.sup_a)
    sheet = client.get(body["sheet_url"])
    assert sheet.status_code == 200 and sheet.data.startswith(b"%PDF")
    with pytest.raises(ConflictError, match="Kaufhaus Nord"):
        tills.add_code(two.shop.actor, two.shop.till, jacket.code)
    db.session.rollback()
    actor_b = Actor(user=two.sup_b, source="web", till_id=two.till_b.id)
    tills.open_session(actor_b, two.till_b, float_cents=0)
    line = tills.add_code(actor_b, two.till_b, jacket.code)
    assert line.item_id == jacket.id


def test_sold_reserved_and_foreign_items_are_not_transferred(two):
    actor = Actor(user=two.sup_a, source="web")
    lamp, sold, held = two.lamp, two.shop.items[1], two.shop.items[2]
    with pytest.raises(ConflictError) as refused:
        goods.transfer_items(actor, [lamp.code], two.a.id, two.b.id)
    assert refused.value.message == tr(
        "%(code)s belongs to branch %(branch)s.", code=lamp.code, branch="Kaufhaus Nord"
    )
    set_status(sold, ItemStatus.IN_STOCK, ItemStatus.SOLD)
    with pytest.raises(ConflictError) as refused:
        goods.transfer_items(actor, [sold.code], two.a.id, two.b.id)
    assert refused.value.message == tr("%(code)s is already sold.", code=sold.code)
    goods.reserve(actor, held.code, customer="Frau K.", until=date(2026, 12, 20), now=NOW)
    with pytest.raises(ConflictError) as refused:
        goods.transfer_items(actor, [held.code], two.a.id, two.b.id)
    assert refused.value.message == tr(
        "%(code)s is reserved for a customer and cannot be moved.", code=held.code
    )
    assert held.branch_id == two.a.id


def test_a_supervisor_cannot_send_from_a_branch_not_theirs(two, client, api_token):
    answer = client.post(
        "/api/v1/transfers",
        json={"from_branch": two.b.id, "to_branch": two.a.id, "codes": [two.lamp.code]},
        headers=api_token(two.sup_a),
    )
    assert answer.status_code == 403


def test_admins_open_a_branch_and_name_who_works_there(two, client, login, make_user):
    admin = make_user("admin")
    login(admin)
    assert client.get("/admin/branches").status_code == 200
    answer = client.post(
        "/admin/branches/new",
        data={
            "name": "Kaufhaus Süd",
            "address": "Südring 3, 49191 Belm",
            "is_active": "y",
            "members": [str(two.sup_b.id)],
        },
    )
    assert answer.status_code == 302
    south = db.session.scalar(sa.select(Branch).where(Branch.name == "Kaufhaus Süd"))
    assert [u.id for u in south.members] == [two.sup_b.id]
    assert branches.visible_ids(two.sup_b) == {two.b.id, south.id}
    clash = client.post("/admin/branches/new", data={"name": "kaufhaus süd"})
    assert clash.status_code == 200 and tr("There is already a branch of this name.") in clash.get_data(
        as_text=True
    )
    page = client.get(f"/admin/branches/{south.id}").get_data(as_text=True)
    assert "Südring 3" in page


def test_a_supervisor_sees_no_admin_pages_of_branches(two, client, login):
    login(two.sup_a)
    assert client.get("/admin/branches").status_code == 403


def test_print_jobs_of_another_branch_do_not_exist_for_a_supervisor(two, client, login):
    from store.printing import services as printing

    job = printing.enqueue(Actor.system(), two.shop.till.receipt_printer, "test", b"x", title="Test")
    db.session.commit()
    login(two.sup_b)
    assert client.get(f"/print-jobs/{job.id}").status_code == 404
    assert "Test" not in client.get("/print-jobs").get_data(as_text=True).split("<main", 1)[1]


def test_an_item_moved_to_another_branch_after_its_scan_is_not_sold_at_the_old_one(two):
    jacket = two.shop.items[0]
    tills.add_code(two.shop.actor, two.shop.till, jacket.code)  # scanned at A …
    db.session.commit()
    db.session.execute(  # … then moved to B by a transfer before the customer pays
        sa.update(type(jacket)).where(type(jacket).id == jacket.id).values(branch_id=two.b.id)
    )
    db.session.commit()
    with pytest.raises(ConflictError, match="Kaufhaus Nord"):
        tills.checkout(two.shop.actor, two.shop.till, [tills.PaymentIn("cash", 2000)])
    db.session.rollback()
    assert db.session.get(type(jacket), jacket.id).status == ItemStatus.IN_STOCK


def test_the_sales_api_refuses_an_item_of_another_branch(two, client, api_token):
    body = {
        "id": "9d2c7a51-3e8f-4b6a-8c17-5f0e2d4b9a63",
        "till": two.shop.till.id,
        "lines": [{"code": two.lamp.code}],
        "payments": [{"method": "cash", "amount_cents": 2000}],
    }
    answer = client.post("/api/v1/sales", json=body, headers=api_token(two.shop.cashier))
    assert answer.status_code == 409 and "Kaufhaus Nord" in answer.get_json()["detail"]
    assert db.session.get(type(two.lamp), two.lamp.id).status == ItemStatus.IN_STOCK


def test_a_stocktake_counts_a_shelf_of_its_own_branch_only(two, client, login):
    """Both branches have a shelf "A1": counting A's finds none of B's items missing."""
    jacket, lamp = two.shop.items[0], two.lamp
    jacket.location = lamp.location = "A1"
    db.session.commit()
    actor = Actor(user=two.sup_a)
    count = goods.start_stocktake(actor, "A1", branch_id=two.a.id)  # after the intake
    db.session.commit()
    assert goods.missing_items(count) == [jacket]  # not B's lamp
    goods.scan_for_stocktake(actor, count, lamp.code)
    assert goods.scan_note(count, lamp, again=False) == goods.ScanNote.OTHER_BRANCH
    assert goods.start_stocktake(actor, "A1", branch_id=two.b.id) is not count  # B has its own
    db.session.commit()
    login(two.sup_b)
    assert client.get(f"/inventory/stocktakes/{count.id}").status_code == 404  # A's count


def test_the_transfer_page_sends_to_another_branch_by_default(two, client, login):
    login(two.sup_a)
    page = client.get("/transfers/new").get_data(as_text=True)
    to = page[page.index('name="to_branch"') :]
    to = to[: to.index("</select>")]
    assert f'selected value="{two.b.id}"' in to and f'selected value="{two.a.id}"' not in to
