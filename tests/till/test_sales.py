"""Selling: the cart, paying, idempotent sales, voids and returns, reports that match the receipts."""

import pytest
import sqlalchemy as sa

from store.core.errors import ConflictError, PermissionDeniedError, ValidationError
from store.core.pricing import price_line, vat_breakdown, vat_of_gross
from store.extensions import db
from store.goods.models import ItemStatus, StockMovement
from store.printing.models import PrintJob
from store.printing.render import drawer_kick
from store.till import services as t
from store.till.models import Sale, SaleKind
from store.till.receipts import render_closing
from tests.conftest import tr


def pay_cash(shop, tendered):
    return t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", tendered)])


def test_vat_is_computed_once_per_rate():
    # 19 % of 12,50 gross = 1,9958… → 2,00; 7 % of 0,50 → 0,0327 → 0,03
    assert vat_of_gross(1250, 1900) == 200
    assert vat_of_gross(50, 700) == 3
    assert vat_of_gross(-1250, 1900) == -200
    rows = vat_breakdown([(1900, 1250), (700, 50), (1900, 875), (700, 100)])
    assert [(r.rate_bp, r.gross_cents, r.vat_cents, r.net_cents) for r in rows] == [
        (1900, 2125, 339, 1786),
        (700, 150, 10, 140),
    ]


def test_line_discount_then_eligibility():
    p = price_line(1000, 2, 10, 20)  # 20,00 → −10 % = 18,00 → −20 % = 14,40
    assert (p.discount_cents, p.eligibility_cents, p.total_cents) == (200, 360, 1440)


def test_cash_sale_books_everything_in_one_go(shop):
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    t.add_article(shop.actor, shop.till, shop.book_article.id, 3)
    sale, created = pay_cash(shop, 2000)
    db.session.commit()
    assert created and sale.kind == SaleKind.SALE and sale.receipt_number == 1
    assert sale.total_cents == 1250 + 150
    cash = sale.payments[0]
    assert (cash.amount_cents, cash.tendered_cents, cash.change_cents) == (1400, 2000, 600)
    assert shop.items[0].status == ItemStatus.SOLD
    jobs = db.session.scalars(sa.select(PrintJob).order_by(PrintJob.id)).all()
    # One job: the drawer's pulse first, then the receipt (half the print queue's work per sale).
    assert [j.kind for j in jobs] == ["receipt"]
    assert jobs[0].payload.startswith(drawer_kick(shop.till.receipt_printer))
    assert "Jacke".encode("cp858") in jobs[0].payload
    assert "14,00 €".replace(" ", "\u00a0").encode("cp858", "replace") != b""
    assert t.expected_cash(t.current_session(shop.till)) == 10000 + 1400


def test_paying_twice_with_the_same_id_books_once(shop):
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    cart_uuid = t.open_cart(shop.till).uuid
    first, created = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 1250)], cart_uuid=cart_uuid)
    db.session.commit()
    again, created_again = t.checkout(
        shop.actor, shop.till, [t.PaymentIn("cash", 1250)], cart_uuid=cart_uuid
    )
    assert created and not created_again and again.id == first.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 1


def test_sold_item_cannot_be_scanned_again(shop):
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    pay_cash(shop, 1250)
    db.session.commit()
    with pytest.raises(ConflictError) as error:
        t.add_code(shop.actor, shop.till, shop.items[0].code)
    assert error.value.message == tr("%(code)s is already sold.", code=shop.items[0].code)


def test_same_item_twice_on_one_receipt_is_refused(shop):
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    with pytest.raises(ConflictError):
        t.add_code(shop.actor, shop.till, shop.items[0].code)


def test_not_enough_money_books_nothing(shop):
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    with pytest.raises(ValidationError) as error:
        pay_cash(shop, 1000)
    assert error.value.message == tr("Not enough money. %(sum)s is missing.", sum="2,50\xa0€")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 0
    assert shop.items[0].status == ItemStatus.IN_STOCK


