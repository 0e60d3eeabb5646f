"""The till's office pages through HTTP: opening, cash, closing, receipts, voids, returns, tills."""

import uuid

import sqlalchemy as sa

from store.auth.models import LoginAttempt
from store.core.audit import Actor
from store.extensions import db
from store.goods.models import ItemStatus
from store.printing.models import PrintJob
from store.till import services as t
from store.till.models import CashKind, CashMovement, Closing, Sale, SaleKind, Till, TillSession


def sell(shop, *items, tendered=None):
    """A committed cash sale of the given items."""
    for item in items:
        t.add_code(shop.actor, shop.till, item.code)
    total = sum(item.price_cents for item in items)
    sale, _created = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", tendered or total)])
    db.session.commit()
    return sale


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def jobs(kind: str, ref: tuple[str, str] | None = None) -> list[PrintJob]:
    db.session.expire_all()
    query = sa.select(PrintJob).where(PrintJob.kind == kind).order_by(PrintJob.id)
    if ref:
        query = query.where(PrintJob.ref_type == ref[0], PrintJob.ref_id == ref[1])
    return list(db.session.scalars(query))


def new_till(name="Kasse 2", serial="K2-0002", printer_id=None) -> Till:
    till = t.save_till(Actor.system(), None, name=name, serial=serial, receipt_printer_id=printer_id)
    db.session.commit()
    return till


# ---------------------------------------------------------------- opening and cash


def test_open_page_books_the_float_by_denomination(shop, client, login):
    till = new_till()
    login(shop.cashier)
    assert client.get(f"/till/{till.id}/open").status_code == 200
    counts = {"n5000": "2", "n200": "3", "n50": "1", "n1": ""}
    # "Add up" shows the sum and books nothing
    page = client.post(f"/till/{till.id}/open", data={**counts, "action": "check"})
    assert page.status_code == 200 and "106,50" in page.get_data(as_text=True)
    assert count(TillSession, TillSession.till_id == till.id) == 0

    response = client.post(f"/till/{till.id}/open", data={**counts, "action": "book"})
    assert response.status_code == 302
    session = db.session.scalar(sa.select(TillSession).where(TillSession.till_id == till.id))
    assert session.float_cents == 2 * 5000 + 3 * 200 + 50
    assert session.float_counts == {"5000": 2, "200": 3, "50": 1}
    assert session.opened_by_id == shop.cashier.id
    db.session.refresh(till)
    assert till.current_session_id == session.id

    again = client.post(f"/till/{till.id}/open", data={"total": "50"})
    assert again.status_code == 200
    assert "flash-error" in again.get_data(as_text=True)
    assert count(TillSession, TillSession.till_id == till.id) == 1


def test_open_with_a_typed_sum_or_nothing(shop, client, login):
    till = new_till()
    login(shop.cashier)
    empty = client.post(f"/till/{till.id}/open", data={"total": ""})
    assert empty.status_code == 200 and 'class="error"' in empty.get_data(as_text=True)
    assert count(TillSession, TillSession.till_id == till.id) == 0
    assert client.post(f"/till/{till.id}/open", data={"total": "75,20"}).status_code == 302
    session = db.session.scalar(sa.select(TillSession).where(TillSession.till_id == till.id))
    assert session.float_cents == 7520 and session.float_counts is None


def test_deposit_and_withdrawal_need_a_reason(shop, client, login):
    login(shop.cashier)
    url = f"/till/{shop.till.id}/cash"
    assert client.get(url).status_code == 200
    refused = client.post(url, data={"kind": "withdrawal", "amount": "20", "reason": ""})
    assert refused.status_code == 200 and 'class="error"' in refused.get_data(as_text=True)
    assert count(CashMovement, CashMovement.kind == CashKind.WITHDRAWAL) == 0

    assert (
        client.post(url, data={"kind": "withdrawal", "amount": "20", "reason": "Zur Bank"}).status_code
        == 302
    )
    assert (
        client.post(
            url, data={"kind": "deposit", "amount": "12,50", "reason": "Wechselgeld"}
        ).status_code
        == 302
    )
    rows = db.session.scalars(
        sa.select(CashMovement)
        .where(CashMovement.kind.in_([CashKind.DEPOSIT, CashKind.WITHDRAWAL]))
        .order_by(CashMovement.id)
    ).all()
    assert [(m.kind, m.amount_cents, m.reason) for m in rows] == [
        (CashKind.WITHDRAWAL, -2000, "Zur Bank"),
        (CashKind.DEPOSIT, 1250, "Wechselgeld"),
    ]
    assert t.expected_cash(t.current_session(shop.till)) == 10000 - 2000 + 1250
    assert len(jobs("drawer")) == 2  # the drawer opened each time
    too_much = client.post(url, data={"kind": "withdrawal", "amount": "500", "reason": "x"})
    assert too_much.status_code == 200
    assert count(CashMovement, CashMovement.kind == CashKind.WITHDRAWAL) == 1


