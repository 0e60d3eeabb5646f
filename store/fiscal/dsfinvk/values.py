"""The DSFinV-K's constants and how a value is written: amounts, times, and a cell of a column."""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from store.core.timeutil import to_local
from store.till.models import CashKind
from store.tse import processdata

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
    CashKind.TRANSIT: "Geldtransit",
    CashKind.DIFFERENCE: "DifferenzSollIst",
}
CASE_ORDER = [
    "Anfangsbestand",
    "Umsatz",
    "Anzahlungseinstellung",
    "Anzahlungsaufloesung",
    "Einzahlung",
    "Auszahlung",
    "Geldtransit",
    "DifferenzSollIst",
]


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
    return processdata.log_time(moment) if moment else ""


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