def test_split_payment_card_voucher_cash(shop):
    for item in shop.items:
        t.add_code(shop.actor, shop.till, item.code)  # 3 × 12,50 = 37,50
    sale, _ = t.checkout(
        shop.actor,
        shop.till,
        [
            t.PaymentIn("card", 1000),
            t.PaymentIn("voucher", 2000, voucher_number="EA-2026-17", voucher_issuer="Gemeinde"),
            t.PaymentIn("cash", 1000),
        ],
    )
    db.session.commit()
    assert [(p.method.value, p.amount_cents, p.change_cents) for p in sale.payments] == [
        ("card", 1000, 0),
        ("voucher", 2000, 0),
        ("cash", 750, 250),
    ]
    t.add_article(shop.actor, shop.till, shop.book_article.id)
    with pytest.raises(ValidationError) as error:
        t.checkout(shop.actor, shop.till, [t.PaymentIn("voucher", 50)])
    assert error.value.field == "voucher"


def test_discount_above_limit_needs_supervisor(shop):
    line = t.add_code(shop.actor, shop.till, shop.items[0].code)
    with pytest.raises(PermissionDeniedError):
        t.set_discount(shop.actor, shop.till, line.id, 50, "Fleck")
    with pytest.raises(ValidationError):
        t.set_discount(shop.actor, shop.till, line.id, 10, "")
    supervisor = t.confirming_supervisor(badge="9000001")
    t.set_discount(shop.actor, shop.till, line.id, 50, "Fleck", confirmed_by=supervisor)
    with pytest.raises(PermissionDeniedError):
        t.confirming_supervisor(badge="1000001")  # a trainee's card does not confirm
    sale, _ = pay_cash(shop, 625)
    assert sale.lines[0].discount_cents == 625
    assert sale.lines[0].discount_confirmed_by_id == shop.supervisor.id


def test_void_is_a_counter_sale_and_items_return_to_stock(shop):
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    t.add_article(shop.actor, shop.till, shop.book_article.id, 2)
    sale, _ = pay_cash(shop, 2000)
    db.session.commit()
    void = t.void_sale(
        shop.actor, sale, "Kunde hat es sich anders überlegt", confirmed_by=shop.supervisor
    )
    db.session.commit()
    assert void.kind == SaleKind.VOID and void.reverses_id == sale.id
    assert void.total_cents == -sale.total_cents
    assert [line.quantity for line in void.lines] == [-1, -2]
    assert sum(p.amount_cents for p in void.payments) == -sale.total_cents
    db.session.refresh(shop.items[0])
    assert shop.items[0].status == ItemStatus.IN_STOCK
    with pytest.raises(ConflictError):
        t.void_sale(shop.actor, sale, "nochmal", confirmed_by=shop.supervisor)
    db.session.rollback()
    # the original is untouched
    db.session.refresh(sale)
    assert sale.total_cents == 1350 and sale.kind == SaleKind.SALE


def test_partial_return_refunds_cash_and_can_write_off(shop):
    for item in shop.items[:2]:
        t.add_code(shop.actor, shop.till, item.code)
    sale, _ = pay_cash(shop, 2500)
    db.session.commit()
    back = t.return_lines(
        shop.actor, sale, {sale.lines[1].id: 1}, "Reißverschluss kaputt", to_stock=False
    )
    db.session.commit()
    assert back.total_cents == -1250 and back.payments[0].amount_cents == -1250
    db.session.refresh(shop.items[1])
    assert shop.items[1].status == ItemStatus.WRITTEN_OFF
    with pytest.raises(ConflictError):
        t.return_lines(shop.actor, sale, {sale.lines[1].id: 1}, "nochmal")


def test_sales_rows_cannot_be_changed_in_the_database(shop):
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    pay_cash(shop, 1250)
    db.session.commit()
    for statement in ("UPDATE sale SET total_cents = 1", "DELETE FROM sale_line", "DELETE FROM payment"):
        with pytest.raises(sa.exc.DatabaseError):
            with db.engine.begin() as conn:
                conn.execute(sa.text(statement))


