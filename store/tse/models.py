"""The TSE in use and every transaction it signed (or failed to sign).

A transaction names the till and the sale it signed by id only (foreign keys by table name): the TSE
sits below the till and imports nothing of it.
"""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.core.types import UTCDateTime
from store.extensions import db


class TseDevice(db.Model):
    """A TSE: the software simulator (demo, tests) or a fiskaly SIGN DE cloud TSE."""

    __tablename__ = "tse_device"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    backend: so.Mapped[str] = so.mapped_column(sa.String(16))  # simulator | fiskaly
    serial: so.Mapped[str] = so.mapped_column(sa.String(128), unique=True)
    public_key: so.Mapped[str] = so.mapped_column(sa.Text)
    algorithm: so.Mapped[str] = so.mapped_column(sa.String(40))
    time_format: so.Mapped[str] = so.mapped_column(sa.String(16))
    certified: so.Mapped[bool] = so.mapped_column(default=False)
    # fiskaly: api_key, tss_id, base_url (the secret comes from the environment); simulator: the
    # private key PEM (demo only — a real TSE never gives its key away).
    config: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    # Simulator counters, raised with UPDATE … SET n = n + 1 inside the booking's transaction.
    last_tx_number: so.Mapped[int] = so.mapped_column(default=0)
    last_signature_counter: so.Mapped[int] = so.mapped_column(default=0)
    in_service_on: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    out_of_service_on: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    is_active: so.Mapped[bool] = so.mapped_column(default=True)


class FiscalTransaction(db.Model):
    """One TSE transaction as it ended: signed, aborted, or failed. Never changed or deleted."""

    __tablename__ = "fiscal_transaction"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    device_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("tse_device.id"))
    till_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("till.id"), index=True)
    client_serial: so.Mapped[str] = so.mapped_column(sa.String(40))
    tx_id: so.Mapped[str] = so.mapped_column(sa.String(36), unique=True)
    tx_number: so.Mapped[int | None]
    process_type: so.Mapped[str] = so.mapped_column(sa.String(30))
    # What the TSE signed (fiskaly: read back from its answer), which the export shows.
    process_data: so.Mapped[str] = so.mapped_column(sa.Text)
    # Set only when the TSE signed other process data than we sent: what we sent (flagged).
    sent_process_data: so.Mapped[str | None] = so.mapped_column(sa.Text)
    receipt_type: so.Mapped[str] = so.mapped_column(sa.String(30))
    started_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    finished_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    signature_counter: so.Mapped[int | None]
    signature: so.Mapped[str | None] = so.mapped_column(sa.Text)
    algorithm: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    time_format: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    public_key: so.Mapped[str | None] = so.mapped_column(sa.Text)
    tse_serial: so.Mapped[str | None] = so.mapped_column(sa.String(128))
    qr_code_data: so.Mapped[str | None] = so.mapped_column(sa.Text)
    # failed: the TSE could not sign; the booking went on (DSFinV-K TSE_TA_FEHLER).
    state: so.Mapped[str] = so.mapped_column(sa.String(16))  # signed | failed
    error: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    # What was signed: a sale (receipt), a cash movement, an opening or closing, an aborted cart.
    sale_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("sale.id"), index=True)
    ref_type: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    ref_id: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    recorded_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)

    device: so.Mapped[TseDevice | None] = so.relationship()


class SimulatorStart(db.Model):
    """A transaction start that the simulator signed, kept as a TSE keeps its log: the export signs
    its log message again from these fields (deterministic ECDSA gives the same signature), so the
    TAR holds every start, also of a transaction that never finished. A real TSE keeps its own."""

    __tablename__ = "tse_simulator_start"

    device_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("tse_device.id"), primary_key=True)
    signature_counter: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    tx_number: so.Mapped[int]
    client_serial: so.Mapped[str] = so.mapped_column(sa.String(40))
    started_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
