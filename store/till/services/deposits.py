"""Deposits on reservations, booked at a till as receipts of their own (issue 18).

- Taking a deposit (`take_deposit`) is a receipt with one line of the business case
  `Anzahlungseinstellung` at the reserved item's VAT rate: the tax on a payment made before the
  delivery is due when it is received (§ 13 Abs. 1 Nr. 1 Buchst. a Satz 4 UStG; DSFinV-K 2.4,
  Anhang C, Geschäftsvorfalltyp Anzahlungseinstellung). It is signed by the TSE like every receipt.
- Buying the item counts the deposit: the sale carries a line `Anzahlungsaufloesung` of minus the
  deposit at the same rate (store.till.services.cart), so only the rest is paid and the sale's VAT
  is that of the rest.
- A reservation that ends without a sale (lapsed, released) settles its deposit by the store's rule
  (`deposit_on_lapse`): refunded — a receipt with the line `Anzahlungsaufloesung` and the cash paid
  out — or kept — a receipt with `Anzahlungsaufloesung` and an `Umsatz` line of the same amount and
  rate, which moves no money and turns the deposit into revenue (its VAT was declared when it was
  paid and stays). Each settling line refers to the receipt that took the deposit.

A deposit is taken once and settled once: the reservation's row is changed with conditional UPDATEs
(store.goods.services.reservations).
"""

import uuid as uuidlib
from datetime import datetime

from flask_babel import gettext as _

from store.core.audit import Actor
from store.core.errors import ConflictError, ValidationError
from store.core.pricing import vat_breakdown
from store.core.settings import get_setting
from store.core.timeutil import as_utc, local_today
from store.goods import services as goods
from store.goods.models import Reservation, ReservationStatus
from store.till.models import BusinessCase, Sale, SaleKind, Till
from store.till.services.booking import book
from store.till.services.cart import Priced, PricedLine
from store.till.services.cash import current_session, expected_cash
from store.till.services.payments import PaymentIn
from store.till.services.sales import Signing, finish

# The fiscal record's texts (kept in the store's language, like the export's other texts).
DEPOSIT_TEXT = "Anzahlung Reservierung {number}: {item}"
REFUND_TEXT = "Anzahlung erstattet, Reservierung {number}"
KEPT_TEXT = "Anzahlung einbehalten, Reservierung {number}"
KEEP, REFUND = "keep", "refund"


def deposit_rule() -> str:
    """The store's rule for the deposit of a reservation that ended without a sale."""
    return KEEP if get_setting("deposit_on_lapse") == KEEP else REFUND


def _line(reservation: Reservation, text: str, cents: int, case: BusinessCase, ref=None) -> PricedLine:
    item = reservation.item
    return PricedLine(
        None,
        text[:120],
        item.code,
        1,
        cents,
        cents,
        0,
        0,
        0,
        0,
        cents,
        item.category.vat_rate_bp,
        item.category_id,
        business_case=case.value,
        ref_sale_id=ref,
        reservation_id=reservation.id,
    )


def _priced(lines: list[PricedLine]) -> Priced:
    total = sum(pl.total_cents for pl in lines)
    return Priced(lines, total, vat_breakdown([(pl.vat_rate_bp, pl.total_cents) for pl in lines]))


def _check_till(till: Till) -> None:
    if till.training:
        raise ConflictError(_("Deposits are not taken in training mode."))
    current_session(till)  # open, or a clear message


def take_deposit(
    actor: Actor,
    till: Till,
    reservation: Reservation,
    payments: list[PaymentIn],
    *,
    amount_cents: int | None = None,
    now: datetime | None = None,
) -> Sale:
    """Take the reservation's deposit at the till: a signed receipt of its own, printed. The
    amount is the one agreed with the reservation unless another is given."""
    now = as_utc(now)
    _check_till(till)
    if reservation.status != ReservationStatus.ACTIVE:
        raise ConflictError(_("Reservation %(n)s has ended.", n=reservation.number))
    if reservation.deposit_ref:
        raise ConflictError(
            _("The deposit of reservation %(n)s was taken already.", n=reservation.number)
        )
    cents = amount_cents if amount_cents is not None else reservation.deposit_cents
    if not cents or cents <= 0:
        raise ValidationError(_("Please enter the deposit."), field="amount")
    goods.check_deposit(reservation.item, cents, local_today(now))
    text = DEPOSIT_TEXT.format(number=reservation.number, item=reservation.item.description)
    priced = _priced([_line(reservation, text, cents, BusinessCase.DEPOSIT_TAKEN)])
    sale = book(
        actor, till, str(uuidlib.uuid4()), now, False, priced, payments, now, kind=SaleKind.DEPOSIT
    )
    goods.record_deposit(actor, reservation, cents, str(sale.id), now)
    finish(actor, till, sale, Signing(), now=now)
    return sale


def settle_deposit(
    actor: Actor, till: Till, reservation: Reservation, *, now: datetime | None = None
) -> Sale:
    """The deposit of a reservation that ended without a sale, by the store's rule: refunded in
    cash (a negative receipt) or kept (a receipt that turns it into revenue)."""
    now = as_utc(now)
    _check_till(till)
    if reservation.deposit_state != "held" or reservation.status == ReservationStatus.ACTIVE:
        raise ConflictError(_("This reservation has no deposit to pay back or keep."))
    cents, ref = reservation.deposit_cents, int(reservation.deposit_ref)
    rule = deposit_rule()
    if rule == REFUND:
        if expected_cash(current_session(till)) < cents:
            raise ValidationError(_("There is not that much cash in the drawer."), field="amount")
        text = REFUND_TEXT.format(number=reservation.number)
        lines = [_line(reservation, text, -cents, BusinessCase.DEPOSIT_SETTLED, ref)]
        kind, outcome = SaleKind.DEPOSIT_REFUND, "refunded"
    else:
        text = KEPT_TEXT.format(number=reservation.number)
        lines = [
            _line(reservation, text, -cents, BusinessCase.DEPOSIT_SETTLED, ref),
            _line(reservation, text, cents, BusinessCase.SALE),
        ]
        kind, outcome = SaleKind.DEPOSIT_KEPT, "kept"
    sale = book(actor, till, str(uuidlib.uuid4()), now, False, _priced(lines), [], now, kind=kind)
    goods.settle_deposit(actor, reservation, outcome, str(sale.id), now)
    finish(actor, till, sale, Signing(), now=now)
    return sale
