"""What one cash point closing holds: its receipts ("Vorgänge") with their lines, payments and
references, read once from the database (see load)."""

from dataclasses import dataclass, field
from datetime import datetime

from store.fiscal.dsfinvk.values import NOT_SUMMED, local_iso, vat_id
from store.fiscal.registration import StoreIdentity
from store.till.models import Closing, TillSession
from store.tse.models import FiscalTransaction, TseDevice


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
    line_references: list[tuple[int, Reference]] = field(default_factory=list)  # (POS_ZEILE, ref)
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
    # The place of business of the closing's till (its branch): location.csv.
    location: StoreIdentity | None = None

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
