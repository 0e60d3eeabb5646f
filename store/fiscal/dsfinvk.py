"""The DSFinV-K export: what the tax office gets on request, for a closing or a date range.

A ZIP with the CSV files of the three modules of the DSFinV-K (version 2.3/2.4 layout) and the
`index.xml` that describes them (GDPdU description standard, DTD gdpdu-01-09-2004.dtd):

- single recording module: transactions, transactions_vat, allocation_groups, datapayment,
  references, transactions_tse, lines, lines_vat, itemamounts, subitems;
- master data module: cashpointclosing, location, cashregister, slaves, pa, vat, tse;
- cash point closing module: businesscases, payment, cash_per_currency.

Every daily closing (Z report) is one cash point closing (Z_KASSE_ID = the till's serial,
Z_ERSTELLUNG, Z_NR); every row carries those three keys. What a closing contains:

- every sale, return and void of its session ("Beleg", voids "AVBelegstorno" with BON_STORNO = 1
  and a reference to the original); training receipts as "AVTraining" (recorded, not summed);
- the float, deposits, withdrawals and the counting difference as receipts with one line each
  (business cases Anfangsbestand, Einzahlung, Auszahlung, DifferenzSollIst, VAT id 5), paid in cash,
  so the cash of the closing adds up to what was counted;
- abandoned carts as "AVBelegabbruch" and the closing's own TSE transaction as "AVSonstige", so every
  TSE transaction of the session has its receipt in transactions_tse.

Line discounts, the entitlement discount and markdowns are price determinations of their line
(itemamounts: base_amount and discount rows), so "Umsatz" is what was actually charged. VAT is
rounded once per rate and receipt, as the receipt prints it; the closing sums the receipts.

Format: `;` between columns, `"` around text where needed, decimal comma with exactly the places the
index declares, UTF-8 without BOM, CRLF after every record, a header row. Times are ISO 8601 in the
store's zone with its UTC offset; the TSE's log times are ISO 8601 in UTC. Texts are written as
recorded: the spreadsheet formula guard of our other CSV downloads would change tax data here.

Every file is one table of column declarations plus a small row generator; one writer turns rows
into CSV and the same declarations into index.xml.
"""

import csv
import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import IO
from xml.sax.saxutils import escape

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _

from store.auth.models import User
from store.core.errors import ConflictError, NotFoundError, ValidationError
from store.core.pricing import vat_of_gross
from store.core.timeutil import local_day_bounds, to_local, utcnow
from store.extensions import db
from store.fiscal import processdata, signing
from store.fiscal.models import FiscalTransaction, TseDevice
from store.fiscal.registration import (
    BRAND,
    MODEL,
    SOFTWARE,
    StoreIdentity,
    active_tse,
    software_version,
    store_identity,
)
from store.fiscal.tse.base import TseError
from store.goods.models import Category
from store.till.models import (
    Cart,
    CashKind,
    CashMovement,
    Closing,
    PaymentMethod,
    Sale,
    SaleKind,
    SaleLine,
    TillSession,
)

# Version of the DFKA taxonomy "Kasse" the data follows (cashpointclosing.TAXONOMIE_VERSION).
TAXONOMY_VERSION = "2.3"
DTD = "gdpdu-01-09-2004.dtd"
CURRENCY = "EUR"
# DSFinV-K VAT ids (USt-Schlüssel) we can produce, with the rate and the standard's description.
VAT_IDS = {
    1: (1900, "Regelsteuersatz"),
    2: (700, "Ermäßigter Steuersatz"),
    3: (1070, "Durchschnittsatz (§ 24 Abs. 1 Nr. 3 UStG)"),
    4: (550, "Durchschnittsatz (§ 24 Abs. 1 Nr. 1 UStG)"),
    5: (0, "Nicht Steuerbar"),
}
# Receipt types that enter no sum of the closing (recorded for the auditor only).
NOT_SUMMED = {"AVTraining", "AVBelegabbruch", "AVSonstige"}
# Business cases of cash movements (DSFinV-K Anhang C) and the order of the closing's rows.
CASH_CASES = {
    CashKind.FLOAT: "Anfangsbestand",
    CashKind.DEPOSIT: "Einzahlung",
    CashKind.WITHDRAWAL: "Auszahlung",
    CashKind.DIFFERENCE: "DifferenzSollIst",
}
CASE_ORDER = ["Anfangsbestand", "Umsatz", "Einzahlung", "Auszahlung", "DifferenzSollIst"]


def vat_id(rate_bp: int) -> int:
    """19 % → 1, 7 % → 2, … (the same slots the TSE's process data uses)."""
    try:
        return processdata.VAT_ID[processdata.SLOT_OF_RATE[rate_bp]]
    except KeyError:
        raise ValueError(f"VAT rate {rate_bp / 100} % has no DSFinV-K id") from None


def euros(cents: int) -> Decimal:
    """Integer cents as an exact decimal amount (only for writing it out)."""
    return Decimal(cents).scaleb(-2)


def local_iso(moment: datetime | None) -> str:
    """'2026-11-25T18:03:12+01:00': the store's local time with its offset."""
    return to_local(moment).replace(microsecond=0).isoformat() if moment else ""


def tse_iso(moment: datetime | None) -> str:
    """'2026-11-25T17:03:12.000Z': a TSE log time in UTC."""
    if moment is None:
        return ""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# ---------------------------------------------------------------- what a closing holds


@dataclass
class BonLine:
    """One position of a receipt, with its VAT share and its price determination."""

    position: int
    text: str
    gv_typ: str
    quantity: int
    gross: int
    rate_bp: int
    vat: int = 0
    art_nr: str = ""
    group_id: str = ""
    group: str = ""
    prices: list[tuple[str, int, int]] = field(default_factory=list)  # (TYP, gross, VAT)

    @property
    def vat_id(self) -> int:
        return vat_id(self.rate_bp)


