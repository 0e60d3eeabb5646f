"""Deposits on reservations at the till: taken once, counted once in the sale (or refunded or kept
once), never in training, and a sale of the item must count it."""

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from store.core.audit import Actor
from store.core.errors import ConflictError, ValidationError
from store.core.settings import get_setting, set_setting
from store.core.timeutil import local_today
from store.extensions import db
from store.goods import services as goods
from store.goods.models import ItemStatus
from store.printing.models import PrintJob
from store.till import services as t
from store.till.models import Sale, SaleKind
from store.tse.models import FiscalTransaction
from tests.conftest import tr


@pytest.fixture
def sofa(shop, make_category, take_in):
    furniture = make_category("Möbel", vat_rate_bp=1900)
    return take_in(furniture, "Sofa", 15000)[0]


def reserve(shop, item, deposit=2000):
    reservation = goods.reserve(
        shop.actor,
        item.code,
        customer="Nr. 17",
        until=local_today() + timedelta(days=5),
        deposit_cents=deposit,
    )
    db.session.commit()
    return reservation


def test_a_deposit_is_a_signed_printed_receipt_taken_once(shop, sofa):
    reservation = reserve(shop, sofa)
    assert reservation.deposit_state == "due"
    receipt = t.take_deposit(shop.actor, shop.till, reservation, [t.PaymentIn("cash", 5000)])
    db.session.commit()
    assert receipt.kind == SaleKind.DEPOSIT and receipt.total_cents == 2000
    assert receipt.change_cents == 3000
    [line] = receipt.lines
    assert (line.business_case, line.vat_rate_bp, line.item_id) == ("Anzahlungseinstellung", 1900, None)
    tx = db.session.scalar(sa.select(FiscalTransaction).where(FiscalTransaction.sale_id == receipt.id))
    assert tx.state == "signed" and tx.process_data.startswith("Beleg^20.00_")
    job = db.session.scalar(sa.select(PrintJob).where(PrintJob.ref_id == str(receipt.id)))
    assert job is not None
    db.session.refresh(reservation)
    assert reservation.deposit_state == "held" and reservation.deposit_ref == str(receipt.id)
    with pytest.raises(ConflictError):
        t.take_deposit(shop.actor, shop.till, reservation, [t.PaymentIn("cash", 2000)])
    db.session.rollback()
    assert sofa.status == ItemStatus.IN_STOCK  # a deposit moves no stock


def test_no_deposit_in_training_nor_above_the_price(shop, sofa):
    reservation = reserve(shop, sofa)
    with pytest.raises(ValidationError):
        t.take_deposit(
            shop.actor, shop.till, reservation, [t.PaymentIn("cash", 20000)], amount_cents=16000
        )
    db.session.rollback()
    t.set_training(shop.actor, shop.till, True)
    with pytest.raises(ConflictError):
        t.take_deposit(shop.actor, shop.till, reservation, [t.PaymentIn("cash", 2000)])
    db.session.rollback()


def test_the_sale_must_count_a_deposit_taken(shop, sofa):
    reservation = reserve(shop, sofa)
    t.take_deposit(shop.actor, shop.till, reservation, [t.PaymentIn("cash", 2000)])
    db.session.commit()
    goods.item_for_till(shop.actor, reservation.number)  # this till may sell it ...
    db.session.commit()
    with pytest.raises(ConflictError) as refused:  # ... but not without counting the deposit
        t.sell(
            shop.actor,
            shop.till,
            str(uuid.uuid4()),
            [t.LineIn(code=sofa.code)],
            [t.PaymentIn("cash", 15000)],
        )
    assert refused.value.message == tr(
        "Reservation %(n)s has a deposit: please type its number at the till, "
        "so that the deposit is counted.",
        n=reservation.number,
    )
    db.session.rollback()
    line = t.add_code(shop.actor, shop.till, reservation.number)
    priced = t.price_cart(line.cart)
    assert [pl.total_cents for pl in priced.lines] == [15000, -2000] and priced.total_cents == 13000
    sale, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 13000)])
    db.session.commit()
    db.session.refresh(reservation)
    assert reservation.deposit_state == "used" and reservation.status.value == "sold"
    # a void would give back the deposit as cash: the item comes back as a return instead
    with pytest.raises(ValidationError):
        t.void_sale(shop.actor, sale, "Irrtum", confirmed_by=shop.supervisor)
    db.session.rollback()
    item_line = sale.lines[0]
    with pytest.raises(ValidationError):
        t.return_lines(shop.actor, sale, {sale.lines[1].id: 1}, "Irrtum")
    db.session.rollback()
    back = t.return_lines(shop.actor, sale, {item_line.id: 1}, "Passt nicht")
    db.session.commit()
    assert back.total_cents == -15000  # all the customer paid: 130 € now and 20 € before


def test_an_item_in_the_cart_before_its_reservation_counts_the_deposit_once_typed(shop, sofa):
    line = t.add_code(shop.actor, shop.till, sofa.code)  # in the cart before it was reserved
    db.session.commit()
    reservation = reserve(shop, sofa)
    t.take_deposit(shop.actor, shop.till, reservation, [t.PaymentIn("cash", 2000)])
    db.session.commit()
    assert t.price_cart(line.cart).total_cents == 15000
    again = t.add_code(shop.actor, shop.till, reservation.number)
    assert again.id == line.id and t.price_cart(again.cart).total_cents == 13000
    with pytest.raises(ConflictError):
        t.add_code(shop.actor, shop.till, reservation.number)
    db.session.rollback()


