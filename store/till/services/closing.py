"""X and Z reports: every figure of a session, summed by the database; the interim X report; the
daily closing, which counts the drawer, books the difference, and stores and prints the numbered Z
report."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import ConflictError, ValidationError
from store.core.exports import safe_cell
from store.core.i18n import money
from store.core.timeutil import as_utc, to_local
from store.extensions import db
from store.goods import services as goods
from store.printing import services as printing
from store.printing.models import PrintJob
from store.till.models import (
    BusinessCase,
    CashKind,
    CashMovement,
    Closing,
    Payment,
    PaymentMethod,
    Sale,
    SaleKind,
    SaleLine,
    Till,
    TillSession,
    VoidedLine,
)
from store.till.receipts import render_x_report
from store.till.services.cart import cancel_cart, open_cart
from store.till.services.cash import (
    cash_movements,
    count_difference,
    counted_total,
    current_session,
)
from store.till.services.printouts import queue_closing
from store.till.services.tills import next_number, receipt_printer
from store.tse import signing


def session_report(session: TillSession) -> dict:
    """Every figure of an X or Z report, from the session's own rows only (found by the session
    index), summed by the database: one statement over its receipts, two over their lines (VAT per
    receipt; categories and discounts), one over their payments, one over its cash movements, one
    over the lines removed before payment.

    Training receipts count for nothing but their own line.
    """
    receipts = db.session.execute(
        sa.select(
            Sale.kind,
            Sale.training,
            Sale.eligibility,
            sa.func.count(),
            sa.func.sum(Sale.total_cents),
            sa.func.min(Sale.receipt_number),
            sa.func.max(Sale.receipt_number),
        )
        .where(Sale.session_id == session.id)
        .group_by(Sale.kind, Sale.training, Sale.eligibility)
    ).all()
    real = [r for r in receipts if not r[1]]
    kinds: dict[str, dict] = {}
    for kind, _training, _eligibility, count, amount, _first, _last in real:
        entry = kinds.setdefault(kind.value, {"count": 0, "total_cents": 0})
        entry["count"] += count
        entry["total_cents"] += amount
    training = [r for r in receipts if r[1]]
    of_session = sa.and_(Sale.session_id == session.id, Sale.training.is_(False))
    lines = (
        sa.select(SaleLine, Sale.kind.label("sale_kind"))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(of_session)
        .subquery()
    )
    categories, discounts, deposits = _categories_and_discounts(lines, real)
    payments, vouchers, cash_taken = _payments(session)
    cash_rows = cash_movements(session)
    moved = sum(c.amount_cents for c in cash_rows if c.kind != CashKind.DIFFERENCE)
    return {
        "till": session.till.name,
        "session": session.id,
        "opened_at": session.opened_at.isoformat(),
        "receipts": sum(r[3] for r in real),
        "first_receipt": min((r[5] for r in real), default=None),
        "last_receipt": max((r[6] for r in real), default=None),
        "total_cents": sum(r[4] for r in real),
        "by_kind": kinds,
        "vat": _vat(lines),
        "payments": payments,
        "vouchers": vouchers,
        "categories": categories,
        "discounts": discounts,
        "deposits": deposits,
        "cash": {
            kind.value: sum(c.amount_cents for c in cash_rows if c.kind == kind) for kind in CashKind
        },
        "cash_movements": [
            {
                "at": c.at.isoformat(),
                "kind": c.kind.value,
                "amount_cents": c.amount_cents,
                "reason": c.reason,
            }
            for c in cash_rows
        ],
        "expected_cash_cents": moved + cash_taken,
        "training": {
            "count": sum(r[3] for r in training),
            "total_cents": sum(r[4] for r in training),
        },
        "removed": _removed(session),
    }


def _removed(session: TillSession) -> dict:
    """Lines taken off a receipt before payment ("removed") and carts abandoned with their lines
    ("abandoned"): never turnover, but what a supervisor looks at (DSFinV-K 2.4, 4.2.3). One
    statement."""
    rows = db.session.execute(
        sa.select(
            VoidedLine.kind,
            sa.func.count(),
            sa.func.count(sa.distinct(VoidedLine.cart_uuid)),
            sa.func.coalesce(sa.func.sum(VoidedLine.total_cents), 0),
        )
        .where(VoidedLine.session_id == session.id)
        .group_by(VoidedLine.kind)
    ).all()
    return {
        kind: {"lines": lines, "receipts": carts, "total_cents": int(total)}
        for kind, lines, carts, total in rows
    }


def _vat(lines) -> list[dict]:
    """VAT is rounded on each receipt (as printed and as DSFinV-K has it), then summed per rate: one
    statement, summed by the database."""
    per_receipt = (
        sa.select(
            lines.c.sale_id,
            lines.c.vat_rate_bp.label("rate"),
            sa.func.sum(lines.c.total_cents).label("gross"),
        )
        .group_by(lines.c.sale_id, lines.c.vat_rate_bp)
        .subquery()
    )
    gross, rate = per_receipt.c.gross, per_receipt.c.rate
    vat_abs = (sa.func.abs(gross) * rate * 2 + (10000 + rate)) // ((10000 + rate) * 2)
    vat_rows = db.session.execute(
        sa.select(rate, sa.func.sum(gross), sa.func.sum(sa.case((gross < 0, -vat_abs), else_=vat_abs)))
        .group_by(rate)
        .order_by(rate.desc())
    ).all()
    return [
        {"rate_bp": r, "gross_cents": int(g), "net_cents": int(g) - int(v), "vat_cents": int(v)}
        for r, g, v in vat_rows
    ]


def _payments(session: TillSession) -> tuple[dict[str, int], dict[str, int], int]:
    """The sums per payment method, of vouchers per issuer, and the cash taken (training aside)."""
    payment_rows = db.session.execute(
        sa.select(Payment.method, Payment.voucher_issuer, sa.func.sum(Payment.amount_cents))
        .join(Sale, Sale.id == Payment.sale_id)
        .where(Sale.session_id == session.id, Sale.training.is_(False))
        .group_by(Payment.method, Payment.voucher_issuer)
    ).all()
    payments: dict[str, int] = {}
    vouchers: dict[str, int] = {}
    for method, issuer, amount in payment_rows:
        payments[method.value] = payments.get(method.value, 0) + amount
        if method == PaymentMethod.VOUCHER:
            vouchers[issuer] = vouchers.get(issuer, 0) + amount
    return payments, vouchers, payments.get(PaymentMethod.CASH.value, 0)


def _categories_and_discounts(lines, receipts) -> tuple[list[dict], dict, dict]:
    """Sums per category (sales lines), the discounts, and the deposits taken, counted in sales,
    refunded and kept: one statement, summed by the database."""
    rows = db.session.execute(
        sa.select(
            lines.c.category_id,
            lines.c.business_case,
            lines.c.sale_kind,
            sa.func.sum(lines.c.quantity),
            sa.func.sum(lines.c.total_cents),
            sa.func.count(sa.case((lines.c.discount_cents > 0, 1))),
            sa.func.sum(lines.c.discount_cents),
            sa.func.sum(lines.c.eligibility_discount_cents),
        ).group_by(lines.c.category_id, lines.c.business_case, lines.c.sale_kind)
    ).all()
    sales = [r for r in rows if r[1] == BusinessCase.SALE.value]
    names = {c.id: c.path for c in goods.list_categories(include_inactive=True)} if rows else {}
    by_category: dict[int, list[int]] = {}
    for cid, _case, _kind, qty, amount, *_rest in sales:
        entry = by_category.setdefault(cid, [0, 0])
        entry[0] += int(qty)
        entry[1] += int(amount)
    categories = sorted(
        (
            {"name": names.get(cid, str(cid)), "count": qty, "total_cents": amount}
            for cid, (qty, amount) in by_category.items()
        ),
        key=lambda c: c["name"],
    )
    discounts = {
        "line_count": sum(int(r[5]) for r in sales),
        "line_cents": sum(int(r[6]) for r in sales),
        "eligibility_receipts": sum(r[3] for r in receipts if r[0] == SaleKind.SALE and r[2]),
        "eligibility_cents": sum(int(r[7]) for r in sales),
    }
    settled = {
        SaleKind.SALE: "used",
        SaleKind.VOID: "used",
        SaleKind.RETURN: "used",
        SaleKind.DEPOSIT_REFUND: "refunded",
        SaleKind.DEPOSIT_KEPT: "kept",
    }
    deposits = {"taken": 0, "used": 0, "refunded": 0, "kept": 0}
    for _cid, case, kind, _qty, amount, *_rest in rows:
        if case == BusinessCase.DEPOSIT_TAKEN.value:
            deposits["taken"] += int(amount)
        elif case == BusinessCase.DEPOSIT_SETTLED.value:
            deposits[settled[SaleKind(kind)]] -= int(amount)
    return categories, discounts, deposits


def x_report(till: Till) -> dict:
    """Interim report of the open session; books nothing."""
    return session_report(current_session(till))


def print_x_report(actor: Actor, till: Till) -> PrintJob | None:
    """Print the X report of the open session on the till's printer; None when it has none."""
    printer = receipt_printer(till)
    if printer is None:
        return None
    report = x_report(till)
    return printing.enqueue(
        actor,
        printer,
        "report",
        render_x_report(report, printer),
        title=f"{till.name} · " + _("X report"),
        ref=("x_report", str(report["session"])),
    )