@dataclass
class BonPayment:
    typ: str  # Bar | Unbar
    name: str
    cents: int


@dataclass
class Reference:
    bon_id: str
    till_serial: str
    closed_at: datetime | None
    number: int | None


@dataclass
class Bon:
    """One "Vorgang" of the closing: a receipt, a cash movement, an aborted cart, the closing."""

    bon_id: str
    number: int | None
    typ: str
    name: str
    start: datetime
    end: datetime
    cashier_id: str
    cashier_name: str
    lines: list[BonLine] = field(default_factory=list)
    payments: list[BonPayment] = field(default_factory=list)
    tx: FiscalTransaction | None = None
    storno: bool = False
    note: str = ""
    reference: Reference | None = None
    order: int = 0

    @property
    def gross(self) -> int:
        return sum(line.gross for line in self.lines)

    @property
    def summed(self) -> bool:
        return self.typ not in NOT_SUMMED

    def vat_rows(self) -> list[tuple[int, int, int]]:
        """(VAT id, gross, VAT) per VAT id, summed from the lines."""
        sums: dict[int, list[int]] = {}
        for line in self.lines:
            row = sums.setdefault(line.vat_id, [0, 0])
            row[0] += line.gross
            row[1] += line.vat
        return [(key, gross, vat) for key, (gross, vat) in sorted(sums.items())]


@dataclass
class ClosingData:
    """Everything one cash point closing exports, read once from the database."""

    closing: Closing
    session: TillSession
    shop: StoreIdentity
    bons: list[Bon]
    devices: list[TseDevice]  # TSE_ID n is devices[n - 1]

    @property
    def keys(self) -> dict:
        return {
            "Z_KASSE_ID": self.closing.till.serial,
            "Z_ERSTELLUNG": local_iso(self.closing.closed_at),
            "Z_NR": self.closing.number,
        }

    def tse_id(self, device_id: int | None) -> int | None:
        for n, device in enumerate(self.devices, start=1):
            if device.id == device_id:
                return n
        return None

    def summed_bons(self) -> list[Bon]:
        return [b for b in self.bons if b.summed]


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


def _who(user: User | None) -> tuple[str, str]:
    if user is None:
        return "", ""
    return str(user.id), f"{user.first_name} ({user.id})"[:50]


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


def _sale_bon(
    sale: Sale, categories: dict[int, str], tx: FiscalTransaction | None, reference: Reference | None
) -> Bon:
    if sale.training:
        typ, name = "AVTraining", "Training"
    elif sale.kind == SaleKind.VOID:
        typ, name = "AVBelegstorno", "Storno"
    elif sale.kind == SaleKind.RETURN:
        typ, name = "Beleg", "Rückgabe"
    else:
        typ, name = "Beleg", "Verkauf"
    lines = [
        BonLine(
            position=line.position,
            text=line.description,
            gv_typ="Umsatz",
            quantity=line.quantity,
            gross=line.total_cents,
            rate_bp=line.vat_rate_bp,
            art_nr=line.code or (f"A{line.article_id}" if line.article_id else ""),
            group_id=str(line.category_id),
            group=categories.get(line.category_id, ""),
        )
        for line in sale.lines
    ]
    _spread_vat(lines)
    for bon_line, line in zip(lines, sale.lines, strict=True):
        bon_line.prices = _price_parts(line, bon_line.vat)
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
        order=1,
    )


def _cash_bon(movement: CashMovement, tx: FiscalTransaction | None) -> Bon:
    case = CASH_CASES[movement.kind]
    text = f"{case}: {movement.reason}" if movement.reason else case
    cashier_id, cashier_name = _who(movement.user)
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


