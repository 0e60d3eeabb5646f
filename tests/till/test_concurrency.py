"""Never a double sale: two tills pay for the same item at the same moment, the same sale arrives
twice at once, two supervisors void one sale at once — on a real database."""

import threading
import uuid

import sqlalchemy as sa

from store.core.audit import Actor
from store.core.errors import ConflictError
from store.extensions import db
from store.goods.models import Item, StockMovement
from store.till import services as t
from store.till.models import Sale, Till
from tests.conftest import tr


def test_two_tills_one_item_exactly_one_sale(app, shop):
    second = t.save_till(Actor.system(), None, name="Kasse 2", serial="K2-0002")
    db.session.commit()
    t.open_session(Actor.system(), second, float_cents=0)
    db.session.commit()
    code = shop.items[0].code
    till_ids = [shop.till.id, second.id]
    cashier_id = shop.cashier.id
    barrier = threading.Barrier(2)
    results: list[str] = []

    def sell(till_id):
        with app.app_context():
            from store.auth.models import User

            actor = Actor(user=db.session.get(User, cashier_id), till_id=till_id)
            till = db.session.get(Till, till_id)
            barrier.wait()
            try:
                t.sell(
                    actor, till, str(uuid.uuid4()), [t.LineIn(code=code)], [t.PaymentIn("cash", 1250)]
                )
                db.session.commit()
                results.append("sold")
            except ConflictError as error:
                db.session.rollback()
                results.append("conflict: " + error.message)
            finally:
                db.session.remove()

    for _round in range(3):  # three races, each with a fresh item
        results.clear()
        threads = [threading.Thread(target=sell, args=(till_id,)) for till_id in till_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(r.split(":")[0] for r in results) == ["conflict", "sold"], results
        conflict = [r for r in results if r.startswith("conflict")][0]
        assert conflict == "conflict: " + tr("%(code)s is already sold.", code=code)
        item_id = db.session.scalar(sa.select(Item.id).where(Item.code == code))
        sales = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(StockMovement)
            .where(StockMovement.item_id == item_id, StockMovement.kind == "sale")
        )
        assert sales == 1
        code = shop.items[_round + 1].code if _round < 2 else code
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 3


def _at_once(app, send, n: int = 2) -> list:
    """Run send(client) in n threads released together; their responses, in no particular order."""
    barrier = threading.Barrier(n)
    answers: list = []

    def run():
        client = app.test_client()
        barrier.wait()
        answers.append(send(client))

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_the_same_sale_sent_twice_at_once_books_once(app, shop, api_token):
    headers = api_token(shop.cashier)
    for round_ in range(3):  # three races, each with a fresh item and a fresh sale id
        body = {
            "id": str(uuid.uuid4()),
            "till": shop.till.name,
            "lines": [{"code": shop.items[round_].code}],
            "payments": [{"method": "cash", "amount_cents": 2000}],
        }
        answers = _at_once(
            app, lambda client, body=body: client.post("/api/v1/sales", json=body, headers=headers)
        )
        assert sorted(a.status_code for a in answers) == [200, 201], [a.json for a in answers]
        assert answers[0].json == answers[1].json  # the second answer is the first one's sale
        assert answers[0].json["id"] == body["id"]
        booked = db.session.scalar(
            sa.select(sa.func.count()).select_from(Sale).where(Sale.uuid == body["id"])
        )
        assert booked == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 3


def test_a_sale_voided_twice_at_once_is_voided_once(app, shop, api_token):
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    sale, _created = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 2000)])
    db.session.commit()
    headers = api_token(shop.supervisor)
    url = f"/api/v1/sales/{sale.uuid}/void"
    answers = _at_once(app, lambda client: client.post(url, json={"reason": "Fehlbon"}, headers=headers))
    assert sorted(a.status_code for a in answers) == [201, 409], [a.json for a in answers]
    voids = db.session.scalar(
        sa.select(sa.func.count()).select_from(Sale).where(Sale.reverses_id == sale.id)
    )
    assert voids == 1