def test_cash_page_of_a_closed_till_says_so(shop, client, login):
    till = new_till()
    login(shop.cashier)
    response = client.get(f"/till/{till.id}/cash")
    assert response.status_code == 409
    assert f"/till/{till.id}/open" in response.get_data(as_text=True)


# ---------------------------------------------------------------- X report and closing


def test_trainee_may_not_close_or_see_reports(shop, client, login):
    login(shop.cashier)
    assert client.get(f"/till/{shop.till.id}/close").status_code == 403
    assert client.post(f"/till/{shop.till.id}/close", data={"total": "100"}).status_code == 403
    assert client.get(f"/till/{shop.till.id}/x-report").status_code == 403
    assert client.get("/closings").status_code == 403
    assert count(Closing) == 0


def test_x_report_page_and_print(shop, client, login):
    sell(shop, shop.items[0])
    login(shop.supervisor)
    page = client.get(f"/till/{shop.till.id}/x-report")
    assert page.status_code == 200 and "12,50" in page.get_data(as_text=True)
    assert client.post(f"/till/{shop.till.id}/x-report/print").status_code == 302
    [job] = jobs("report")
    assert b"Kasse 1" in job.payload
    assert t.current_session(shop.till)  # an X report closes nothing


def test_supervisor_closes_with_a_difference_and_a_reason(shop, client, login):
    sell(shop, shop.items[0])  # expected: 100,00 float + 12,50
    login(shop.supervisor)
    page = client.get(f"/till/{shop.till.id}/close")
    assert page.status_code == 200 and "112,50" in page.get_data(as_text=True)
    counts = {"n10000": "1", "n1000": "1", "n200": "1", "n20": "2"}  # 112,40
    checked = client.post(f"/till/{shop.till.id}/close", data={**counts, "action": "check"})
    assert checked.status_code == 200 and count(Closing) == 0

    response = client.post(
        f"/till/{shop.till.id}/close", data={**counts, "reason": "Münze verloren", "action": "book"}
    )
    assert response.status_code == 302
    closing = db.session.scalar(sa.select(Closing))
    assert response.headers["Location"].endswith(f"/closings/{closing.id}")
    assert (closing.number, closing.expected_cents, closing.counted_cents, closing.difference_cents) == (
        1,
        11250,
        11240,
        -10,
    )
    assert closing.counted == {"10000": 1, "1000": 1, "200": 1, "20": 2}
    assert closing.difference_reason == "Münze verloren"
    assert closing.report["number"] == 1 and closing.report["difference_cents"] == -10
    db.session.refresh(shop.till)
    assert shop.till.current_session_id is None
    [job] = jobs("report", ("closing", str(closing.id)))
    assert job.status.value == "done"  # printed after the commit

    shown = client.get(f"/closings/{closing.id}")
    assert shown.status_code == 200 and "112,40" in shown.get_data(as_text=True)
    assert "Münze verloren" in shown.get_data(as_text=True)
    listing = client.get("/closings")
    assert listing.status_code == 200
    assert f"/closings/{closing.id}" in listing.get_data(as_text=True)
    assert client.post(f"/closings/{closing.id}/print").status_code == 302
    assert len(jobs("report", ("closing", str(closing.id)))) == 2
    # a closed till cannot be closed twice
    assert client.get(f"/till/{shop.till.id}/close").status_code == 409


