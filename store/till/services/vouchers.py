"""Vouchers to invoice: what each issuer owes for the vouchers taken in a month."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from store.core.timeutil import local_month_bounds, local_today
from store.extensions import db
from store.till.models import Payment, PaymentMethod, Sale


@dataclass
class VoucherRow:
    at: datetime
    till: str
    receipt_number: int
    number: str
    amount_cents: int
    kind: str


def voucher_report(year: int, month: int) -> dict[str, list[VoucherRow]]:
    """Vouchers taken in a month, per issuer: what the shop invoices to each issuer.

    Refunds of voided or returned sales appear as negative rows, so the sum is what is owed.
    """
    start, end = local_month_bounds(year, month)
    rows = db.session.execute(
        sa.select(Payment, Sale)
        .join(Sale, Sale.id == Payment.sale_id)
        .where(
            Payment.method == PaymentMethod.VOUCHER,
            Sale.created_at >= start,
            Sale.created_at < end,
            Sale.training.is_(False),
        )
        .order_by(Payment.voucher_issuer, Sale.created_at)
    ).all()
    report: dict[str, list[VoucherRow]] = {}
    for payment, sale in rows:
        report.setdefault(payment.voucher_issuer or "", []).append(
            VoucherRow(
                sale.created_at,
                sale.till.name,
                sale.receipt_number,
                payment.voucher_number or "",
                payment.amount_cents,
                sale.kind.value,
            )
        )
    return report


def voucher_totals(report: dict[str, list[VoucherRow]]) -> dict[str, int]:
    """What each issuer owes: the sum of its rows."""
    return {issuer: voucher_total(rows) for issuer, rows in report.items()}


def voucher_total(rows: list[VoucherRow]) -> int:
    return sum(r.amount_cents for r in rows)


def report_month(text: str | None, today: date | None = None) -> tuple[int, int]:
    """The month asked for as 'YYYY-MM'; this month when the text is no month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        date(year, month, 1)
        return year, month
    except ValueError:
        today = today or local_today()
        return today.year, today.month
