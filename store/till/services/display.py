"""The customer display: what the person on the other side of the till sees, live: the lines of
the receipt being rung up, the total, and after paying what was paid and the change."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.goods.services.impact import kg_of_lines, receipt_impact_line
from store.till.models import PaymentMethod, Sale, SaleKind, Till
from store.till.services.cart import open_cart, price_cart

SHOW_PAID_FOR = timedelta(minutes=2)  # the last sale stays on the display this long


def customer_view(till: Till, now: datetime | None = None) -> dict:
    """{"state": "idle" | "cart" | "paid", "lines": [...], "total_cents", "paid_cents",
    "change_cents", "kg"} for the display's script; "kg" (kept in use by the purchase) only where
    the store prints that line on its receipts too."""
    now = as_utc(now)
    show_kg = receipt_impact_line()
    cart = open_cart(till)
    if cart is not None and cart.lines:
        priced = price_cart(cart)
        return {
            "state": "cart",
            "lines": [
                {"text": pl.description, "quantity": pl.quantity, "total_cents": pl.total_cents}
                for pl in priced.lines
            ],
            "total_cents": priced.total_cents,
            "paid_cents": 0,
            "change_cents": 0,
            "kg": _kg(
                show_kg,
                [(pl.category_id, pl.quantity) for pl in priced.lines if _goods(pl)],
                now,
            ),
        }
    sale = db.session.scalar(
        sa.select(Sale)
        .where(
            Sale.till_id == till.id, Sale.kind == SaleKind.SALE, Sale.created_at >= now - SHOW_PAID_FOR
        )
        .order_by(Sale.id.desc())
        .limit(1)
    )
    if sale is None:
        return {
            "state": "idle",
            "lines": [],
            "total_cents": 0,
            "paid_cents": 0,
            "change_cents": 0,
            "kg": None,
        }
    paid = sum(
        (p.tendered_cents or p.amount_cents) if p.method == PaymentMethod.CASH else p.amount_cents
        for p in sale.payments
    )
    return {
        "state": "paid",
        "lines": [
            {"text": line.description, "quantity": line.quantity, "total_cents": line.total_cents}
            for line in sale.lines
        ],
        "total_cents": sale.total_cents,
        "paid_cents": paid,
        "change_cents": sale.change_cents,
        "kg": _kg(
            show_kg,
            [
                (line.category_id, line.quantity)
                for line in sale.lines
                if line.item_id or line.article_id
            ],
            now,
        ),
    }


def _goods(pl) -> bool:
    """A line of goods (not a deposit counted, not a service such as a delivery)."""
    return pl.line is not None and not pl.service


def _kg(show: bool, lines: list[tuple[int, int]], now: datetime) -> float | None:
    kg = kg_of_lines(lines, local_today(now)) if show else 0
    return round(kg, 1) if kg > 0 else None
