"""Deposits on reservations in the DSFinV-K export: a deposit taken (Anzahlungseinstellung), counted
in a sale with a delivery line (Anzahlungsaufloesung), refunded and kept; the closing reconciles with
the Z report, and every receipt is exported with the type and amounts it was signed with."""

from collections import defaultdict
from datetime import timedelta

import pytest

from store.core.audit import Actor
from store.core.settings import set_setting
from store.core.timeutil import local_today, utcnow
from store.extensions import db
from store.fiscal import dsfinvk
from store.goods import services as goods
from store.till import services as t
from tests.fiscal.test_dsfinvk import cents, rows, unzip

pytestmark = pytest.mark.clock  # the day's receipts, its closing and the export: one day


class Day:
    pass


@pytest.fixture
def day(app, shop, make_category, take_in):
    s, d = shop, Day()
    furniture = make_category("Möbel", vat_rate_bp=1900)
    d.sofa = take_in(furniture, "Sofa, 3-Sitzer", 15000)[0]
    until = local_today() + timedelta(days=7)
    boss = Actor(user=s.supervisor, source="web", till_id=s.till.id)

    # A deposit of 20 € on the sofa, taken in cash at the till.
    d.reservation = goods.reserve(
        s.actor, d.sofa.code, customer="Nr. 17", until=until, deposit_cents=2000
    )
    db.session.commit()
    d.deposit = t.take_deposit(s.actor, s.till, d.reservation, [t.PaymentIn("cash", 2000)])
    db.session.commit()

    # Two more: one paid back (the store's rule: refund), one kept (rule: keep).
    d.refunded_r = goods.reserve(s.actor, s.items[0].code, customer="A", until=until, deposit_cents=500)
    d.kept_r = goods.reserve(s.actor, s.items[1].code, customer="B", until=until, deposit_cents=300)
    db.session.commit()
    t.take_deposit(s.actor, s.till, d.refunded_r, [t.PaymentIn("card", 500)])
    db.session.commit()
    t.take_deposit(s.actor, s.till, d.kept_r, [t.PaymentIn("cash", 300)])
    db.session.commit()

    # The customer buys the sofa with its number, with a delivery (30 € at 19 %).
    t.add_code(s.actor, s.till, d.reservation.number)
    t.add_delivery(s.actor, s.till)
    d.sale, _ = t.checkout(s.actor, s.till, [t.PaymentIn("cash", 20000)])
    db.session.commit()

    goods.release(boss, d.refunded_r)
    db.session.commit()
    d.refund = t.settle_deposit(s.actor, s.till, d.refunded_r)
    db.session.commit()
    set_setting(Actor.system(), "deposit_on_lapse", "keep")
    goods.lapse_due(Actor.system(), now=utcnow() + timedelta(days=8))
    db.session.commit()
    d.kept = t.settle_deposit(s.actor, s.till, d.kept_r)
    db.session.commit()

    expected = t.expected_cash(t.current_session(s.till))
    d.closing = t.close_session(boss, s.till, counted_cents=expected)
    db.session.commit()
    d.report = d.closing.report
    d.files = unzip(dsfinvk.export_closing(d.closing).file.read())
    return d


def test_the_sale_counts_the_deposit_and_carries_the_delivery(day):
    sale = day.sale
    assert [(line.business_case, line.total_cents) for line in sale.lines] == [
        ("Umsatz", 15000),
        ("Anzahlungsaufloesung", -2000),
        ("Umsatz", 3000),
    ]
    assert sale.total_cents == 16000 and sale.change_cents == 4000
    assert sale.lines[1].ref_sale_id == day.deposit.id and sale.lines[2].service == "delivery"
    db.session.refresh(day.reservation)
    assert (day.reservation.status.value, day.reservation.deposit_state) == ("sold", "used")
    assert day.reservation.deposit_settled_ref == str(sale.id)


def test_the_z_report_shows_the_deposits(day):
    assert day.report["deposits"] == {"taken": 2800, "used": 2000, "refunded": 500, "kept": 300}
    # every receipt: 28 € of deposits, the sale's 160 €, −5 € paid back, 0 € kept
    assert day.report["total_cents"] == 2800 + 16000 - 500 + 0
    kinds = day.report["by_kind"]
    assert kinds["deposit"] == {"count": 3, "total_cents": 2800}
    assert kinds["deposit_refund"] == {"count": 1, "total_cents": -500}
    assert kinds["deposit_kept"] == {"count": 1, "total_cents": 0}