def close_session(
    actor: Actor,
    till: Till,
    *,
    counted_cents: int | None = None,
    counts: dict | None = None,
    reason: str = "",
    printed: bool = True,
    now: datetime | None = None,
) -> Closing:
    """Count the drawer, book the difference, store and print the numbered Z report."""
    now = as_utc(now)
    session = current_session(till)
    _end_open_receipt(actor, till, now)
    if counts:
        counted_cents = counted_total(counts)
    if counted_cents is None or counted_cents < 0:
        raise ValidationError(_("Please count the cash in the drawer."), field="counted")
    expected, difference = count_difference(session, counted_cents)
    reason = safe_cell((reason or "").strip())  # recorded as the export shows it (no formula)
    if difference and not reason:
        raise ValidationError(
            _("The count differs by %(sum)s. Please give a reason.", sum=money(difference)),
            field="reason",
        )
    if difference:
        _book_difference(actor, till, session, difference, reason, now)
    report = session_report(session)
    report.update(
        counted_cents=counted_cents,
        difference_cents=difference,
        closed_at=now.isoformat(),
        closed_local=to_local(now).strftime("%d.%m.%Y %H:%M"),
    )
    closing = Closing(
        till_id=till.id,
        session_id=session.id,
        number=next_number(till, Till.last_closing_number),
        closed_at=now,
        closed_by_id=actor.user_id,
        expected_cents=expected,
        counted_cents=counted_cents,
        counted=counts or None,
        difference_cents=difference,
        difference_reason=reason[:200] or None,
        report=report,
    )
    closing.report["number"] = closing.number
    db.session.add(closing)
    signing.record(
        till.id,
        till.serial,
        signing.other_receipt("Kassenabschluss", counted_cents),
        ref=("session", str(session.id)),
        now=now,
    )
    _release(till, session)
    audit(
        actor,
        "till.close",
        closing,
        {"till": till.name, "number": closing.number, "difference_cents": difference},
        now=now,
    )
    if printed:
        queue_closing(actor, closing, now=now)
    return closing


