"""Reading a daily closing from the database: every receipt, cash movement, aborted cart and TSE
outcome of its session, as the receipts of one cash point closing."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.core.pricing import vat_of_gross
from store.extensions import db
from store.fiscal.dsfinvk.closing import Bon, BonLine, BonPayment, ClosingData, Reference
from store.fiscal.dsfinvk.values import CASH_CASES
from store.fiscal.registration import StoreIdentity
from store.till.models import (
    Cart,
    CashKind,
    CashMovement,
    Closing,
    PaymentMethod,
    Sale,
    SaleKind,
    SaleLine,
    VoidedLine,
)
from store.tse.models import FiscalTransaction, TseDevice


def _spread_vat(lines: list[BonLine]) -> None:
    """VAT per line, so that per rate the lines add up to the receipt's VAT (rounded once)."""
    by_rate: dict[int, list[BonLine]] = {}
    for line in lines:
        by_rate.setdefault(line.rate_bp, []).append(line)
    for rate, group in by_rate.items():
        total = vat_of_gross(sum(line.gross for line in group), rate)
        for line in group:
            line.vat = vat_of_gross(line.gross, rate)
        rest = total - sum(line.vat for line in group)
        if rest:
            max(group, key=lambda line: abs(line.gross)).vat += rest


def _price_parts(line: SaleLine, vat: int) -> list[tuple[str, int, int]]:
    """Base price, markdown and discounts of a line (empty when nothing changed the price)."""
    quantity = line.quantity
    parts = [("base_amount", line.label_price_cents * quantity)]
    for amount in (
        (line.unit_price_cents - line.label_price_cents) * quantity,
        -line.discount_cents,
        -line.eligibility_discount_cents,
    ):
        if amount:
            parts.append(("discount", amount))
    rest = line.total_cents - sum(amount for _typ, amount in parts)
    if rest and len(parts) > 1:
        typ, amount = parts[-1]
        parts[-1] = (typ, amount + rest)  # a partial return's rounding stays with its discount
    elif rest:
        parts.append(("discount" if (rest < 0) == (quantity > 0) else "extra_amount", rest))
    if len(parts) == 1:
        return []
    rows, vat_left = [], vat
    for n, (typ, amount) in enumerate(parts):
        share = vat_left if n == len(parts) - 1 else vat_of_gross(amount, line.vat_rate_bp)
        vat_left -= share
        rows.append((typ, amount, share))
    return rows


def _who(user_id: int | None) -> tuple[str, str]:
    """BEDIENER_ID and BEDIENER_NAME as fixed at booking: the cashier's number, which the receipt
    prints too (as a sale's cashier_label). A name would change when the retention run removes it,
    and an old closing exported again would differ."""
    if user_id is None:
        return "", ""
    return str(user_id), str(user_id)


PAYMENT_TYPES = {
    PaymentMethod.CASH: ("Bar", "Bar"),
    PaymentMethod.CARD: ("Unbar", "Karte"),
    PaymentMethod.VOUCHER: ("Unbar", "Gutschein"),
}


def _payments(sale: Sale) -> list[BonPayment]:
    sums: dict[tuple[str, str], int] = {}
    for p in sale.payments:
        typ, name = PAYMENT_TYPES[p.method]
        if p.method == PaymentMethod.VOUCHER and p.voucher_issuer:
            name = f"{name} {p.voucher_issuer}"[:60]
        sums[(typ, name)] = sums.get((typ, name), 0) + p.amount_cents
    return [BonPayment(typ, name, cents) for (typ, name), cents in sums.items()]


def _voided_lines(voided: list[VoidedLine], categories: dict[int, str], first: int) -> list[BonLine]:
    """Each line taken off before payment, then its counter-line with negative quantity and amounts
    (DSFinV-K 2.4, 4.2.3 "Stornierung von Positionen", the second way: P_STORNO may not be used once
    the TSE transaction has signatures, and ours has one from the first scan). They add up to zero,
    so the receipt's totals stay what the TSE signed."""
    lines = []
    for v in voided:
        for sign in (1, -1):
            lines.append(
                BonLine(
                    position=first + len(lines),
                    text=v.description if sign > 0 else f"Storno: {v.description}"[:120],
                    gv_typ="Umsatz",
                    quantity=sign * v.quantity,
                    gross=sign * v.total_cents,
                    rate_bp=v.vat_rate_bp,
                    art_nr=v.code or (f"A{v.article_id}" if v.article_id else ""),
                    group_id=str(v.category_id),
                    group=categories.get(v.category_id, ""),
                )
            )
    return lines


# DSFinV-K 2.4, Anhang C: deposits are receipts (Beleg) whose lines carry the business cases
# Anzahlungseinstellung and Anzahlungsaufloesung; BON_NAME says which.
BON_NAMES = {
    SaleKind.DEPOSIT: "Anzahlung",
    SaleKind.DEPOSIT_REFUND: "Anzahlung erstattet",
    SaleKind.DEPOSIT_KEPT: "Anzahlung einbehalten",
}


