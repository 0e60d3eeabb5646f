"""The optional receipt line with the kg kept in use, and the admin's category form that sets the
factors (a new version from today)."""

import uuid

import sqlalchemy as sa

from store.core.audit import Actor
from store.extensions import db
from store.goods import services as goods
from store.goods.models import CategoryImpact
from store.printing.models import PrintJob
from store.till import services as till


def _sell(shop, items):
    sale, _created = till.sell(
        shop.actor,
        shop.till,
        str(uuid.uuid4()),
        [till.LineIn(code=i.code) for i in items],
        [till.PaymentIn("cash", sum(i.price_cents for i in items))],
    )
    db.session.commit()
    return db.session.scalars(sa.select(PrintJob).where(PrintJob.kind == "receipt")).all()[-1]


def test_the_receipt_says_how_many_kg_stay_in_use_when_the_store_wants_it(shop, make_user):
    job = _sell(shop, shop.items[:1])
    assert b"in Gebrauch" not in job.payload
    goods.set_receipt_impact_line(Actor(user=make_user("admin")), True)
    db.session.commit()
    job = _sell(shop, shop.items[1:3])
    # two jackets: Kleidung by the WRAP default, 0.5 kg each
    assert "Mit diesem Einkauf bleiben 1,0 kg in Gebrauch".encode("cp858") in job.payload


def test_the_admin_sets_a_categorys_factors_in_its_form(client, make_user, login, make_category):
    category = make_category("Möbel")
    login(make_user("admin"))
    page = client.get(f"/admin/categories/{category.id}").get_data(as_text=True)
    assert 'value="25"' in page  # the WRAP furniture default, 25 kg per item
    form = {
        "name": "Möbel",
        "parent_id": "",
        "vat_rate_bp": "1900",
        "is_active": "y",
        "sort": "0",
        "weight_kg": "30,5",
        "co2e_per_kg": "1,45",
        "impact_source": "eigene Wägung 2026",
    }
    answer = client.post(f"/admin/categories/{category.id}", data=form)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    versions = db.session.scalars(sa.select(CategoryImpact)).all()
    assert [(v.grams_per_item, v.co2e_g_per_kg, v.source) for v in versions] == [
        (30500, 1450, "eigene Wägung 2026")
    ]
    client.post(f"/admin/categories/{category.id}", data=form)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CategoryImpact)) == 1


def test_the_customer_display_shows_the_kg_only_when_the_store_wants_it(shop, make_user):
    _sell(shop, shop.items[:2])
    assert till.customer_view(shop.till)["kg"] is None
    goods.set_receipt_impact_line(Actor(user=make_user("admin")), True)
    db.session.commit()
    view = till.customer_view(shop.till)
    assert view["state"] == "paid" and view["kg"] == 1.0  # two jackets, 0.5 kg each
