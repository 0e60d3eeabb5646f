"""Returns and voids started at the till by whoever sells there: the receipt is found by its QR code
or number, the lines are picked, and a supervisor confirms with their badge or PIN at the same till,
without anyone signing out. The booking itself is reversals.py's (void_sale, return_lines)."""

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor
from store.core.errors import NotFoundError, ValidationError
from store.extensions import db
from store.till.models import Sale, SaleKind, Till
from store.till.services.lookups import find_sale
from store.till.services.reversals import return_lines, reversal_options, void_sale
from store.till.services.supervisors import confirming_supervisor
from store.tse.models import FiscalTransaction

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def find_receipt(text: str, till: Till | None = None) -> Sale:
    """The sale a scanned or typed text names: the e-receipt's QR code (its web address), the TSE
    QR code printed on the receipt, or the receipt number at this till."""
    text = (text or "").strip()
    sale = None
    if match := _UUID.search(text):
        sale = find_sale(match.group(0).lower())
    elif text.startswith("V0;"):
        sale = _by_tse_code(text)
    elif text.isdigit() and till is not None:
        sale = db.session.scalar(
            sa.select(Sale).where(
                Sale.till_id == till.id,
                Sale.receipt_number == int(text),
                Sale.kind == SaleKind.SALE,
            )
        )
    if sale is None:
        raise NotFoundError(
            _("No receipt found for “%(text)s”. Scan the code on the receipt.", text=text[:40]),
            field="receipt",
        )
    if sale.kind != SaleKind.SALE:
        raise ValidationError(_("This is a return or void. Scan the sale’s receipt."), field="receipt")
    return sale


def _by_tse_code(text: str) -> Sale | None:
    """V0;client serial;process type;process data;transaction number;… (DSFinV-K QR code)."""
    parts = text.split(";")
    if len(parts) < 5 or not parts[4].isdigit():
        return None
    sale_id = db.session.scalar(
        sa.select(FiscalTransaction.sale_id).where(
            FiscalTransaction.client_serial == parts[1],
            FiscalTransaction.tx_number == int(parts[4]),
        )
    )
    return db.session.get(Sale, sale_id) if sale_id else None


def take_back(
    actor: Actor,
    sale: Sale,
    quantities: dict[int, int],
    reason: str,
    *,
    whole: bool = False,
    to_stock: bool = True,
    badge: str | None = None,
    supervisor_id: int | None = None,
    pin: str | None = None,
    address: str | None = None,
) -> Sale:
    """A return of the picked lines (or the whole receipt as a void), confirmed by a supervisor's
    badge or PIN at this till. The trainee stays signed in."""
    if not whole and not any(q > 0 for q in quantities.values()):
        raise ValidationError(_("Please choose what comes back."), field="lines")
    if not (reason or "").strip():
        raise ValidationError(_("Please give a reason."), field="reason")
    supervisor = confirming_supervisor(badge=badge, user_id=supervisor_id, pin=pin, address=address)
    if whole:
        if not reversal_options(sale).can_void:
            raise ValidationError(_("Part of this receipt came back already. Pick the lines."))
        return void_sale(actor, sale, reason, confirmed_by=supervisor)
    return return_lines(
        actor,
        sale,
        {line_id: q for line_id, q in quantities.items() if q > 0},
        reason,
        to_stock=to_stock,
        confirmed_by=supervisor,
    )
