"""The TSE is asked after the booking has committed: a TSE that hangs holds no lock another till
needs, and a sale whose signing was cut off (a crash between the commit and the signature) is signed
by the recovery step, exactly once."""

import threading
import time
import uuid
from datetime import timedelta

import sqlalchemy as sa

from store.core.audit import Actor
from store.core.timeutil import utcnow
from store.extensions import db
from store.printing.models import PrintJob
from store.till import services as t
from store.till.models import Sale
from store.till.services import sales as sales_module
from store.tse.backends import simulator
from store.tse.models import FiscalTransaction


def body(till, code, **changes):
    return {
        "id": str(uuid.uuid4()),
        "till": till.name,
        "lines": [{"code": code}],
        "payments": [{"method": "cash", "amount_cents": 2000}],
        **changes,
    }


def second_till(shop):
    till = t.save_till(Actor.system(), None, name="Kasse 2", serial="K2-0002")
    db.session.commit()
    t.open_session(Actor.system(), till, float_cents=0)
    db.session.commit()
    return till


def test_a_hanging_tse_does_not_block_another_till(app, client, shop, api_token, monkeypatch):
    other = second_till(shop)
    headers = api_token(shop.cashier)
    entered, release = threading.Event(), threading.Event()
    check = simulator.SimulatorTse._check

    def hanging(self):
        if getattr(self, "client", None) == shop.till.serial:
            entered.set()
            release.wait(30)
        check(self)

    def sign(self, client_id, tx_id, receipt, _sign=simulator.SimulatorTse.sign):
        self.client = client_id
        return _sign(self, client_id, tx_id, receipt)

    monkeypatch.setattr(simulator.SimulatorTse, "_check", hanging)
    monkeypatch.setattr(simulator.SimulatorTse, "sign", sign)
    answers = {}
    first_body = body(shop.till, shop.items[0].code)
    second_body = body(other, shop.items[1].code)

    def first_till():
        answers["first"] = app.test_client().post("/api/v1/sales", json=first_body, headers=headers)

    thread = threading.Thread(target=first_till)
    thread.start()
    try:
        assert entered.wait(30), "the first till never reached the TSE"
        started = time.monotonic()
        second = client.post("/api/v1/sales", json=second_body, headers=headers)
        assert second.status_code == 201, second.json
        assert second.json["tse"]["state"] == "signed"
        assert time.monotonic() - started < 10 and not release.is_set()
        # The first till's sale is booked (committed) while its TSE still hangs.
        db.session.remove()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 2
    finally:
        release.set()
        thread.join(60)
    assert answers["first"].status_code == 201 and answers["first"].json["tse"]["state"] == "signed"


def test_a_crash_between_commit_and_signature_is_recovered_exactly_once(
    app, client, shop, api_token, monkeypatch
):
    headers = api_token(shop.cashier)
    sale_body = body(shop.till, shop.items[0].code)

    def power_cut(*args, **kwargs):
        raise RuntimeError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(sales_module.signing, "record", power_cut)
        cut = client.post("/api/v1/sales", json=sale_body, headers=headers)
        assert cut.status_code == 500
    db.session.remove()
    sale = t.find_sale(sale_body["id"])
    assert sale is not None  # booked and committed before the TSE was asked
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FiscalTransaction)) == 1  # float

    assert t.sign_unsigned(utcnow()) == 0  # too young: its request may still be signing
    later = utcnow() + timedelta(minutes=2)
    assert t.sign_unsigned(later) == 1
    assert t.sign_unsigned(later) == 0
    rows = db.session.scalars(
        sa.select(FiscalTransaction).where(FiscalTransaction.sale_id == sale.id)
    ).all()
    assert [(r.state, r.tx_id) for r in rows] == [("signed", sales_module.tse_tx_id(sale.uuid))]
    receipts = db.session.scalars(
        sa.select(PrintJob).where(PrintJob.ref_type == "sale", PrintJob.ref_id == str(sale.id))
    ).all()
    assert len(receipts) == 1
    # The till resending the sale gets it, signed.
    again = client.post("/api/v1/sales", json=sale_body, headers=headers)
    assert again.status_code == 200 and again.json["tse"]["state"] == "signed"


def test_two_recoveries_at_once_sign_once(app, shop):
    sale, _created = t.sell(
        shop.actor,
        shop.till,
        str(uuid.uuid4()),
        [t.LineIn(code=shop.items[0].code)],
        [t.PaymentIn("cash", 2000)],
        sign=False,  # booked and committed, then the process died
    )
    db.session.commit()
    later = utcnow() + timedelta(minutes=2)
    barrier, signed = threading.Barrier(2), []

    def recover():
        with app.app_context():
            barrier.wait()
            try:
                signed.append(t.sign_unsigned(later))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=recover) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(signed) == [0, 1]
    rows = db.session.scalars(
        sa.select(FiscalTransaction).where(FiscalTransaction.sale_id == sale.id)
    ).all()
    assert [r.state for r in rows] == ["signed"]


def test_the_simulator_can_be_as_slow_as_a_network_tse(app, client, shop, api_token):
    app.config["TSE_SIMULATOR_DELAY_MS"] = 100
    started = time.monotonic()
    answer = client.post(
        "/api/v1/sales", json=body(shop.till, shop.items[0].code), headers=api_token(shop.cashier)
    )
    assert answer.status_code == 201 and answer.json["tse"]["state"] == "signed"
    assert time.monotonic() - started >= 0.2  # two calls: start and finish