def _load(closing: Closing, categories: dict[int, str], shop: StoreIdentity) -> ClosingData:
    """Every receipt, cash movement, abort and TSE outcome of the closing's session."""
    session = closing.session
    sales = list(
        db.session.scalars(
            sa.select(Sale)
            .where(Sale.session_id == session.id)
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
    movements = list(
        db.session.scalars(
            sa.select(CashMovement)
            .where(CashMovement.session_id == session.id)
            .order_by(CashMovement.id)
        )
    )
    session_txs = {
        tx.receipt_type: tx
        for tx in db.session.scalars(
            sa.select(FiscalTransaction)
            .where(FiscalTransaction.ref_type == "session", FiscalTransaction.ref_id == str(session.id))
            .order_by(FiscalTransaction.id)
        )
    }
    cash_txs = {
        tx.ref_id: tx
        for tx in db.session.scalars(
            sa.select(FiscalTransaction).where(
                FiscalTransaction.ref_type == "cash",
                FiscalTransaction.ref_id.in_([str(m.id) for m in movements] or ["-"]),
            )
        )
    }
    aborted = db.session.execute(
        sa.select(FiscalTransaction, Cart)
        .join(Cart, Cart.uuid == FiscalTransaction.ref_id)
        .where(FiscalTransaction.ref_type == "cart", Cart.session_id == session.id)
        .order_by(FiscalTransaction.id)
    ).all()

    bons = []
    for sale in sales:
        bons.append(_sale_bon(sale, categories, txs_by_sale.get(sale.id), _reference(sale)))
    for movement in movements:
        if movement.kind == CashKind.FLOAT:
            tx = session_txs.get("Anfangsbestand")
        elif movement.kind == CashKind.DIFFERENCE:
            tx = session_txs.get("DifferenzSollIst")
        else:
            tx = cash_txs.get(str(movement.id))
        bons.append(_cash_bon(movement, tx))
    for tx, cart in aborted:
        cashier_id, cashier_name = _who(
            db.session.get(User, cart.cashier_id) if cart.cashier_id else None
        )
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
                tx=tx,
                order=1,
                note="Vorgang abgebrochen; die erfassten Beträge stehen in TSE_VORGANGSDATEN",
            )
        )
    if "Kassenabschluss" in session_txs:
        tx = session_txs["Kassenabschluss"]
        cashier_id, cashier_name = _who(closing.closed_by)
        bons.append(
            Bon(
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
        )
    # The float opens the closing, the counting difference and the closing end it.
    bons.sort(key=lambda b: (b.order, b.end))
    device_ids = sorted({b.tx.device_id for b in bons if b.tx and b.tx.device_id})
    devices = [db.session.get(TseDevice, device_id) for device_id in device_ids]
    return ClosingData(closing=closing, session=session, shop=shop, bons=bons, devices=devices)


def _reference(sale: Sale) -> Reference | None:
    """Where the original of a void or return is: its receipt id and its closing."""
    if sale.reverses_id is None:
        return None
    original = db.session.get(Sale, sale.reverses_id)
    closing = db.session.scalar(sa.select(Closing).where(Closing.session_id == original.session_id))
    return Reference(
        bon_id=original.uuid,
        till_serial=original.till.serial,
        closed_at=closing.closed_at if closing else None,
        number=closing.number if closing else None,
    )


# ---------------------------------------------------------------- the files


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    size: int  # text: MaxLength; number: decimal places
    numeric: bool = False


def txt(name: str, size: int, description: str) -> Column:
    return Column(name, description, size)


def num(name: str, places: int, description: str) -> Column:
    return Column(name, description, places, numeric=True)


KEYS = (
    txt("Z_KASSE_ID", 50, "ID der (Abschluss-) Kasse"),
    txt("Z_ERSTELLUNG", 30, "Zeitpunkt des Kassenabschlusses"),
    num("Z_NR", 0, "Nr. des Kassenabschlusses"),
)
BON_ID = txt("BON_ID", 40, "Vorgangs-ID")
POS_ZEILE = txt("POS_ZEILE", 50, "Zeilennummer")


@dataclass(frozen=True)
class Table:
    """One CSV file: its name, its table in the standard, its columns and its rows."""

    url: str
    name: str
    columns: tuple[Column, ...]
    rows: Callable[[ClosingData], Iterable[dict]]


def no_rows(_data: ClosingData) -> Iterator[dict]:
    return iter(())


# -- master data module


def cashpointclosing_rows(data: ClosingData) -> Iterator[dict]:
    shop, summed = data.shop, data.summed_bons()
    payments = [p for b in summed for p in b.payments]
    booked_on = to_local(data.session.opened_at).date()
    yield {
        "Z_BUCHUNGSTAG": booked_on.isoformat()
        if booked_on != to_local(data.closing.closed_at).date()
        else "",
        "TAXONOMIE_VERSION": TAXONOMY_VERSION,
        "Z_START_ID": data.bons[0].bon_id if data.bons else "",
        "Z_ENDE_ID": data.bons[-1].bon_id if data.bons else "",
        "NAME": shop.name,
        "STRASSE": shop.street,
        "PLZ": shop.postcode,
        "ORT": shop.city,
        "LAND": shop.country,
        "STNR": shop.tax_number,
        "USTID": shop.vat_id,
        "Z_SE_ZAHLUNGEN": euros(sum(p.cents for p in payments)),
        "Z_SE_BARZAHLUNGEN": euros(sum(p.cents for p in payments if p.typ == "Bar")),
    }


def location_rows(data: ClosingData) -> Iterator[dict]:
    shop = data.shop
    yield {
        "LOC_NAME": shop.name,
        "LOC_STRASSE": shop.street,
        "LOC_PLZ": shop.postcode,
        "LOC_ORT": shop.city,
        "LOC_LAND": shop.country,
        "LOC_USTID": shop.vat_id,
    }


def cashregister_rows(data: ClosingData) -> Iterator[dict]:
    yield {
        "KASSE_BRAND": BRAND,
        "KASSE_MODELL": MODEL,
        "KASSE_SERIENNR": data.closing.till.serial,
        "KASSE_SW_BRAND": SOFTWARE,
        "KASSE_SW_VERSION": software_version(),
        "KASSE_BASISWAEH_CODE": CURRENCY,
        "KEINE_UST_ZUORDNUNG": False,
    }


def vat_master_rows(_data: ClosingData) -> Iterator[dict]:
    for key, (rate, description) in VAT_IDS.items():
        yield {"UST_SCHLUESSEL": key, "UST_SATZ": Decimal(rate).scaleb(-2), "UST_BESCHR": description}


CERTIFICATE_PARTS = ("I", "II", "III", "IV", "V")


def tse_rows(data: ClosingData) -> Iterator[dict]:
    for n, device in enumerate(data.devices, start=1):
        certificate = str((device.config or {}).get("certificate", ""))
        row = {
            "TSE_ID": n,
            "TSE_SERIAL": device.serial,
            "TSE_SIG_ALGO": device.algorithm,
            "TSE_ZEITFORMAT": device.time_format,
            "TSE_PD_ENCODING": "UTF-8",
            "TSE_PUBLIC_KEY": device.public_key,
        }
        for i, part in enumerate(CERTIFICATE_PARTS):
            row[f"TSE_ZERTIFIKAT_{part}"] = certificate[i * 1000 : (i + 1) * 1000]
        yield row


# -- cash point closing module


def businesscases_rows(data: ClosingData) -> Iterator[dict]:
    sums: dict[tuple[str, int], list[int]] = {}
    for bon in data.summed_bons():
        for line in bon.lines:
            row = sums.setdefault((line.gv_typ, line.vat_id), [0, 0])
            row[0] += line.gross
            row[1] += line.vat
    for (case, key), (gross, vat) in sorted(
        sums.items(), key=lambda item: (CASE_ORDER.index(item[0][0]), item[0][1])
    ):
        yield {
            "GV_TYP": case,
            "GV_NAME": "",
            "AGENTUR_ID": 0,
            "UST_SCHLUESSEL": key,
            "Z_UMS_BRUTTO": euros(gross),
            "Z_UMS_NETTO": euros(gross - vat),
            "Z_UST": euros(vat),
        }


def payment_rows(data: ClosingData) -> Iterator[dict]:
    sums: dict[tuple[str, str], int] = {}
    for bon in data.summed_bons():
        for p in bon.payments:
            sums[(p.typ, p.name)] = sums.get((p.typ, p.name), 0) + p.cents
    for (typ, name), cents in sorted(sums.items()):
        yield {"ZAHLART_TYP": typ, "ZAHLART_NAME": name, "Z_ZAHLART_BETRAG": euros(cents)}


def cash_per_currency_rows(data: ClosingData) -> Iterator[dict]:
    cash = sum(p.cents for b in data.summed_bons() for p in b.payments if p.typ == "Bar")
    yield {"ZAHLART_WAEH": CURRENCY, "ZAHLART_BETRAG_WAEH": euros(cash)}


# -- single recording module


def transactions_rows(data: ClosingData) -> Iterator[dict]:
    serial = data.closing.till.serial
    for bon in data.bons:
        yield {
            "BON_ID": bon.bon_id,
            "BON_NR": bon.number,
            "BON_TYP": bon.typ,
            "BON_NAME": bon.name,
            "TERMINAL_ID": serial,
            "BON_STORNO": bon.storno,
            "BON_START": local_iso(bon.start),
            "BON_ENDE": local_iso(bon.end),
            "BEDIENER_ID": bon.cashier_id,
            "BEDIENER_NAME": bon.cashier_name,
            "UMS_BRUTTO": euros(bon.gross),
            "BON_NOTIZ": bon.note,
        }


def datapayment_rows(data: ClosingData) -> Iterator[dict]:
    drawer = "1" if data.closing.till.has_drawer else ""
    for bon in data.bons:
        for p in bon.payments:
            yield {
                "BON_ID": bon.bon_id,
                "ZAHLART_TYP": p.typ,
                "ZAHLART_NAME": p.name,
                "ZAHLWAEH_CODE": CURRENCY,
                "ZAHLWAEH_BETRAG": euros(p.cents),
                "BASISWAEH_BETRAG": euros(p.cents),
                "KASSENSCHUBLADENNR": drawer if p.typ == "Bar" else "",
            }


def lines_rows(data: ClosingData) -> Iterator[dict]:
    serial = data.closing.till.serial
    for bon in data.bons:
        for line in bon.lines:
            yield {
                "BON_ID": bon.bon_id,
                "POS_ZEILE": str(line.position),
                "ARTIKELTEXT": line.text,
                "POS_TERMINAL_ID": serial,
                "GV_TYP": line.gv_typ,
                "GV_NAME": "",
                "INHAUS": False,
                "P_STORNO": False,
                "AGENTUR_ID": 0,
                "ART_NR": line.art_nr,
                "WARENGR_ID": line.group_id,
                "WARENGR": line.group,
                "MENGE": line.quantity,
                "FAKTOR": 1,
                "EINHEIT": "Stück",
                "STK_BR": Decimal(line.gross) / Decimal(100 * line.quantity)
                if line.quantity
                else euros(line.gross),
            }


def itemamounts_rows(data: ClosingData) -> Iterator[dict]:
    for bon in data.bons:
        for line in bon.lines:
            for typ, gross, vat in line.prices:
                yield {
                    "BON_ID": bon.bon_id,
                    "POS_ZEILE": str(line.position),
                    "TYP": typ,
                    "UST_SCHLUESSEL": line.vat_id,
                    "PF_BRUTTO": euros(gross),
                    "PF_NETTO": euros(gross - vat),
                    "PF_UST": euros(vat),
                }


def transactions_tse_rows(data: ClosingData) -> Iterator[dict]:
    for bon in data.bons:
        tx = bon.tx
        if tx is None:
            continue
        failed = tx.state != "signed"
        yield {
            "BON_ID": bon.bon_id,
            "TSE_ID": data.tse_id(tx.device_id),
            "TSE_TANR": tx.tx_number,
            "TSE_TA_START": tse_iso(tx.started_at),
            "TSE_TA_ENDE": tse_iso(tx.finished_at),
            "TSE_TA_VORGANGSART": tx.process_type,
            "TSE_TA_SIGZ": tx.signature_counter,
            "TSE_TA_SIG": tx.signature or "",
            "TSE_TA_FEHLER": (
                f"TSE-Ausfall um {local_iso(tx.recorded_at)}: {tx.error or 'unbekannter Fehler'}"
            )
            if failed
            else "",
            "TSE_VORGANGSDATEN": tx.process_data,
        }


def transactions_vat_rows(data: ClosingData) -> Iterator[dict]:
    for bon in data.bons:
        for key, gross, vat in bon.vat_rows():
            yield {
                "BON_ID": bon.bon_id,
                "UST_SCHLUESSEL": key,
                "BON_BRUTTO": euros(gross),
                "BON_NETTO": euros(gross - vat),
                "BON_UST": euros(vat),
            }


def lines_vat_rows(data: ClosingData) -> Iterator[dict]:
    for bon in data.bons:
        for line in bon.lines:
            yield {
                "BON_ID": bon.bon_id,
                "POS_ZEILE": str(line.position),
                "UST_SCHLUESSEL": line.vat_id,
                "POS_BRUTTO": euros(line.gross),
                "POS_NETTO": euros(line.gross - line.vat),
                "POS_UST": euros(line.vat),
            }


def references_rows(data: ClosingData) -> Iterator[dict]:
    for bon in data.bons:
        ref = bon.reference
        if ref is None:
            continue
        yield {
            "BON_ID": bon.bon_id,
            "POS_ZEILE": "",
            "REF_TYP": "Transaktion",
            "REF_NAME": "",
            "REF_DATUM": local_iso(ref.closed_at),
            "REF_Z_KASSE_ID": ref.till_serial,
            "REF_Z_NR": ref.number,
            "REF_BON_ID": ref.bon_id,
        }


AMOUNT = "Bruttoumsatz", "Nettoumsatz", "Umsatzsteuer"

TABLES: tuple[Table, ...] = (
    Table(
        "cashpointclosing.csv",
        "Stamm_Abschluss",
        (
            *KEYS,
            txt("Z_BUCHUNGSTAG", 25, "Vom Erstellungsdatum abweichender Verbuchungstag"),
            txt("TAXONOMIE_VERSION", 10, "Version der DFKA-Taxonomie-Kasse"),
            txt("Z_START_ID", 40, "Erste BON_ID im Abschluss"),
            txt("Z_ENDE_ID", 40, "Letzte BON_ID im Abschluss"),
            txt("NAME", 60, "Name des Unternehmens"),
            txt("STRASSE", 60, "Straße"),
            txt("PLZ", 10, "Postleitzahl"),
            txt("ORT", 62, "Ort"),
            txt("LAND", 3, "Land"),
            txt("STNR", 20, "Steuernummer des Unternehmens"),
            txt("USTID", 15, "USTID"),
            num("Z_SE_ZAHLUNGEN", 2, "Summe aller Zahlungen"),
            num("Z_SE_BARZAHLUNGEN", 2, "Summe aller Barzahlungen"),
        ),
        cashpointclosing_rows,
    ),
    Table(
        "location.csv",
        "Stamm_Orte",
        (
            *KEYS,
            txt("LOC_NAME", 60, "Name des Standortes"),
            txt("LOC_STRASSE", 60, "Straße"),
            txt("LOC_PLZ", 10, "Postleitzahl"),
            txt("LOC_ORT", 62, "Ort"),
            txt("LOC_LAND", 3, "Land"),
            txt("LOC_USTID", 15, "USTID"),
        ),
        location_rows,
    ),
    Table(
        "cashregister.csv",
        "Stamm_Kassen",
        (
            *KEYS,
            txt("KASSE_BRAND", 50, "Marke der Kasse"),
            txt("KASSE_MODELL", 50, "Modellbezeichnung"),
            txt("KASSE_SERIENNR", 70, "Seriennummer der Kasse"),
            txt("KASSE_SW_BRAND", 50, "Markenbezeichnung der Software"),
            txt("KASSE_SW_VERSION", 50, "Version der Software"),
            txt("KASSE_BASISWAEH_CODE", 3, "Basiswährung der Kasse"),
            txt("KEINE_UST_ZUORDNUNG", 1, "UmsatzsteuerNichtErmittelbar (bei späterem Zahlungseingang)"),
        ),
        cashregister_rows,
    ),
    Table(
        "slaves.csv",
        "Stamm_Terminals",
        (
            *KEYS,
            txt("TERMINAL_ID", 50, "ID des Terminals"),
            txt("TERMINAL_BRAND", 50, "Marke der Terminals"),
            txt("TERMINAL_MODELL", 50, "Modellbezeichnung des Terminals"),
            txt("TERMINAL_SERIENNR", 70, "Seriennummer des Terminals"),
            txt("TERMINAL_SW_BRAND", 50, "Markenbezeichnung der Software"),
            txt("TERMINAL_SW_VERSION", 50, "Version der Software"),
        ),
        no_rows,
    ),
    Table(
        "pa.csv",
        "Stamm_Agenturen",
        (
            *KEYS,
            num("AGENTUR_ID", 0, "ID der Agentur"),
            txt("AGENTUR_NAME", 60, "Name des Auftraggebers"),
            txt("AGENTUR_STRASSE", 60, "Straße"),
            txt("AGENTUR_PLZ", 10, "Postleitzahl"),
            txt("AGENTUR_ORT", 62, "Ort"),
            txt("AGENTUR_LAND", 3, "Land"),
            txt("AGENTUR_STNR", 20, "Steuernummer des Auftraggebers"),
            txt("AGENTUR_USTID", 15, "USTID des Auftraggebers"),
        ),
        no_rows,
    ),
    Table(
        "tse.csv",
        "Stamm_TSE",
        (
            *KEYS,
            num(
                "TSE_ID",
                0,
                "ID der TSE - wird nur zur Referenzierung innerhalb eines Kassenabschlusses verwendet",
            ),
            txt(
                "TSE_SERIAL",
                68,
                "Seriennummer der TSE (Entspricht laut TR-03153 Abschnitt 7.5. "
                "dem Hashwert des im Zertifikat enthaltenen Schlüssels in "
                "Octet-String-Darstellung)",
            ),
            txt("TSE_SIG_ALGO", 21, "Der von der TSE verwendete Signaturalgorithmus"),
            txt(
                "TSE_ZEITFORMAT",
                31,
                "Das von der TSE verwendete Format für die Log-Time - "
                "'unixTime', 'utcTime' = YYMMDDhhmmZ, 'utcTimeWithSeconds' = "
                "YYMMDDhhmmssZ, 'generalizedTime' = YYYYMMDDhhmmssZ, "
                "'generalizedTimeWithMilliseconds' = YYYYMMDDhhmmss.fffZ",
            ),
            txt("TSE_PD_ENCODING", 5, "Das Text-Encoding der ProcessData (UTF-8 oder ASCII)"),
            txt(
                "TSE_PUBLIC_KEY",
                512,
                "Öffentlicher Schlüssel - extrahiert aus dem Zertifikat der TSE - in base64-Codierung",
            ),
            txt(
                "TSE_ZERTIFIKAT_I",
                1000,
                "Erste 1000 Zeichen des base64-codierten Zertifikats der TSE (in base64-Codierung)",
            ),
            *(
                txt(
                    f"TSE_ZERTIFIKAT_{part}",
                    1000,
                    "Ggf. Rest des base64-codierten Zertifikats der TSE (in base64-Codierung)",
                )
                for part in CERTIFICATE_PARTS[1:]
            ),
        ),
        tse_rows,
    ),
    Table(
        "vat.csv",
        "Stamm_USt",
        (
            *KEYS,
            num("UST_SCHLUESSEL", 0, "ID des Umsatzsteuersatzes"),
            num("UST_SATZ", 2, "Prozentsatz"),
            txt("UST_BESCHR", 55, "Beschreibung"),
        ),
        vat_master_rows,
    ),
    Table(
        "businesscases.csv",
        "Z_GV_Typ",
        (
            *KEYS,
            txt("GV_TYP", 30, "Geschäftsvorfall-Art"),
            txt("GV_NAME", 40, "Name des Geschäftsvorfalls"),
            num("AGENTUR_ID", 0, "ID der Agentur"),
            num("UST_SCHLUESSEL", 0, "ID des USt-Satzes"),
            num("Z_UMS_BRUTTO", 5, AMOUNT[0]),
            num("Z_UMS_NETTO", 5, AMOUNT[1]),
            num("Z_UST", 5, AMOUNT[2]),
        ),
        businesscases_rows,
    ),
    Table(
        "payment.csv",
        "Z_Zahlart",
        (
            *KEYS,
            txt("ZAHLART_TYP", 25, "Typ der Zahlart"),
            txt("ZAHLART_NAME", 60, "Name der Zahlart"),
            num("Z_ZAHLART_BETRAG", 2, "Betrag"),
        ),
        payment_rows,
    ),
    Table(
        "cash_per_currency.csv",
        "Z_Waehrungen",
        (*KEYS, txt("ZAHLART_WAEH", 3, "Währung"), num("ZAHLART_BETRAG_WAEH", 2, "Betrag")),
        cash_per_currency_rows,
    ),
    Table(
        "transactions.csv",
        "Bonkopf",
        (
            *KEYS,
            BON_ID,
            num("BON_NR", 0, "Bonnummer"),
            txt("BON_TYP", 30, "Bontyp"),
            txt("BON_NAME", 60, "Zusatz-Beschreibung zum Bontyp"),
            txt("TERMINAL_ID", 50, "ID des Erfassungsterminals"),
            txt("BON_STORNO", 1, "Storno-Kennzeichen"),
            txt("BON_START", 30, "Zeitpunkt des Vorgangsstarts"),
            txt("BON_ENDE", 30, "Zeitpunkt der Vorgangsbeendigung"),
            txt("BEDIENER_ID", 50, "Bediener-ID"),
            txt("BEDIENER_NAME", 50, "Bediener-Name"),
            num("UMS_BRUTTO", 2, "Brutto-Gesamtumsatz"),
            txt("KUNDE_NAME", 50, "Name des Leistungsempfängers"),
            txt("KUNDE_ID", 50, "Kundennummer des Leistungsempfängers"),
            txt("KUNDE_TYP", 50, "Art des Leistungsempfängers (z. B. Mitarbeiter)"),
            txt("KUNDE_STRASSE", 60, "Straße und Hausnummer des Leistungsempfängers"),
            txt("KUNDE_PLZ", 10, "PLZ des Leistungsempfängers"),
            txt("KUNDE_ORT", 62, "Ort des Leistungsempfängers"),
            txt("KUNDE_LAND", 3, "Land des Leistungsempfängers"),
            txt("KUNDE_USTID", 15, "UStID des Leistungsempfängers"),
            txt("BON_NOTIZ", 255, "Zusätzliche Informationen zum Bonkopf"),
        ),
        transactions_rows,
    ),
    Table(
        "datapayment.csv",
        "Bonkopf_Zahlarten",
        (
            *KEYS,
            BON_ID,
            txt("ZAHLART_TYP", 25, "Typ der Zahlart"),
            txt("ZAHLART_NAME", 60, "Name der Zahlart"),
            txt("ZAHLWAEH_CODE", 3, "Währungscode"),
            num("ZAHLWAEH_BETRAG", 2, "Betrag in Fremdwährung"),
            num("BASISWAEH_BETRAG", 2, "Betrag in Basiswährung (i.d.R. EUR)"),
            txt("KASSENSCHUBLADENNR", 40, "Nummer der Kassenschublade"),
        ),
        datapayment_rows,
    ),
    Table(
        "lines.csv",
        "Bonpos",
        (
            *KEYS,
            BON_ID,
            POS_ZEILE,
            txt("GUTSCHEIN_NR", 50, "Gutschein-Nr."),
            txt("ARTIKELTEXT", 255, "Artikeltext"),
            txt("POS_TERMINAL_ID", 50, "ID des POS-Terminals"),
            txt("GV_TYP", 30, "Geschäftsvorfall-Art"),
            txt("GV_NAME", 40, "Name des Geschäftsvorfalls"),
            txt("INHAUS", 1, "Verzehr an Ort und Stelle"),
            txt("P_STORNO", 1, "Positionsstorno-Kennzeichnung"),
            num("AGENTUR_ID", 0, "ID der Agentur"),
            txt("ART_NR", 50, "Artikelnummer"),
            txt("GTIN", 50, "GTIN"),
            txt("WARENGR_ID", 40, "Warengruppen-ID"),
            txt("WARENGR", 50, "Bezeichnung Warengruppe"),
            num("MENGE", 3, "Menge"),
            num("FAKTOR", 3, "Faktor, z. B. Gebindegrößen"),
            txt("EINHEIT", 50, "Maßeinheit, z. B. kg, Liter oder Stück"),
            num("STK_BR", 5, "Preis pro Einheit inkl. USt"),
        ),
        lines_rows,
    ),
    Table(
        "itemamounts.csv",
        "Bonpos_Preisfindung",
        (
            *KEYS,
            BON_ID,
            POS_ZEILE,
            txt("TYP", 20, "Basispreis, Rabatt oder Zuschlag"),
            num("UST_SCHLUESSEL", 0, "ID des USt-Satzes"),
            num("PF_BRUTTO", 5, AMOUNT[0]),
            num("PF_NETTO", 5, AMOUNT[1]),
            num("PF_UST", 5, AMOUNT[2]),
        ),
        itemamounts_rows,
    ),
    Table(
        "subitems.csv",
        "Bonpos_Zusatzinfo",
        (
            *KEYS,
            BON_ID,
            POS_ZEILE,
            txt("ZI_ART_NR", 50, "Artikelnummer"),
            txt("ZI_GTIN", 50, "GTIN"),
            txt("ZI_NAME", 60, "Artikelbezeichnung"),
            txt("ZI_WARENGR_ID", 40, "Warengruppen-ID"),
            txt("ZI_WARENGR", 50, "Bezeichnung Warengruppe"),
            num("ZI_MENGE", 3, "Menge"),
            num("ZI_FAKTOR", 3, "Faktor, z. B. Gebindegrößen"),
            txt("ZI_EINHEIT", 50, "Maßeinheit, z. B. kg, Liter oder Stück"),
            num("ZI_UST_SCHLUESSEL", 0, "ID USt-Satz des Basispreises"),
            num("ZI_BASISPREIS_BRUTTO", 5, "Basispreis brutto"),
            num("ZI_BASISPREIS_NETTO", 5, "Basispreis netto"),
            num("ZI_BASISPREIS_UST", 5, "Basispreis USt"),
        ),
        no_rows,
    ),
    Table(
        "transactions_tse.csv",
        "TSE_Transaktionen",
        (
            *KEYS,
            BON_ID,
            num("TSE_ID", 0, "Die Id der für eine Transaktion verwendeten TSE"),
            num("TSE_TANR", 0, "Die Transaktionsnummer der TSE-Transaktion"),
            txt("TSE_TA_START", 30, "Die Log-Time der StartTransaction-Operation"),
            txt("TSE_TA_ENDE", 30, "Die Log-Time der FinishTransaction-Operation"),
            txt("TSE_TA_VORGANGSART", 30, "Der processType der FinishTransaction-Operation"),
            num("TSE_TA_SIGZ", 0, "Der Signaturzähler der FinishTransaction-Operation"),
            txt("TSE_TA_SIG", 512, "Die Signatur der FinishTransaction-Operation"),
            txt("TSE_TA_FEHLER", 200, "Beschreibung des TSE-Ausfalls oder Fehlers"),
            txt(
                "TSE_VORGANGSDATEN",
                1000,
                "An die zertifizierte technische Sicherheitseinrichtung "
                "übergebene Daten des Vorgangs (optional)",
            ),
        ),
        transactions_tse_rows,
    ),
    Table(
        "transactions_vat.csv",
        "Bonkopf_USt",
        (
            *KEYS,
            BON_ID,
            num("UST_SCHLUESSEL", 0, "ID des USt-Satzes"),
            num("BON_BRUTTO", 5, AMOUNT[0]),
            num("BON_NETTO", 5, AMOUNT[1]),
            num("BON_UST", 5, AMOUNT[2]),
        ),
        transactions_vat_rows,
    ),
    Table(
        "lines_vat.csv",
        "Bonpos_USt",
        (
            *KEYS,
            BON_ID,
            POS_ZEILE,
            num("UST_SCHLUESSEL", 0, "ID des USt-Satzes"),
            num("POS_BRUTTO", 5, AMOUNT[0]),
            num("POS_NETTO", 5, AMOUNT[1]),
            num("POS_UST", 5, AMOUNT[2]),
        ),
        lines_vat_rows,
    ),
    Table(
        "allocation_groups.csv",
        "Bonkopf_AbrKreis",
        (*KEYS, BON_ID, txt("ABRECHNUNGSKREIS", 50, "z. B. Tischnummer")),
        no_rows,
    ),
    Table(
        "references.csv",
        "Bon_Referenzen",
        (
            *KEYS,
            BON_ID,
            txt(
                "POS_ZEILE",
                50,
                "Zeilennummer des referenzierenden Vorgangs (nicht "
                "bei Verweis aus einem Bonkopf heraus)",
            ),
            txt("REF_TYP", 20, "Art der Referenz"),
            txt("REF_NAME", 40, "Beschreibung bei Art “ExterneSonstige”"),
            txt("REF_DATUM", 30, "Datum des Kassenabschlusses"),
            txt("REF_Z_KASSE_ID", 50, "ID der (Abschluss-) Kasse"),
            num("REF_Z_NR", 0, "Nr. des Kassenabschlusses"),
            txt("REF_BON_ID", 40, "Vorgangs-ID"),
        ),
        references_rows,
    ),
)


# ---------------------------------------------------------------- writing


def cell(column: Column, value) -> str:
    """One value as the index declares its column: decimal comma, exact places, max length."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if column.numeric:
        exponent = Decimal(1).scaleb(-column.size)
        return f"{Decimal(value).quantize(exponent, rounding=ROUND_HALF_UP):f}".replace(".", ",")
    text = " ".join(str(value).split()) if any(c in str(value) for c in "\r\n\t") else str(value)
    return text[: column.size]


class CsvSink:
    """One CSV file of the export, filled closing by closing (spills to disk when large)."""

    def __init__(self, table: Table):
        self.table = table
        self.file = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024, mode="w+b")
        self.text = io.TextIOWrapper(self.file, encoding="utf-8", newline="")
        self.writer = csv.writer(
            self.text, delimiter=";", quotechar='"', lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
        )
        self.writer.writerow([c.name for c in table.columns])
        self.count = 0

    def add(self, data: ClosingData) -> None:
        keys = data.keys
        for row in self.table.rows(data):
            values = {**keys, **row}
            self.writer.writerow([cell(c, values.get(c.name)) for c in self.table.columns])
            self.count += 1

    def copy_to(self, out: IO[bytes]) -> None:
        self.text.flush()
        self.file.seek(0)
        shutil.copyfileobj(self.file, out)
        self.text.close()


def index_xml(shop: StoreIdentity, comment: str) -> str:
    """The GDPdU description of every file (what the auditor's software reads first)."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<!DOCTYPE DataSet SYSTEM "{DTD}">',
        "<DataSet>",
        "  <Version>1.0</Version>",
        "  <DataSupplier>",
        f"    <Name>{escape(shop.name)}</Name>",
        f"    <Location>{escape(shop.address)}</Location>",
        f"    <Comment>{escape(comment)}</Comment>",
        "  </DataSupplier>",
        "  <Media>",
        "    <Name>DSFinV-K</Name>",
    ]
    for table in TABLES:
        out += [
            "    <Table>",
            f"      <URL>{table.url}</URL>",
            f"      <Name>{table.name}</Name>",
            f"      <Description>{table.url}</Description>",
            "      <UTF8 />",
            "      <DecimalSymbol>,</DecimalSymbol>",
            "      <DigitGroupingSymbol>.</DigitGroupingSymbol>",
            "      <Range>",
            "        <From>2</From>",
            "      </Range>",
            "      <VariableLength>",
            "        <ColumnDelimiter>;</ColumnDelimiter>",
            "        <RecordDelimiter>&#xD;&#xA;</RecordDelimiter>",
            '        <TextEncapsulator>"</TextEncapsulator>',
        ]
        for column in table.columns:
            out += [
                "        <VariableColumn>",
                f"          <Name>{column.name}</Name>",
                f"          <Description>{escape(column.description)}</Description>",
            ]
            if not column.numeric:
                out += ["          <AlphaNumeric />", f"          <MaxLength>{column.size}</MaxLength>"]
            elif column.size:
                out += [
                    "          <Numeric>",
                    f"            <Accuracy>{column.size}</Accuracy>",
                    "          </Numeric>",
                ]
            else:
                out.append("          <Numeric />")
            out.append("        </VariableColumn>")
        out += ["      </VariableLength>", "    </Table>"]
    out += ["  </Media>", "</DataSet>", ""]
    return "\r\n".join(out)


@dataclass
class Export:
    """A finished export: the ZIP (a file object at position 0) and what went into it."""

    file: IO[bytes]
    filename: str
    closings: list[int]
    rows: dict[str, int]


def closings_between(start: date, end: date) -> list[Closing]:
    """Every daily closing made on these days (store time), per till in number order."""
    if start > end:
        raise ValidationError(_("The start date must not be after the end date."), field="from")
    since, until = local_day_bounds(start)[0], local_day_bounds(end)[1]
    return list(
        db.session.scalars(
            sa.select(Closing)
            .where(Closing.closed_at >= since, Closing.closed_at < until)
            .order_by(Closing.till_id, Closing.number)
        )
    )


def write_export(closings: list[Closing], out: IO[bytes], *, comment: str) -> dict[str, int]:
    """Write the ZIP of these closings to `out`; returns the number of data rows per file."""
    shop = store_identity()
    categories = {c.id: c.path for c in db.session.scalars(sa.select(Category))}
    sinks = [CsvSink(table) for table in TABLES]
    for closing in closings:
        data = _load(closing, categories, shop)
        for sink in sinks:
            sink.add(data)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.xml", index_xml(shop, comment).encode("utf-8"))
        for sink in sinks:
            with archive.open(sink.table.url, "w") as member:
                sink.copy_to(member)
    return {sink.table.url: sink.count for sink in sinks}


def _export(closings: list[Closing], filename: str, comment: str) -> Export:
    file = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024, mode="w+b")
    rows = write_export(closings, file, comment=comment)
    file.seek(0)
    return Export(file, filename, [c.id for c in closings], rows)


