"""How a customer pays: the payments handed in, checked against the total (non-cash first, cash last
gives change), and their split into cash and non-cash for the TSE."""

from dataclasses import dataclass

from flask_babel import gettext as _

from store.core.errors import ValidationError
from store.core.i18n import money
from store.till.models import Payment, PaymentMethod


@dataclass
class PaymentIn:
    method: str
    amount_cents: int  # for cash: what the customer handed over
    voucher_number: str | None = None
    voucher_issuer: str | None = None


def check_payments(payments: list[PaymentIn], total: int) -> list[Payment]:
    """Non-cash first, cash last pays the rest and gives change. Returns Payment rows."""
    if not payments:
        raise ValidationError(_("Please choose how the customer pays."), field="payments")
    rows, remaining, cash_given = [], total, 0
    for p in payments:
        try:
            method = PaymentMethod(p.method)
        except ValueError:
            raise ValidationError(_("Unknown payment method."), field="payments") from None
        if p.amount_cents is None or p.amount_cents <= 0:
            raise ValidationError(_("Please enter the amount paid."), field="payments")
        if method == PaymentMethod.CASH:
            cash_given += p.amount_cents
            continue
        if p.amount_cents > remaining:
            raise ValidationError(
                _("Card and voucher can pay at most %(sum)s.", sum=money(remaining)),
                field="payments",
            )
        voucher_number = voucher_issuer = None
        if method == PaymentMethod.VOUCHER:
            voucher_number = (p.voucher_number or "").strip()
            voucher_issuer = (p.voucher_issuer or "").strip()
            if not voucher_number or not voucher_issuer:
                raise ValidationError(
                    _("A voucher needs its number and who issued it."), field="voucher"
                )
        rows.append(
            Payment(
                method=method,
                amount_cents=p.amount_cents,
                tendered_cents=None,
                change_cents=0,
                voucher_number=voucher_number,
                voucher_issuer=voucher_issuer,
            )
        )
        remaining -= p.amount_cents
    if cash_given < remaining:
        raise ValidationError(
            _("Not enough money. %(sum)s is missing.", sum=money(remaining - cash_given)),
            field="payments",
        )
    if cash_given:
        rows.append(
            Payment(
                method=PaymentMethod.CASH,
                amount_cents=remaining,
                tendered_cents=cash_given,
                change_cents=cash_given - remaining,
                voucher_number=None,
                voucher_issuer=None,
            )
        )
    elif remaining:
        raise ValidationError(_("Not enough money."), field="payments")
    return rows


def money_split(payments) -> tuple[int, int]:
    """(cash, non-cash) of a sale's payments, as the TSE process data counts them."""
    cash = sum(p.amount_cents for p in payments if p.method == PaymentMethod.CASH)
    return cash, sum(p.amount_cents for p in payments if p.method != PaymentMethod.CASH)
