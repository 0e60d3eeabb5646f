"""How long fiscal records are kept (§147 AO as changed by the BEG IV), and a guard for purges.

Receipts (Buchungsbelege: sales with their lines and payments) and the daily closings (Z reports) are
kept 8 years; everything else that documents the bookings — TSE transactions, till sessions, cash
movements, the audit log, the stock ledger, exports and the procedure documentation — 10 years.
A period starts at the end of the calendar year in which the record was made (§147 Abs. 4 AO) and
does not end while the records still matter for a tax assessment that is not final (§147 Abs. 3
Satz 5 AO), so these dates are the earliest a record may go, never a date it must go.

Nothing in Kaufhaus deletes or rewrites these rows: the database refuses UPDATE and DELETE on them
(store.core.immutable). A later purge or anonymisation job must call `check_purge` for every record
it wants to touch.
"""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import AuditEntry
from store.core.errors import ConflictError
from store.core.timeutil import local_day_bounds, local_today
from store.extensions import db
from store.goods.models import StockMovement
from store.till.models import CashMovement, Closing, Sale, TillSession
from store.tse.models import FiscalTransaction

RECEIPT_YEARS = 8
OTHER_YEARS = 10
# Kind of record → years it is kept. Sale lines and payments go with their sale.
YEARS = {
    "sale": RECEIPT_YEARS,
    "closing": RECEIPT_YEARS,
    "fiscal_transaction": OTHER_YEARS,
    "till_session": OTHER_YEARS,
    "cash_movement": OTHER_YEARS,
    "audit_entry": OTHER_YEARS,
    "stock_movement": OTHER_YEARS,
    "export": OTHER_YEARS,
    "procedure_documentation": OTHER_YEARS,
}
# The column that says when a record of a kind was made.
MADE_AT = {
    "sale": Sale.created_at,
    "closing": Closing.closed_at,
    "fiscal_transaction": FiscalTransaction.recorded_at,
    "till_session": TillSession.opened_at,
    "cash_movement": CashMovement.at,
    "audit_entry": AuditEntry.at,
    "stock_movement": StockMovement.at,
}


class RetentionError(ConflictError):
    """A purge tried to touch a record that is still inside its retention period."""


def retention_years(kind: str) -> int:
    try:
        return YEARS[kind]
    except KeyError:
        raise ValueError(f"no retention period is known for {kind!r}") from None


def retention_cutoff(kind: str, today: date | None = None) -> date:
    """Records of this kind made before this day are past their period; the rest must stay.

    A record made in year Y is kept until 31 December of Y + years, so on `today` everything
    made on or after 1 January of (today's year − years) is still inside its period.
    """
    today = today or local_today()
    return date(today.year - retention_years(kind), 1, 1)


def is_retained(kind: str, made_on: date | datetime, today: date | None = None) -> bool:
    if isinstance(made_on, datetime):
        made_on = made_on.date()
    return made_on >= retention_cutoff(kind, today)


def check_purge(kind: str, made_on: date | datetime, today: date | None = None) -> None:
    """Raise RetentionError unless a record of this kind made then may be deleted today."""
    if is_retained(kind, made_on, today):
        raise RetentionError(
            _(
                "This record must be kept until the end of %(year)s (%(n)s years).",
                year=(made_on.year + retention_years(kind)),
                n=retention_years(kind),
            )
        )


@dataclass(frozen=True)
class RetentionStatus:
    kind: str
    years: int
    cutoff: date  # made before this day: past the period
    retained: int  # rows still inside the period
    expired: int  # rows past the period (kept anyway; nothing deletes them)


def retention_status(today: date | None = None) -> list[RetentionStatus]:
    """For a day: per kind of fiscal record, how many rows are still inside their period."""
    today = today or local_today()
    rows = []
    for kind, column in MADE_AT.items():
        cutoff = retention_cutoff(kind, today)
        boundary = local_day_bounds(cutoff)[0]
        retained, expired = db.session.execute(
            sa.select(
                sa.func.count(sa.case((column >= boundary, 1))),
                sa.func.count(sa.case((column < boundary, 1))),
            )
        ).one()
        rows.append(RetentionStatus(kind, retention_years(kind), cutoff, retained, expired))
    return rows
