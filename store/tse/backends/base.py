"""What every TSE backend offers: start, update, finish and cancel transactions, clients, export."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class TseError(Exception):
    """The TSE did not answer or refused. Selling goes on; the failure is recorded."""


@dataclass(frozen=True)
class TseInfo:
    backend: str  # simulator | fiskaly
    serial: str  # the TSE's serial number (hex of the public key hash on real TSEs)
    public_key: str  # base64
    algorithm: str  # e.g. ecdsa-plain-SHA256
    time_format: str  # unixTime or utcTime
    certified: bool  # False for the simulator: "not certified — demo only"


@dataclass(frozen=True)
class Started:
    tx_id: str  # our id for the transaction (a UUID), as fiskaly addresses it
    number: int  # the TSE's transaction number (gapless per TSE)
    started_at: datetime


@dataclass(frozen=True)
class Receipt:
    """What the TSE signs at the end: the DSFinV-K process data and its parts for fiskaly."""

    process_type: str  # Kassenbeleg-V1 | SonstigerVorgang
    process_data: str  # e.g. Beleg^12.50_0.00_0.00_0.00_0.00^12.50:Bar
    receipt_type: str  # Beleg | AVTraining | AVBelegstorno | AVBelegabbruch | …
    vat: dict  # slot name → amount in cents (NORMAL, REDUCED_1, SPECIAL_RATE_1, SPECIAL_RATE_2, NULL)
    payments: dict  # CASH / NON_CASH → amount in cents


@dataclass(frozen=True)
class Finished:
    tx_id: str
    number: int
    started_at: datetime
    finished_at: datetime
    signature_counter: int
    signature: str  # base64
    algorithm: str
    time_format: str
    public_key: str
    tse_serial: str
    client_serial: str
    qr_code_data: str
    # What the TSE says it signed, when it says so (fiskaly: read from its QR code data); None when
    # it signs exactly what it was sent (the simulator).
    process_type: str | None = None
    process_data: str | None = None


class Tse(Protocol):
    def info(self) -> TseInfo: ...

    def register_client(self, client_id: str) -> None: ...

    def start(self, client_id: str, tx_id: str) -> Started: ...

    def update(self, client_id: str, started: Started, process_data: str) -> None: ...

    def finish(self, client_id: str, started: Started, receipt: Receipt) -> Finished: ...

    def cancel(self, client_id: str, started: Started, receipt: Receipt) -> Finished: ...

    def export(self) -> bytes: ...
