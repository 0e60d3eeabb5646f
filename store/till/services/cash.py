"""The cash in the drawer: opening a session with the counted float, deposits and withdrawals, what
the drawer should hold, and how far a count is from it."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import ConflictError, ValidationError
from store.core.exports import safe_cell
from store.core.timeutil import as_utc
from store.extensions import db
from store.till.models import CashKind, CashMovement, Payment, PaymentMethod, Sale, Till, TillSession
from store.till.services.printouts import kick_drawer
from store.tse import signing

DENOMINATIONS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1]


def counted_total(counts: dict | None) -> int:
    """{"5000": 2, "200": 3} (cents → pieces) → 10600."""
    total = 0
    for denomination, pieces in (counts or {}).items():
        value, pieces = int(denomination), int(pieces or 0)
        if value not in DENOMINATIONS or pieces < 0 or pieces > 100000:
            raise ValidationError(_("Please count whole pieces of euro notes and coins."))
        total += value * pieces
    return total


def open_session(
    actor: Actor,
    till: Till,
    *,
    float_cents: int | None = None,
    counts: dict | None = None,
    now: datetime | None = None,
) -> TillSession:
    """Open the till with the counted float (by denomination or as a sum)."""
    now = as_utc(now)
    if counts:
        float_cents = counted_total(counts)
    if float_cents is None or float_cents < 0:
        raise ValidationError(_("Please count the float in the drawer."), field="float_cents")
    if not till.is_active:
        raise ConflictError(_("This till is switched off."))
    session = TillSession(
        till_id=till.id,
        opened_at=now,
        opened_by_id=actor.user_id,
        float_cents=float_cents,
        float_counts=counts or None,
    )
    db.session.add(session)
    db.session.flush()
    claimed = db.session.execute(
        sa.update(Till)
        .where(Till.id == till.id, Till.current_session_id.is_(None))
        .values(current_session_id=session.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise ConflictError(_("This till is open already."))
    movement = CashMovement(
        session_id=session.id,
        at=now,
        kind=CashKind.FLOAT,
        amount_cents=float_cents,
        reason="",
        user_id=actor.user_id,
    )
    db.session.add(movement)
    db.session.refresh(till)
    signing.record(
        till.id,
        till.serial,
        signing.cash_receipt(float_cents),
        ref=("cash", str(movement.id)),
        now=now,
    )
    audit(actor, "till.open", session, {"till": till.name, "float_cents": float_cents}, now=now)
    return session


def current_session(till: Till) -> TillSession:
    if till.current_session_id is None:
        raise ConflictError(_("The till is not open. Please count the float and open it."))
    return db.session.get(TillSession, till.current_session_id)


def move_cash(
    actor: Actor,
    till: Till,
    kind: CashKind | str,
    amount_cents: int,
    reason: str,
    *,
    now: datetime | None = None,
) -> CashMovement:
    """Einlage (deposit), Entnahme (withdrawal) or Geldtransit (money taken to the bank), always
    with a reason."""
    now = as_utc(now)
    kind = CashKind(kind)
    if kind not in (CashKind.DEPOSIT, CashKind.WITHDRAWAL, CashKind.TRANSIT):
        raise ValidationError(_("Only deposits and withdrawals can be booked here."))
    if amount_cents is None or amount_cents <= 0:
        raise ValidationError(_("The amount must be more than 0 €."), field="amount")
    reason = safe_cell((reason or "").strip())  # recorded as the export shows it (no formula)
    if not reason:
        raise ValidationError(_("Please say why."), field="reason")
    session = current_session(till)
    signed = amount_cents if kind == CashKind.DEPOSIT else -amount_cents
    if signed < 0 and expected_cash(session) + signed < 0:
        raise ValidationError(_("There is not that much cash in the drawer."), field="amount")
    movement = CashMovement(
        session_id=session.id,
        at=now,
        kind=kind,
        amount_cents=signed,
        reason=reason[:200],
        user_id=actor.user_id,
    )
    db.session.add(movement)
    db.session.flush()
    signing.record(
        till.id,
        till.serial,
        signing.cash_receipt(signed),
        ref=("cash", str(movement.id)),
        now=now,
    )
    audit(
        actor,
        f"till.{kind.value}",
        movement,
        {"till": till.name, "amount_cents": signed, "reason": reason},
        now=now,
    )
    if till.has_drawer:
        kick_drawer(actor, till, now)
    return movement


def expected_cash(session: TillSession) -> int:
    """Float + cash movements + cash taken − change given (payments are stored net of change)."""
    moved = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(CashMovement.amount_cents), 0)).where(
            CashMovement.session_id == session.id, CashMovement.kind != CashKind.DIFFERENCE
        )
    )
    cash = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Payment.amount_cents), 0))
        .join(Sale, Sale.id == Payment.sale_id)
        .where(
            Sale.session_id == session.id, Payment.method == PaymentMethod.CASH, Sale.training.is_(False)
        )
    )
    return moved + cash


def count_difference(session: TillSession, counted_cents: int | None) -> tuple[int, int | None]:
    """(expected, difference): what the drawer should hold, and counted − expected (None while
    nothing is counted)."""
    expected = expected_cash(session)
    return expected, (counted_cents - expected if counted_cents is not None else None)


def cash_movements(session: TillSession) -> list[CashMovement]:
    """Float, deposits, withdrawals and the closing difference of a session, oldest first."""
    return list(
        db.session.scalars(
            sa.select(CashMovement)
            .where(CashMovement.session_id == session.id)
            .order_by(CashMovement.id)
        )
    )
