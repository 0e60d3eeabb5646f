"""Never a double sale: two tills pay for the same item at the same moment, on a real database."""

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