def export_range(start: date, end: date) -> Export:
    """The DSFinV-K export of every closing from `start` to `end` (store time, both included)."""
    closings = closings_between(start, end)
    comment = (
        f"DSFinV-K-Export {SOFTWARE} {software_version()}, Kassenabschlüsse vom "
        f"{start.isoformat()} bis {end.isoformat()}"
    )
    return _export(closings, f"dsfinvk_{start.isoformat()}_{end.isoformat()}.zip", comment)


def export_closing(closing: Closing) -> Export:
    """The DSFinV-K export of one daily closing."""
    comment = (
        f"DSFinV-K-Export {SOFTWARE} {software_version()}, Kassenabschluss "
        f"{closing.number} der Kasse {closing.till.serial}"
    )
    day = to_local(closing.closed_at).date().isoformat()
    return _export([closing], f"dsfinvk_{closing.till.serial}_Z{closing.number}_{day}.zip", comment)


def tse_export(device: TseDevice | None = None) -> tuple[str, bytes]:
    """The TSE's own export (a TAR), which the tax office gets next to the DSFinV-K export."""
    device = device or active_tse()
    if device is None:
        raise NotFoundError(_("No TSE is set up."))
    try:
        data = signing.backend(device).export()
    except TseError as error:
        raise ConflictError(_("The TSE export failed: %(error)s", error=str(error))) from None
    stamp = to_local(utcnow()).strftime("%Y%m%d-%H%M%S")
    return f"tse_export_{device.backend}_{device.serial[:16]}_{stamp}.tar", data
