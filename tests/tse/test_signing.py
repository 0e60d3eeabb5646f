"""TSE signing: byte-exact process data, verifiable QR codes, TSE failures, training mode."""

import pytest
import sqlalchemy as sa

from store.extensions import db
from store.goods.models import ItemStatus
from store.printing.models import PrintJob
from store.till import services as t
from store.till.models import Sale
from store.tse import processdata, signing
from store.tse.backends.simulator import verify
from store.tse.models import FiscalTransaction
from tests.tse.tr03151 import finish_dtbs


def test_process_data_is_byte_exact():
    slots = processdata.vat_slots([(1900, 7533), (700, 799), (1900, 0)])
    assert processdata.kassenbeleg("Beleg", slots, 1000, 7332) == (
        "Beleg^75.33_7.99_0.00_0.00_0.00^10.00:Bar_73.32:Unbar"
    )
    assert processdata.kassenbeleg("Beleg", processdata.vat_slots([(700, 50)]), 50, 0) == (
        "Beleg^0.00_0.50_0.00_0.00_0.00^0.50:Bar"
    )
    assert (
        processdata.kassenbeleg("AVBelegstorno", processdata.vat_slots([(1900, -1250)]), -1250, 0)
        == "AVBelegstorno^-12.50_0.00_0.00_0.00_0.00^-12.50:Bar"
    )
    assert (
        processdata.kassenbeleg("AVBelegabbruch", processdata.vat_slots([(1900, 300)]), 0, 0)
        == "AVBelegabbruch^3.00_0.00_0.00_0.00_0.00^"
    )
    with pytest.raises(ValueError):
        processdata.vat_slots([(1600, 100)])


def test_sale_with_mixed_vat_and_split_payment_is_signed(shop):
    t.add_code(shop.actor, shop.till, shop.items[0].code)  # 12,50 at 19 %
    t.add_article(shop.actor, shop.till, shop.book_article.id, 3)  # 1,50 at 7 %
    sale, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("card", 1000), t.PaymentIn("cash", 2000)])
    db.session.commit()
    tx = signing.for_sale(sale.id)
    assert tx.state == "signed" and tx.process_type == "Kassenbeleg-V1"
    assert tx.process_data == "Beleg^12.50_1.50_0.00_0.00_0.00^4.00:Bar_10.00:Unbar"
    assert tx.client_serial == shop.till.serial

    # the QR code parses back to the stored transaction, and its signature verifies
    qr = processdata.parse_qr(tx.qr_code_data)
    assert qr["till_serial"] == shop.till.serial
    assert qr["process_data"] == tx.process_data
    assert int(qr["number"]) == tx.tx_number and int(qr["counter"]) == tx.signature_counter
    assert qr["public_key"] == tx.public_key and qr["signature"] == tx.signature
    start, end = processdata.parse_time(qr["start"]), processdata.parse_time(qr["end"])
    assert (start, end) == (tx.started_at, tx.finished_at)
    # the simulator signs the TR-03151 log message of the finish (rebuilt here independently)
    data = finish_dtbs(
        tx.tse_serial,
        qr["till_serial"],
        qr["process_type"],
        qr["process_data"],
        int(qr["number"]),
        int(qr["counter"]),
        int(end.timestamp()),
    )
    assert verify(qr["public_key"], qr["signature"], data)
    assert not verify(qr["public_key"], qr["signature"], data.replace(b"12.50", b"12.49"))

    # the receipt carries the fiscal block and the QR code
    receipt = db.session.scalar(sa.select(PrintJob).where(PrintJob.kind == "receipt"))
    assert str(tx.signature_counter).encode() in receipt.payload
    assert tx.signature[:40].encode() in receipt.payload


def test_transaction_numbers_have_no_gaps(shop):
    for item in shop.items:
        t.add_code(shop.actor, shop.till, item.code)
        t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 2000)])
        db.session.commit()
    t.move_cash(shop.actor, shop.till, "deposit", 500, "Wechselgeld")
    db.session.commit()
    numbers = db.session.scalars(
        sa.select(FiscalTransaction.tx_number)
        .where(FiscalTransaction.tx_number.is_not(None))
        .order_by(FiscalTransaction.tx_number)
    ).all()
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    kinds = db.session.scalars(
        sa.select(FiscalTransaction.receipt_type).order_by(FiscalTransaction.id)
    ).all()
    # The float and the deposit are signed as the Beleg they are exported as (DSFinV-K 2.4: the
    # signed process type matches BON_TYP), no longer as SonstigerVorgang.
    assert kinds == ["Beleg"] * 5
    data = db.session.scalars(
        sa.select(FiscalTransaction.process_data).order_by(FiscalTransaction.id)
    ).all()
    assert data[0] == "Beleg^0.00_0.00_0.00_0.00_100.00^100.00:Bar"
    assert data[-1] == "Beleg^0.00_0.00_0.00_0.00_5.00^5.00:Bar"


