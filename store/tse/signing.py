"""Signing bookings with the TSE, as the till calls it. A TSE failure never stops a sale.

The till starts a transaction at the first scan (`start`) and records it when the sale is paid,
voided or the cart abandoned (`record`); openings, cash movements and closings are signed as
"SonstigerVorgang" (`other_receipt`). Every outcome is one FiscalTransaction row.
"""

import logging
import uuid
from datetime import datetime

import sqlalchemy as sa

from store.core.rows import insert_now
from store.core.timeutil import as_utc
from store.extensions import db
from store.tse import devices, processdata
from store.tse.backends.base import Receipt, Started, TseError
from store.tse.devices import backend
from store.tse.models import FiscalTransaction

log = logging.getLogger(__name__)

active_device = devices.active_device  # callers and tests ask signing for the TSE in service

KASSENBELEG = "Kassenbeleg-V1"
SONSTIGER = "SonstigerVorgang"


def start(client_serial: str) -> tuple[Started | None, str | None]:
    """Start a transaction (first scan). Returns (started, None) or (None, error)."""
    device = devices.current()
    if device is None:
        return None, "no TSE is set up"
    try:
        return backend(device).start(client_serial, str(uuid.uuid4())), None
    except TseError as error:
        log.warning("TSE start failed: %s", error)
        return None, str(error)[:500]


def receipt_for(
    receipt_type: str, vat_rows: list[tuple[int, int]], cash_cents: int, non_cash_cents: int
) -> Receipt:
    """The Kassenbeleg-V1 receipt of a sale, void, return, training sale or aborted cart."""
    slots = processdata.vat_slots(vat_rows)
    data = processdata.kassenbeleg(receipt_type, slots, cash_cents, non_cash_cents)
    payments = {k: v for k, v in (("CASH", cash_cents), ("NON_CASH", non_cash_cents)) if v}
    return Receipt(KASSENBELEG, data, receipt_type, slots, payments)


def cash_receipt(amount_cents: int) -> Receipt:
    """A cash movement (float, deposit, withdrawal, Geldtransit, counting difference) as the receipt
    it is exported as: a Beleg, not taxable (VAT slot 5), paid in cash (DSFinV-K 2.4, Anhang C)."""
    return receipt_for("Beleg", [(0, amount_cents)], amount_cents, 0)


def other_receipt(business_case: str, amount_cents: int) -> Receipt:
    """SonstigerVorgang: opening float, deposits, withdrawals, closing, differences."""
    data = f"{business_case}^{processdata.amount(amount_cents)}"
    return Receipt(SONSTIGER, data, business_case, {}, {})


def record(
    till_id: int,
    client_serial: str,
    receipt: Receipt,
    *,
    started: Started | None = None,
    start_error: str | None = None,
    sale_id: int | None = None,
    ref: tuple[str, str] | None = None,
    tx_id: str | None = None,
    retry: bool = False,
    now: datetime | None = None,
) -> FiscalTransaction:
    """Finish (or start and finish) the transaction and keep the outcome, signed or failed.

    The sale path calls it after the booking has committed, so no lock is held while the TSE answers
    (`tx_id`: the id derived from the sale, the same on a retry; `retry`: the recovery step, which
    may repeat a call made before a crash: the TSE answers it as it did)."""
    now = as_utc(now)
    device = devices.current()
    row = FiscalTransaction(
        device_id=device.id if device else None,
        till_id=till_id,
        client_serial=client_serial,
        tx_id=started.tx_id if started else (tx_id or str(uuid.uuid4())),
        tx_number=started.number if started else None,
        process_type=receipt.process_type,
        process_data=receipt.process_data,
        receipt_type=receipt.receipt_type,
        started_at=started.started_at if started else None,
        sale_id=sale_id,
        ref_type=ref[0] if ref else None,
        ref_id=str(ref[1]) if ref else None,
        recorded_at=now,
        state="failed",
        error=start_error,
    )
    if device is None:
        row.error = "no TSE is set up"
    else:
        _sign(row, backend(device, retry=retry), client_serial, started, receipt)
    row.device_certified = bool(device and device.certified)
    return insert_now(row)  # a duplicate (the same sale signed twice) is refused here


def _sign(row: FiscalTransaction, tse, client_serial: str, started, receipt: Receipt) -> None:
    try:
        if receipt.receipt_type == "AVBelegabbruch":
            started = started or tse.start(client_serial, row.tx_id)
            done = tse.cancel(client_serial, started, receipt)
        elif started is None and hasattr(tse, "sign"):
            done = tse.sign(client_serial, row.tx_id, receipt)
        else:
            started = started or tse.start(client_serial, row.tx_id)
            done = tse.finish(client_serial, started, receipt)
    except TseError as error:
        log.warning("TSE finish failed: %s", error)
        row.error = str(error)[:500]
        if started is not None:
            row.tx_number, row.started_at = started.number, started.started_at
        return
    row.state, row.error = "signed", None  # a failed start may succeed now
    row.tx_id, row.tx_number = done.tx_id, done.number
    row.started_at, row.finished_at = done.started_at, done.finished_at
    row.signature_counter, row.signature = done.signature_counter, done.signature
    row.algorithm, row.time_format = done.algorithm, done.time_format
    row.public_key, row.tse_serial = done.public_key, done.tse_serial
    row.qr_code_data = done.qr_code_data
    _keep_signed_data(row, done)


def _keep_signed_data(row: FiscalTransaction, done) -> None:
    """Keep what the TSE signed, not what we sent; if they differ, keep ours beside it and say so
    (the export shows the TSE's; supervisors see the warning)."""
    signed_type = done.process_type or row.process_type
    signed_data = done.process_data if done.process_data is not None else row.process_data
    if (signed_type, signed_data) == (row.process_type, row.process_data):
        return
    log.error(
        "TSE transaction %s: the TSE signed %s %r, we sent %s %r",
        row.tx_id,
        signed_type,
        signed_data,
        row.process_type,
        row.process_data,
    )
    row.sent_process_data = f"{row.process_type};{row.process_data}"
    row.process_type, row.process_data = signed_type, signed_data


def for_sale(sale_id: int) -> FiscalTransaction | None:
    return db.session.scalar(
        sa.select(FiscalTransaction)
        .where(FiscalTransaction.sale_id == sale_id)
        .order_by(FiscalTransaction.id.desc())
        .limit(1)
    )


def recent_mismatches(since: datetime) -> list[FiscalTransaction]:
    """Transactions whose signed process data differ from what the till sent."""
    return list(
        db.session.scalars(
            sa.select(FiscalTransaction)
            .where(
                FiscalTransaction.sent_process_data.is_not(None),
                FiscalTransaction.recorded_at >= since,
            )
            .order_by(FiscalTransaction.id)
        )
    )


def recent_failures(since: datetime) -> list[FiscalTransaction]:
    return list(
        db.session.scalars(
            sa.select(FiscalTransaction)
            .where(FiscalTransaction.state == "failed", FiscalTransaction.recorded_at >= since)
            .order_by(FiscalTransaction.id)
        )
    )