def _end_open_receipt(actor: Actor, till: Till, now: datetime) -> None:
    """A receipt with lines stops the closing; an empty one ends, its TSE transaction as aborted."""
    cart = open_cart(till)
    if cart is not None and cart.lines:
        raise ConflictError(_("A receipt is still open. Please finish or cancel it first."))
    if cart is not None:
        cancel_cart(actor, till, now=now)


def _book_difference(
    actor: Actor, till: Till, session: TillSession, difference: int, reason: str, now: datetime
) -> None:
    """The counting difference as a cash movement (business case DifferenzSollIst), signed as the
    Beleg it is exported as."""
    movement = CashMovement(
        session_id=session.id,
        at=now,
        kind=CashKind.DIFFERENCE,
        amount_cents=difference,
        reason=reason[:200],
        user_id=actor.user_id,
    )
    db.session.add(movement)
    db.session.flush()
    signing.record(
        till.id,
        till.serial,
        signing.cash_receipt(difference),
        ref=("cash", str(movement.id)),
        now=now,
    )


def _release(till: Till, session: TillSession) -> None:
    """The till is closed: once (a conditional UPDATE, so two closings at once book one)."""
    released = db.session.execute(
        sa.update(Till)
        .where(Till.id == till.id, Till.current_session_id == session.id)
        .values(current_session_id=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if released != 1:
        raise ConflictError(_("This till was closed already."))
    db.session.flush()
    db.session.refresh(till)


def counted_pieces(closing: Closing) -> list[tuple[int, int, int]]:
    """(denomination, pieces, their sum) of the count at the closing, the largest first."""
    pieces = sorted(((int(cents), n) for cents, n in (closing.counted or {}).items()), reverse=True)
    return [(cents, n, cents * n) for cents, n in pieces]