def test_z_report_matches_the_sales_to_the_cent(shop):
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    t.add_article(shop.actor, shop.till, shop.book_article.id, 3)
    sale1, _ = pay_cash(shop, 5000)
    t.add_code(shop.actor, shop.till, shop.items[1].code)
    t.set_eligibility(shop.actor, shop.till, True)
    sale2, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("card", 1000)])
    t.move_cash(shop.actor, shop.till, "withdrawal", 2000, "Wechselgeld zur Bank")
    t.void_sale(shop.actor, sale1, "Fehlbon", confirmed_by=shop.supervisor)
    db.session.commit()
    expected = 10000 - 2000  # sale1 cash in, then refunded by the void
    closing = t.close_session(shop.actor, shop.till, counted_cents=expected - 10, reason="Münze")
    db.session.commit()
    r = closing.report
    assert closing.number == 1 and closing.difference_cents == -10
    assert r["total_cents"] == sale2.total_cents == 1000
    assert sum(v["gross_cents"] for v in r["vat"]) == r["total_cents"]
    assert r["payments"] == {"cash": 0, "card": 1000}
    assert r["by_kind"]["void"] == {"count": 1, "total_cents": -1400}
    assert r["discounts"]["eligibility_receipts"] == 1
    assert r["discounts"]["eligibility_cents"] == 250
    assert r["cash"]["withdrawal"] == -2000 and r["expected_cash_cents"] == expected
    with pytest.raises(ConflictError):
        t.current_session(shop.till)
    assert db.session.scalar(
        sa.select(StockMovement.id)
        .where(StockMovement.item_id == shop.items[0].id)
        .order_by(StockMovement.id.desc())
        .limit(1)
    )


def test_till_opens_once(shop):
    with pytest.raises(ConflictError):
        t.open_session(shop.actor, shop.till, float_cents=0)


def test_z_report_vat_is_the_sum_of_the_receipts_vat(shop):
    """Three receipts of 0,05 € at 19 %: each has 0,01 € VAT; the day's sum must say 0,03 €."""
    from store.core.audit import Actor
    from store.goods import services as goods

    nickel = goods.save_article(
        Actor.system(), None, name="Knopf", category_id=shop.clothes.id, price_cents=5
    )
    db.session.commit()
    for _n in range(3):
        t.add_article(shop.actor, shop.till, nickel.id)
        pay_cash(shop, 5)
    db.session.commit()
    row = t.x_report(shop.till)["vat"][0]
    assert (row["rate_bp"], row["gross_cents"], row["vat_cents"]) == (1900, 15, 3)
    assert vat_breakdown([(1900, 15)])[0].vat_cents == 2  # rounding the sum would lose a cent


def test_the_z_report_counts_the_lines_removed_before_payment_and_the_carts_abandoned(
    shop, client, login
):
    line = t.add_code(shop.actor, shop.till, shop.items[0].code)
    t.remove_line(shop.actor, shop.till, line.id)  # taken off again: 12,50 €
    t.add_code(shop.actor, shop.till, shop.items[1].code)
    pay_cash(shop, 2000)
    t.add_code(shop.actor, shop.till, shop.items[2].code)
    t.add_article(shop.actor, shop.till, shop.book_article.id, 2)
    t.cancel_cart(shop.actor, shop.till)  # the customer left: 12,50 € and two books
    db.session.commit()
    report = t.x_report(shop.till)
    assert report["removed"] == {
        "removed": {"lines": 1, "receipts": 1, "total_cents": 1250},
        "abandoned": {"lines": 2, "receipts": 1, "total_cents": 1350},
    }
    assert report["total_cents"] == 1250  # neither is turnover
    login(shop.supervisor)
    page = client.get(f"/till/{shop.till.id}/x-report").get_data(as_text=True)
    assert tr("Lines removed (%(n)s)", n=1) in page
    assert tr("Carts abandoned (%(n)s, %(lines)s lines)", n=1, lines=2) in page
    closing = t.close_session(shop.actor, shop.till, counted_cents=11250, reason="")
    db.session.commit()
    printed = render_closing(closing, shop.till.receipt_printer).decode("cp858")
    assert tr("Lines removed (%(n)s)", n=1) in printed and "12,50" in printed
    assert tr("Carts abandoned (%(n)s, %(lines)s lines)", n=1, lines=2) in printed
