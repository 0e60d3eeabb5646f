"""Printers and the print queue."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.branches.models import BranchOwned
from store.core.types import UTCDateTime
from store.extensions import db


class JobStatus(StrEnum):
    PENDING = "pending"  # waiting for the worker (first try or a retry)
    PRINTING = "printing"  # a worker has it right now
    DONE = "done"
    FAILED = "failed"  # gave up after PRINT_MAX_ATTEMPTS; a supervisor can re-send


class Printer(BranchOwned, db.Model):
    """A receipt or label printer, and how to reach it (python-escpos backend or virtual)."""

    __tablename__ = "printer"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    backend: so.Mapped[str] = so.mapped_column(sa.String(16))  # see hardware.BACKENDS
    # Backend settings: host/port, vendor_id/product_id, device/baudrate, printer_name.
    params: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    # Cheap clones differ in which code page has the € sign; CP858 is the common one.
    codepage: so.Mapped[str] = so.mapped_column(sa.String(16), default="CP858")
    # Characters per line in the normal font: 48 for 80 mm paper, 32 for 58 mm.
    columns: so.Mapped[int] = so.mapped_column(default=48)
    is_active: so.Mapped[bool] = so.mapped_column(default=True)


class PrintJob(db.Model):
    """One document for one printer: the exact ESC/POS bytes, and how sending them went."""

    __tablename__ = "print_job"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    printer_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("printer.id"), index=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))  # receipt | label | report | test
    title: so.Mapped[str] = so.mapped_column(sa.String(120))
    payload: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary)
    status: so.Mapped[JobStatus] = so.mapped_column(
        sa.Enum(JobStatus, native_enum=False, length=16, values_callable=lambda e: [s.value for s in e]),
        index=True,
    )
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    last_error: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    claimed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    printed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # What the job is about, e.g. ("sale", "42"), to find and reprint it.
    ref_type: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    ref_id: so.Mapped[str | None] = so.mapped_column(sa.String(64))

    printer: so.Mapped[Printer] = so.relationship()

    __table_args__ = (sa.Index("ix_print_job_ref", "ref_type", "ref_id"),)