def _sale_bon(
    sale: Sale,
    categories: dict[int, str],
    tx: FiscalTransaction | None,
    reference: Reference | None,
    line_references: dict[int, list[tuple[int, Reference]]],
    voided: list[VoidedLine] = (),
) -> Bon:
    if sale.training:
        typ, name = "AVTraining", "Training"
    elif sale.kind == SaleKind.VOID:
        # DSFinV-K 2.4, 2.3 "Storno": a later void is a receipt of its own (Beleg) with negative
        # amounts, BON_STORNO = 1 and a reference to the original (references.csv).
        typ, name = "Beleg", "Storno"
    elif sale.kind == SaleKind.RETURN:
        typ, name = "Beleg", "Rückgabe"
    else:
        typ, name = "Beleg", BON_NAMES.get(sale.kind, "Verkauf")
    lines = [
        BonLine(
            position=line.position,
            text=line.description,
            gv_typ=line.business_case,
            quantity=line.quantity,
            gross=line.total_cents,
            rate_bp=line.vat_rate_bp,
            art_nr=line.code or (f"A{line.article_id}" if line.article_id else ""),
            group_id=str(line.category_id),
            group=categories.get(line.category_id, ""),
        )
        for line in sale.lines
    ]
    removed = _voided_lines(list(voided), categories, len(lines) + 1)
    _spread_vat(lines + removed)
    for bon_line, line in zip(lines, sale.lines, strict=True):
        bon_line.prices = _price_parts(line, bon_line.vat)
    lines += removed
    return Bon(
        bon_id=sale.uuid,
        number=sale.receipt_number,
        typ=typ,
        name=name,
        start=sale.started_at,
        end=sale.created_at,
        cashier_id=str(sale.cashier_id or ""),
        cashier_name=sale.cashier_label,
        lines=lines,
        payments=_payments(sale),
        tx=tx,
        storno=sale.kind == SaleKind.VOID,
        note=sale.reason or "",
        reference=reference,
        line_references=line_references.get(sale.id, []),
        order=1,
    )


def _cash_bon(movement: CashMovement, tx: FiscalTransaction | None) -> Bon:
    case = CASH_CASES[movement.kind]
    text = f"{case}: {movement.reason}" if movement.reason else case
    cashier_id, cashier_name = _who(movement.user_id)
    order = {CashKind.FLOAT: 0, CashKind.DIFFERENCE: 2}.get(movement.kind, 1)
    return Bon(
        bon_id=f"cash-{movement.id}",
        number=None,
        typ="Beleg",
        name=case,
        start=movement.at,
        end=movement.at,
        cashier_id=cashier_id,
        cashier_name=cashier_name,
        lines=[
            BonLine(
                position=1, text=text, gv_typ=case, quantity=1, gross=movement.amount_cents, rate_bp=0
            )
        ],
        payments=[BonPayment("Bar", "Bar", movement.amount_cents)],
        tx=tx,
        order=order,
    )


def load(
    closing: Closing,
    categories: dict[int, str],
    shop: StoreIdentity,
    location: StoreIdentity | None = None,
) -> ClosingData:
    """Every receipt, cash movement, abort and TSE outcome of the closing's session."""
    session = closing.session
    session_txs = _session_txs(session.id)
    bons = _sale_bons(session.id, categories)
    bons += _cash_bons(session.id, session_txs)
    bons += _aborted_bons(session.id, categories)
    if "Kassenabschluss" in session_txs:
        bons.append(_closing_bon(closing, session_txs["Kassenabschluss"]))
    # The float opens the closing, the counting difference and the closing end it.
    bons.sort(key=lambda b: (b.order, b.end))
    device_ids = sorted({b.tx.device_id for b in bons if b.tx and b.tx.device_id})
    devices = [db.session.get(TseDevice, device_id) for device_id in device_ids]
    return ClosingData(
        closing=closing, session=session, shop=shop, bons=bons, devices=devices, location=location
    )


def _session_txs(session_id: int) -> dict[str, FiscalTransaction]:
    """The TSE transactions of the session itself (opening, difference, closing), by receipt type."""
    return {
        tx.receipt_type: tx
        for tx in db.session.scalars(
            sa.select(FiscalTransaction)
            .where(FiscalTransaction.ref_type == "session", FiscalTransaction.ref_id == str(session_id))
            .order_by(FiscalTransaction.id)
        )
    }


def _sale_bons(session_id: int, categories: dict[int, str]) -> list[Bon]:
    sales = list(
        db.session.scalars(
            sa.select(Sale)
            .where(Sale.session_id == session_id)
            .order_by(Sale.id)
            .options(so.selectinload(Sale.lines), so.selectinload(Sale.payments))
        )
    )
    txs_by_sale: dict[int, FiscalTransaction] = {}
    if sales:
        for tx in db.session.scalars(
            sa.select(FiscalTransaction)
            .where(FiscalTransaction.sale_id.in_([s.id for s in sales]))
            .order_by(FiscalTransaction.id)
        ):
            txs_by_sale[tx.sale_id] = tx  # the last outcome counts, as signing.for_sale reads it
    voided = _voided_by_cart(session_id)
    line_references = _line_references(sales)
    return [
        _sale_bon(
            sale,
            categories,
            txs_by_sale.get(sale.id),
            _reference(sale),
            line_references,
            voided.get(sale.uuid, []),
        )
        for sale in sales
    ]