def test_abandoned_cart_and_void_are_signed(shop):
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    t.cancel_cart(shop.actor, shop.till)
    db.session.commit()
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    sale, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 1250)])
    t.void_sale(shop.actor, sale, "Fehlbon", confirmed_by=shop.supervisor)
    db.session.commit()
    rows = db.session.scalars(sa.select(FiscalTransaction).order_by(FiscalTransaction.id)).all()
    # A void is a new Beleg with negative amounts (DSFinV-K 2.4 "Storno"), not AVBelegstorno.
    assert [r.receipt_type for r in rows] == ["Beleg", "AVBelegabbruch", "Beleg", "Beleg"]
    # Nothing was sold: the abort is signed with zero amounts; its positions are in the export.
    assert rows[1].process_data == "AVBelegabbruch^0.00_0.00_0.00_0.00_0.00^"
    assert rows[3].process_data == "Beleg^-12.50_0.00_0.00_0.00_0.00^-12.50:Bar"


def test_tse_down_still_commits_the_sale(app, shop):
    app.config["TSE_FAIL"] = True
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    sale, created = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 1250)])
    db.session.commit()
    assert created and shop.items[0].status == ItemStatus.SOLD
    tx = signing.for_sale(sale.id)
    assert tx.state == "failed" and "switched off" in tx.error and tx.signature is None
    receipt = db.session.scalar(sa.select(PrintJob).where(PrintJob.kind == "receipt"))
    assert b"TSE" in receipt.payload
    from store.fiscal import tse_notices

    assert tse_notices(shop.supervisor) and not tse_notices(shop.cashier)


def test_training_counts_for_nothing_and_moves_no_stock(shop):
    t.set_training(shop.actor, shop.till, True)
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    sale, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 2000)])
    db.session.commit()
    assert sale.training and shop.items[0].status == ItemStatus.IN_STOCK
    assert signing.for_sale(sale.id).process_data.startswith("AVTraining^12.50_")
    report = t.x_report(shop.till)
    assert report["total_cents"] == 0 and report["payments"] == {}
    assert report["training"] == {"count": 1, "total_cents": 1250}
    assert report["expected_cash_cents"] == 10000
    receipt = db.session.scalar(sa.select(PrintJob).where(PrintJob.kind == "receipt"))
    assert b"TRAINING" in receipt.payload
    t.set_training(shop.actor, shop.till, False)
    t.add_code(shop.actor, shop.till, shop.items[0].code)  # the same item sells for real now
    real, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 2000)])
    db.session.commit()
    assert not real.training and t.x_report(shop.till)["total_cents"] == 1250
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 2


def test_sale_api_includes_the_fiscal_block(client, shop, api_token):
    import uuid

    body = {
        "id": str(uuid.uuid4()),
        "till": shop.till.id,
        "lines": [{"code": shop.items[0].code}],
        "payments": [{"method": "cash", "amount_cents": 1250}],
    }
    sale = client.post("/api/v1/sales", json=body, headers=api_token(shop.cashier)).json
    tse = sale["tse"]
    assert tse["state"] == "signed" and tse["certified"] is False
    assert tse["qr_code_data"].startswith(f"V0;{shop.till.serial};Kassenbeleg-V1;Beleg^12.50_")
    training = client.post(
        f"/api/v1/tills/{shop.till.id}/training",
        json={"enabled": True},
        headers=api_token(shop.supervisor),
    )
    assert training.status_code == 200 and training.json["training"] is True


def test_closing_ends_an_empty_open_receipt(shop):
    t.set_eligibility(shop.actor, shop.till, True)  # starts a receipt without lines
    db.session.commit()
    t.close_session(shop.actor, shop.till, counted_cents=10000)
    db.session.commit()
    assert t.open_cart(shop.till) is None
    kinds = db.session.scalars(
        sa.select(FiscalTransaction.receipt_type).order_by(FiscalTransaction.id)
    ).all()
    assert kinds == ["Beleg", "AVBelegabbruch", "Kassenabschluss"]  # the float: a Beleg