def test_closing_with_a_difference_but_no_reason_books_nothing(shop, client, login):
    login(shop.supervisor)
    response = client.post(f"/till/{shop.till.id}/close", data={"total": "99,00"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'id="reason"' in body and 'class="error"' in body
    assert count(Closing) == 0
    assert count(CashMovement, CashMovement.kind == CashKind.DIFFERENCE) == 0
    db.session.refresh(shop.till)
    assert shop.till.current_session_id is not None
    exact = client.post(f"/till/{shop.till.id}/close", data={"total": "100"})
    assert exact.status_code == 302 and count(Closing) == 1


def test_coordinator_reads_closings(shop, client, login, make_user):
    closing = t.close_session(shop.actor, shop.till, counted_cents=10000)
    db.session.commit()
    login(make_user("coordinator"))
    assert client.get("/closings").status_code == 200
    assert client.get(f"/closings/{closing.id}").status_code == 200
    assert client.get(f"/till/{shop.till.id}/close").status_code == 403


# ---------------------------------------------------------------- receipts


def test_sales_list_and_sale_page(shop, client, login):
    sale = sell(shop, shop.items[0])
    login(shop.cashier)
    listing = client.get(f"/sales?till={shop.till.id}")
    assert listing.status_code == 200 and f"/sales/{sale.id}" in listing.get_data(as_text=True)
    page = client.get(f"/sales/{sale.id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and shop.items[0].code in body and "Jacke" in body
    assert f"/sales/{sale.id}/void" not in body  # a trainee sees no void form
    assert client.get("/sales/999999").status_code == 404


def test_reprint_queues_a_marked_copy(shop, client, login):
    sale = sell(shop, shop.items[0])
    login(shop.cashier)
    assert client.post(f"/sales/{sale.id}/reprint").status_code == 302
    receipts = jobs("receipt", ("sale", str(sale.id)))
    assert len(receipts) == 2
    assert b"KOPIE" in receipts[1].payload or b"COPY" in receipts[1].payload
    assert b"KOPIE" not in receipts[0].payload and b"COPY" not in receipts[0].payload


def test_void_with_the_supervisors_badge(shop, client, login):
    sale = sell(shop, shop.items[0], tendered=2000)
    login(shop.supervisor)
    response = client.post(f"/sales/{sale.id}/void", data={"reason": "Fehlbon", "badge": "9000001"})
    assert response.status_code == 302
    void = db.session.scalar(sa.select(Sale).where(Sale.kind == SaleKind.VOID))
    assert void.reverses_id == sale.id and void.total_cents == -1250
    assert void.confirmed_by_id == shop.supervisor.id and void.reason == "Fehlbon"
    assert response.headers["Location"].endswith(f"/sales/{void.id}")
    db.session.refresh(shop.items[0])
    assert shop.items[0].status == ItemStatus.IN_STOCK
    assert jobs("receipt", ("sale", str(void.id)))
    original = client.get(f"/sales/{sale.id}").get_data(as_text=True)
    assert f"/sales/{void.id}" in original  # linked from the original
    assert f"/sales/{sale.id}/void" not in original  # and no second void offered


def test_void_with_pin(shop, client, login, make_user):
    sale = sell(shop, shop.items[0])
    login(make_user("admin"))
    response = client.post(
        f"/sales/{sale.id}/void",
        data={"reason": "Falscher Artikel", "user_id": str(shop.supervisor.id), "pin": "9001"},
    )
    assert response.status_code == 302
    assert count(Sale, Sale.kind == SaleKind.VOID) == 1


def test_void_is_refused_with_a_trainees_or_unknown_badge(shop, client, login):
    sale = sell(shop, shop.items[0])
    login(shop.supervisor)
    trainee = client.post(f"/sales/{sale.id}/void", data={"reason": "x", "badge": "1000001"})
    assert trainee.status_code == 200 and 'class="error"' in trainee.get_data(as_text=True)
    failed_before = count(LoginAttempt, LoginAttempt.success.is_(False))
    unknown = client.post(f"/sales/{sale.id}/void", data={"reason": "x", "badge": "0000-0"})
    assert unknown.status_code == 200
    # the failed scan is kept: it counts towards the lock
    assert count(LoginAttempt, LoginAttempt.success.is_(False)) == failed_before + 1
    nothing = client.post(f"/sales/{sale.id}/void", data={"reason": "x"})
    assert nothing.status_code == 200
    assert count(Sale, Sale.kind == SaleKind.VOID) == 0
    db.session.refresh(shop.items[0])
    assert shop.items[0].status == ItemStatus.SOLD


def test_void_needs_an_open_till(shop, client, login):
    sale = sell(shop, shop.items[0])
    t.close_session(shop.actor, shop.till, counted_cents=11250)
    db.session.commit()
    login(shop.supervisor)
    response = client.post(f"/sales/{sale.id}/void", data={"reason": "x", "badge": "9000001"})
    assert response.status_code == 200 and "flash-error" in response.get_data(as_text=True)
    assert count(Sale, Sale.kind == SaleKind.VOID) == 0


def test_return_of_one_line(shop, client, login):
    sale = sell(shop, shop.items[0], shop.items[1])
    first, second = sale.lines
    login(shop.supervisor)
    too_many = client.post(
        f"/sales/{sale.id}/return",
        data={f"qty-{second.id}": "2", "reason": "kaputt", "target": "write_off"},
    )
    assert too_many.status_code == 200
    assert count(Sale, Sale.kind == SaleKind.RETURN) == 0
    response = client.post(
        f"/sales/{sale.id}/return",
        data={
            f"qty-{first.id}": "0",
            f"qty-{second.id}": "1",
            "reason": "Reißverschluss kaputt",
            "target": "write_off",
        },
    )
    assert response.status_code == 302
    back = db.session.scalar(sa.select(Sale).where(Sale.kind == SaleKind.RETURN))
    assert back.reverses_id == sale.id and back.total_cents == -1250
    assert [(line.reverses_line_id, line.quantity) for line in back.lines] == [(second.id, -1)]
    db.session.refresh(shop.items[1])
    db.session.refresh(shop.items[0])
    assert shop.items[1].status == ItemStatus.WRITTEN_OFF
    assert shop.items[0].status == ItemStatus.SOLD
    page = client.get(f"/sales/{sale.id}").get_data(as_text=True)
    assert f'name="qty-{first.id}"' in page and f'name="qty-{second.id}"' not in page


def test_public_e_receipt(shop, client):
    sale = sell(shop, shop.items[0])
    response = client.get(f"/receipt/{sale.receipt_token}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "12,50" in body and "Jacke" in body and "noindex" in body
    assert "Sozialkaufhaus Teststadt" in body
    assert client.get(f"/receipt/{uuid.uuid4()}").status_code == 404
    assert client.get(f"/receipt/{sale.id}").status_code == 404  # never by the guessable id
    assert client.get(f"/receipt/{sale.uuid}").status_code == 404  # nor by the id the client chose


# ---------------------------------------------------------------- admin: tills


def test_admin_creates_and_edits_a_till(shop, client, login, make_user):
    login(make_user("admin"))
    printer_id = shop.till.receipt_printer_id
    listing = client.get("/admin/tills")
    assert listing.status_code == 200 and "Kasse 1" in listing.get_data(as_text=True)
    assert client.get("/admin/tills/new").status_code == 200
    response = client.post(
        "/admin/tills/new",
        data={
            "name": "Kasse 2",
            "serial": "K2-0002",
            "location": "Möbelhalle",
            "receipt_printer_id": str(printer_id),
            "label_printer_id": "",
            "has_drawer": "y",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    till = db.session.scalar(sa.select(Till).where(Till.name == "Kasse 2"))
    assert (
        till.serial,
        till.location,
        till.receipt_printer_id,
        till.label_printer_id,
        till.has_drawer,
        till.is_active,
    ) == ("K2-0002", "Möbelhalle", printer_id, None, True, True)
    clash = client.post("/admin/tills/new", data={"name": "Kasse 2", "serial": "K2-0003"})
    assert clash.status_code == 200 and count(Till) == 2
    edited = client.post(
        f"/admin/tills/{till.id}",
        data={
            "name": "Kasse 2",
            "serial": "K2-0002",
            "location": "Halle",
            "receipt_printer_id": "",
            "label_printer_id": "",
        },
    )
    assert edited.status_code == 302
    db.session.refresh(till)
    assert (till.location, till.receipt_printer_id, till.has_drawer, till.is_active) == (
        "Halle",
        None,
        False,
        False,
    )


def test_tiles_lead_to_the_office_pages(shop, client, login, make_user):
    login(make_user("admin"))
    home = client.get("/").get_data(as_text=True)
    for path in ("/sales", "/closings", "/admin/tills"):
        assert f'href="{path}"' in home