def test_business_cases_and_lines(day):
    files = day.files
    bons = {r["BON_ID"]: r for r in rows(files, "transactions.csv")}
    assert bons[day.deposit.uuid]["BON_NAME"] == "Anzahlung"
    assert bons[day.refund.uuid]["BON_NAME"] == "Anzahlung erstattet"
    assert bons[day.kept.uuid]["BON_NAME"] == "Anzahlung einbehalten"
    assert {bons[s.uuid]["BON_TYP"] for s in (day.deposit, day.refund, day.kept, day.sale)} == {"Beleg"}
    lines = defaultdict(list)
    for r in rows(files, "lines.csv"):
        lines[r["BON_ID"]].append(
            (r["GV_TYP"], cents(r["STK_BR"]) * int(float(r["MENGE"].replace(",", "."))))
        )
    assert lines[day.deposit.uuid] == [("Anzahlungseinstellung", 2000)]
    assert lines[day.sale.uuid] == [("Umsatz", 15000), ("Anzahlungsaufloesung", -2000), ("Umsatz", 3000)]
    assert lines[day.refund.uuid] == [("Anzahlungsaufloesung", -500)]
    assert lines[day.kept.uuid] == [("Anzahlungsaufloesung", -300), ("Umsatz", 300)]
    # deposits carry the VAT of the item (19 %: USt-Schlüssel 1), taken and settled alike
    vat_ids = {(r["BON_ID"], r["POS_ZEILE"]): r["UST_SCHLUESSEL"] for r in rows(files, "lines_vat.csv")}
    assert vat_ids[(day.deposit.uuid, "1")] == vat_ids[(day.sale.uuid, "2")] == "1"
    cases = defaultdict(int)
    for r in rows(files, "businesscases.csv"):
        cases[r["GV_TYP"]] += cents(r["Z_UMS_BRUTTO"])
    assert cases["Anzahlungseinstellung"] == 2800 and cases["Anzahlungsaufloesung"] == -2800
    assert cases["Umsatz"] == 15000 + 3000 + 300


def test_settling_lines_refer_to_the_receipt_that_took_the_deposit(day):
    refs = {(r["BON_ID"], r["POS_ZEILE"]): r for r in rows(day.files, "references.csv")}
    ref = refs[(day.sale.uuid, "2")]
    assert ref["REF_TYP"] == "Transaktion" and ref["REF_BON_ID"] == day.deposit.uuid
    assert ref["REF_Z_KASSE_ID"] == day.closing.till.serial and ref["REF_Z_NR"] == str(
        day.closing.number
    )
    assert refs[(day.refund.uuid, "1")]["REF_BON_ID"] != day.deposit.uuid


def test_the_closing_reconciles_with_the_z_report(day):
    files, report, closing = day.files, day.report, day.closing
    bons = rows(files, "transactions.csv")
    beleg = sum(cents(r["UMS_BRUTTO"]) for r in bons if r["BON_TYP"] == "Beleg")
    cases = defaultdict(int)
    vat = defaultdict(lambda: [0, 0])
    for r in rows(files, "businesscases.csv"):
        cases[r["GV_TYP"]] += cents(r["Z_UMS_BRUTTO"])
        if r["GV_TYP"] in ("Umsatz", "Anzahlungseinstellung", "Anzahlungsaufloesung"):
            vat[r["UST_SCHLUESSEL"]][0] += cents(r["Z_UMS_BRUTTO"])
            vat[r["UST_SCHLUESSEL"]][1] += cents(r["Z_UST"])
    assert beleg == sum(cases.values())
    sales = cases["Umsatz"] + cases["Anzahlungseinstellung"] + cases["Anzahlungsaufloesung"]
    assert sales == report["total_cents"]
    assert dict(vat) == {
        str(dsfinvk.vat_id(r["rate_bp"])): [r["gross_cents"], r["vat_cents"]] for r in report["vat"]
    }
    payments = {
        (r["ZAHLART_TYP"], r["ZAHLART_NAME"]): cents(r["Z_ZAHLART_BETRAG"])
        for r in rows(files, "payment.csv")
    }
    assert payments[("Bar", "Bar")] == closing.counted_cents == 10000 + 2000 + 300 + 16000 - 500
    assert payments[("Unbar", "Karte")] == report["payments"]["card"] == 500


def test_every_receipt_is_exported_with_what_was_signed(day):
    files = day.files
    bons = {r["BON_ID"]: r for r in rows(files, "transactions.csv")}
    for tse in rows(files, "transactions_tse.csv"):
        typ = bons[tse["BON_ID"]]["BON_TYP"]
        if typ != "AVSonstige":
            assert tse["TSE_VORGANGSDATEN"].startswith(typ + "^"), tse
    signed = {r["BON_ID"]: r["TSE_VORGANGSDATEN"] for r in rows(files, "transactions_tse.csv")}
    assert signed[day.deposit.uuid] == "Beleg^20.00_0.00_0.00_0.00_0.00^20.00:Bar"
    assert signed[day.sale.uuid] == "Beleg^160.00_0.00_0.00_0.00_0.00^160.00:Bar"
    assert signed[day.refund.uuid] == "Beleg^-5.00_0.00_0.00_0.00_0.00^-5.00:Bar"
    assert signed[day.kept.uuid].startswith("Beleg^0.00_0.00_0.00_0.00_0.00^")