def _voided_by_cart(session_id: int) -> dict[str, list[VoidedLine]]:
    """The session's lines taken off receipts or left in abandoned carts, by receipt id."""
    voided: dict[str, list[VoidedLine]] = {}
    for v in db.session.scalars(
        sa.select(VoidedLine).where(VoidedLine.session_id == session_id).order_by(VoidedLine.id)
    ):
        voided.setdefault(v.cart_uuid, []).append(v)
    return voided


def _line_references(sales: list[Sale]) -> dict[int, list[tuple[int, Reference]]]:
    """A deposit counted, refunded or kept refers, from its line, to the receipt that took it (as
    DSFinV-K 2.4, Anhang C asks for Anzahlungsaufloesung: REF_TYP Transaktion, the closing and
    receipt of the deposit)."""
    refs: dict[int, list[tuple[int, Reference]]] = {}
    for sale in sales:
        for line in sale.lines:
            if line.ref_sale_id is not None:
                original = db.session.get(Sale, line.ref_sale_id)
                refs.setdefault(sale.id, []).append((line.position, _reference_to(original)))
    return refs


def _cash_bons(session_id: int, session_txs: dict[str, FiscalTransaction]) -> list[Bon]:
    movements = list(
        db.session.scalars(
            sa.select(CashMovement)
            .where(CashMovement.session_id == session_id)
            .order_by(CashMovement.id)
        )
    )
    cash_txs = {
        tx.ref_id: tx
        for tx in db.session.scalars(
            sa.select(FiscalTransaction).where(
                FiscalTransaction.ref_type == "cash",
                FiscalTransaction.ref_id.in_([str(m.id) for m in movements] or ["-"]),
            )
        )
    }
    bons = []
    for movement in movements:
        tx = cash_txs.get(str(movement.id))
        if tx is None and movement.kind in (CashKind.FLOAT, CashKind.DIFFERENCE):
            # Sessions before 2026-12 signed the float and the difference under the session.
            tx = session_txs.get(CASH_CASES[movement.kind])
        bons.append(_cash_bon(movement, tx))
    return bons


def _aborted_bons(session_id: int, categories: dict[int, str]) -> list[Bon]:
    """Abandoned carts as AVBelegabbruch with their positions and counter-lines (total 0,00, signed
    as AVBelegabbruch^0.00_0.00_0.00_0.00_0.00^); carts abandoned before 2026-12 have no positions."""
    aborted = db.session.execute(
        sa.select(FiscalTransaction, Cart)
        .join(Cart, Cart.uuid == FiscalTransaction.ref_id)
        .where(FiscalTransaction.ref_type == "cart", Cart.session_id == session_id)
        .order_by(FiscalTransaction.id)
    ).all()
    voided = _voided_by_cart(session_id) if aborted else {}
    bons = []
    for tx, cart in aborted:
        cashier_id, cashier_name = _who(cart.cashier_id)
        lines = _voided_lines(voided.get(cart.uuid, []), categories, 1)
        _spread_vat(lines)
        bons.append(
            Bon(
                bon_id=cart.uuid,
                number=None,
                typ="AVBelegabbruch",
                name="Abbruch",
                start=cart.started_at,
                end=tx.recorded_at,
                cashier_id=cashier_id,
                cashier_name=cashier_name,
                lines=lines,
                tx=tx,
                order=1,
                note="Vorgang abgebrochen",
            )
        )
    return bons


def _closing_bon(closing: Closing, tx: FiscalTransaction) -> Bon:
    cashier_id, cashier_name = _who(closing.closed_by_id)
    return Bon(
        bon_id=f"z-{closing.id}",
        number=None,
        typ="AVSonstige",
        name="Kassenabschluss",
        start=closing.closed_at,
        end=closing.closed_at,
        cashier_id=cashier_id,
        cashier_name=cashier_name,
        tx=tx,
        order=3,
        note=f"Z-Bon Nr. {closing.number}",
    )


def _reference(sale: Sale) -> Reference | None:
    """Where the original of a void or return is: its receipt id and its closing."""
    if sale.reverses_id is None:
        return None
    return _reference_to(db.session.get(Sale, sale.reverses_id))


def _reference_to(original: Sale) -> Reference:
    closing = db.session.scalar(sa.select(Closing).where(Closing.session_id == original.session_id))
    return Reference(
        bon_id=original.uuid,
        till_serial=original.till.serial,
        closed_at=closing.closed_at if closing else None,
        number=closing.number if closing else None,
    )