def test_an_ended_reservation_pays_back_its_deposit_once(shop, sofa):
    reservation = reserve(shop, sofa)
    t.take_deposit(shop.actor, shop.till, reservation, [t.PaymentIn("cash", 2000)])
    db.session.commit()
    with pytest.raises(ConflictError):  # still active: nothing to settle
        t.settle_deposit(shop.actor, shop.till, reservation)
    db.session.rollback()
    before = t.expected_cash(t.current_session(shop.till))
    goods.release(Actor(user=shop.supervisor, source="web"), reservation)
    db.session.commit()
    assert goods.deposits_to_settle() == [reservation]
    assert get_setting("deposit_on_lapse") == "refund"
    refund = t.settle_deposit(shop.actor, shop.till, reservation)
    db.session.commit()
    assert refund.kind == SaleKind.DEPOSIT_REFUND and refund.total_cents == -2000
    assert [(p.method.value, p.amount_cents) for p in refund.payments] == [("cash", -2000)]
    assert refund.lines[0].ref_sale_id == int(reservation.deposit_ref)
    assert t.expected_cash(t.current_session(shop.till)) == before - 2000
    assert reservation.deposit_state == "refunded" and goods.deposits_to_settle() == []
    with pytest.raises(ConflictError):
        t.settle_deposit(shop.actor, shop.till, reservation)
    db.session.rollback()


def test_the_store_may_keep_a_lapsed_deposit(shop, sofa):
    set_setting(Actor.system(), "deposit_on_lapse", "keep")
    reservation = reserve(shop, sofa)
    t.take_deposit(shop.actor, shop.till, reservation, [t.PaymentIn("card", 2000)])
    db.session.commit()
    assert (
        goods.lapse_due(Actor.system(), now=t.current_session(shop.till).opened_at + timedelta(days=9))
        == 1
    )
    db.session.commit()
    kept = t.settle_deposit(shop.actor, shop.till, reservation)
    db.session.commit()
    assert kept.kind == SaleKind.DEPOSIT_KEPT and kept.total_cents == 0 and kept.payments == []
    assert [(x.business_case, x.total_cents) for x in kept.lines] == [
        ("Anzahlungsaufloesung", -2000),
        ("Umsatz", 2000),
    ]
    report = t.x_report(shop.till)
    assert report["deposits"] == {"taken": 2000, "used": 0, "refunded": 0, "kept": 2000}
    assert sofa.status == ItemStatus.IN_STOCK  # the sofa is for sale again


def test_the_deposit_page_takes_and_settles(client, shop, sofa, login, make_user):
    reservation = reserve(shop, sofa)
    login(shop.cashier)
    page = client.get(f"/till/{shop.till.id}/deposit?number={reservation.number}")
    assert page.status_code == 200 and "20,00" in page.get_data(as_text=True)
    answer = client.post(
        f"/till/{shop.till.id}/deposit",
        data={"number": reservation.number, "amount": "20", "method": "cash"},
    )
    assert answer.status_code == 302
    db.session.expire_all()
    assert reservation.deposit_state == "held"
    receipt = db.session.scalar(sa.select(Sale).where(Sale.kind == SaleKind.DEPOSIT))
    assert receipt.total_cents == 2000
    listed = client.get("/reservations").get_data(as_text=True)
    assert "deposit-state" in listed
    goods.release(Actor(user=shop.supervisor, source="web"), reservation)
    db.session.commit()
    page = client.get(f"/till/{shop.till.id}/deposit").get_data(as_text=True)
    assert reservation.number in page
    answer = client.post(f"/till/{shop.till.id}/deposit/{reservation.id}/settle")
    assert answer.status_code == 302
    db.session.expire_all()
    assert reservation.deposit_state == "refunded"


def test_the_delivery_line_and_the_admin_settings(client, shop, login, make_user):
    admin = make_user("admin")
    login(admin)
    page = client.get("/admin/settings")
    assert page.status_code == 200
    data = {
        "label_printer_id": "0",
        "label_sheet": "3x8",
        "max_price": "5000",
        "delivery_fee": "45",
        "delivery_vat_bp": "700",
        "deposit_on_lapse": "keep",
    }
    assert client.post("/admin/settings", data=data).status_code == 302
    assert get_setting("delivery_fee_cents") == 4500 and get_setting("delivery_vat_bp") == 700
    assert get_setting("deposit_on_lapse") == "keep"
    with pytest.raises(ValidationError):  # nothing to deliver yet
        t.add_delivery(shop.actor, shop.till)
    db.session.rollback()
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    t.add_delivery(shop.actor, shop.till)
    db.session.commit()
    with pytest.raises(ConflictError):
        t.add_delivery(shop.actor, shop.till)
    db.session.rollback()
    sale, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 6000)])
    db.session.commit()
    delivery = sale.lines[1]
    assert (delivery.description, delivery.total_cents, delivery.vat_rate_bp) == ("Lieferung", 4500, 700)
    assert delivery.service == "delivery" and delivery.item_id is None
