"""Tills, their sessions and cash, carts, sales with lines and payments, and the daily closing."""

import secrets
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.branches.models import BranchOwned
from store.core.types import UTCDateTime
from store.extensions import db


def _enum(cls, length: int = 16):
    return sa.Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Till(BranchOwned, db.Model):
    """A till (Kasse): where it stands, which printers and drawer it uses, its counters."""

    __tablename__ = "till"
    branch_loading = "joined"  # receipts and the API name the till's branch: loaded with the till

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(40), unique=True)
    location: so.Mapped[str] = so.mapped_column(sa.String(80), default="")
    # The till's serial for the tax office and the TSE (Kassenseriennummer).
    serial: so.Mapped[str] = so.mapped_column(sa.String(40), unique=True)
    receipt_printer_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("printer.id"))
    label_printer_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("printer.id"))
    # The drawer hangs on the receipt printer and is kicked through it.
    has_drawer: so.Mapped[bool] = so.mapped_column(default=True)
    is_active: so.Mapped[bool] = so.mapped_column(default=True)
    # The open session, claimed with a conditional UPDATE so a till opens once.
    current_session_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("till_session.id", use_alter=True)
    )
    # Counters, raised with UPDATE … SET n = n + 1 inside the booking's transaction.
    last_receipt_number: so.Mapped[int] = so.mapped_column(default=0)
    last_closing_number: so.Mapped[int] = so.mapped_column(default=0)
    # Training mode: real labels, receipts marked TRAINING, signed AVTraining, no revenue, no stock.
    training: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    # A short tone on a good scan and another on a refused one (the till's script plays them).
    sound: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())
    # For the tax office (§146a Abs. 4 AO): when the till went into and out of service.
    in_service_on: so.Mapped[date | None]
    out_of_service_on: so.Mapped[date | None]

    receipt_printer = so.relationship("Printer", foreign_keys=[receipt_printer_id])
    label_printer = so.relationship("Printer", foreign_keys=[label_printer_id])
    current_session: so.Mapped["TillSession | None"] = so.relationship(
        foreign_keys=[current_session_id], post_update=True
    )


class TillSession(db.Model):
    """From opening with a counted float to the closing (Z report). Never changed once written."""

    __tablename__ = "till_session"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    till_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("till.id"), index=True)
    opened_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    opened_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    float_cents: so.Mapped[int]
    float_counts: so.Mapped[dict | None] = so.mapped_column(sa.JSON)  # {"5000": 1, "200": 10}

    till: so.Mapped[Till] = so.relationship(foreign_keys=[till_id])
    opened_by = so.relationship("User")
    closing: so.Mapped["Closing | None"] = so.relationship(back_populates="session", uselist=False)


class CashKind(StrEnum):
    FLOAT = "float"  # Anfangsbestand
    DEPOSIT = "deposit"  # Einlage
    WITHDRAWAL = "withdrawal"  # Entnahme
    TRANSIT = "transit"  # Geldtransit: money taken to the bank (or the safe)
    DIFFERENCE = "difference"  # DifferenzSollIst at the closing


class CashMovement(db.Model):
    """Cash put into or taken out of the drawer other than by sales."""

    __tablename__ = "cash_movement"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    session_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("till_session.id"), index=True)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    kind: so.Mapped[CashKind] = so.mapped_column(_enum(CashKind))
    amount_cents: so.Mapped[int]  # positive into the drawer, negative out of it
    reason: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))

    user = so.relationship("User")


class Cart(db.Model):
    """The sale being rung up at a till. Mutable until it is paid (then it becomes a Sale)."""

    __tablename__ = "cart"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    till_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("till.id"), index=True)
    session_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("till_session.id"))
    # The sale id the till made; paying twice with it books once.
    uuid: so.Mapped[str] = so.mapped_column(sa.String(36), unique=True)
    started_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    cashier_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    eligibility: so.Mapped[bool] = so.mapped_column(default=False)  # Sozialpass shown
    is_open: so.Mapped[bool] = so.mapped_column(default=True, index=True)
    # The TSE transaction started at the first scan (or why it could not start).
    tse_tx_id: so.Mapped[str | None] = so.mapped_column(sa.String(36))
    tse_number: so.Mapped[int | None]
    tse_started_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    tse_error: so.Mapped[str | None] = so.mapped_column(sa.String(500))

    lines: so.Mapped[list["CartLine"]] = so.relationship(
        back_populates="cart", order_by="CartLine.id", cascade="all, delete-orphan"
    )


class CartLine(db.Model):
    __tablename__ = "cart_line"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    cart_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cart.id"), index=True)
    item_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("item.id"))
    article_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("article.id"))
    quantity: so.Mapped[int] = so.mapped_column(default=1)
    discount_percent: so.Mapped[int] = so.mapped_column(default=0)
    discount_reason: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    discount_confirmed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))

    # A reserved item brought in by its reservation's number: its deposit is counted (issue 18).
    reservation_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("reservation.id"))
    # A service line (no item, no article): "delivery" at the store's fee.
    service: so.Mapped[str | None] = so.mapped_column(sa.String(20))

    cart: so.Mapped[Cart] = so.relationship(back_populates="lines")
    item = so.relationship("Item")
    article = so.relationship("Article")
    reservation = so.relationship("Reservation")


class VoidedLine(db.Model):
    """A line taken off a receipt before payment, or a line of an abandoned cart, as it was priced
    then. Never changed or deleted: the DSFinV-K export shows it with its counter-line (DSFinV-K 2.4,
    4.2.3 "Stornierung von Positionen"), so what was scanned is not lost."""

    __tablename__ = "voided_line"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # The receipt it was on: the cart's id, which the sale keeps as its own (Sale.uuid).
    cart_uuid: so.Mapped[str] = so.mapped_column(sa.String(36), index=True)
    session_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("till_session.id"), index=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))  # removed | abandoned
    description: so.Mapped[str] = so.mapped_column(sa.String(120))
    code: so.Mapped[str | None] = so.mapped_column(sa.String(13))
    article_id: so.Mapped[int | None]
    category_id: so.Mapped[int]
    quantity: so.Mapped[int]
    total_cents: so.Mapped[int]
    vat_rate_bp: so.Mapped[int]
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)


class SaleKind(StrEnum):
    SALE = "sale"
    VOID = "void"  # Storno of a whole sale
    RETURN = "return"  # some lines taken back
    DEPOSIT = "deposit"  # a deposit on a reservation taken (Anzahlungseinstellung)
    DEPOSIT_REFUND = "deposit_refund"  # a deposit paid back (Anzahlungsaufloesung, cash out)
    DEPOSIT_KEPT = "deposit_kept"  # a deposit kept by the store's rule (Anzahlungsaufloesung + Umsatz)


class BusinessCase(StrEnum):
    """The DSFinV-K business case (GV_TYP) of a receipt line (Anhang C)."""

    SALE = "Umsatz"
    DEPOSIT_TAKEN = "Anzahlungseinstellung"
    DEPOSIT_SETTLED = "Anzahlungsaufloesung"


def new_receipt_token() -> str:
    """An unguessable token for the customer's e-receipt link."""
    return secrets.token_urlsafe(24)


class Sale(db.Model):
    """A committed receipt. Never updated or deleted; a void or return is a new, negative Sale."""

    __tablename__ = "sale"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    uuid: so.Mapped[str] = so.mapped_column(sa.String(36), unique=True)
    # The customer's e-receipt link (/receipt/<token>): made by the server, never the client's id.
    receipt_token: so.Mapped[str] = so.mapped_column(
        sa.String(43), unique=True, default=new_receipt_token
    )
    kind: so.Mapped[SaleKind] = so.mapped_column(_enum(SaleKind))
    till_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("till.id"), index=True)
    session_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("till_session.id"), index=True)
    receipt_number: so.Mapped[int]
    started_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
    cashier_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    # What the receipt prints for the cashier; after retention only this stays.
    cashier_label: so.Mapped[str] = so.mapped_column(sa.String(40))
    total_cents: so.Mapped[int]
    eligibility: so.Mapped[bool] = so.mapped_column(default=False)
    # AVTraining: no revenue, no stock.
    training: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    reverses_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("sale.id"), index=True)
    reason: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    confirmed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))

    till: so.Mapped[Till] = so.relationship()
    cashier = so.relationship("User", foreign_keys=[cashier_id])
    confirmed_by = so.relationship("User", foreign_keys=[confirmed_by_id])
    lines: so.Mapped[list["SaleLine"]] = so.relationship(
        back_populates="sale", order_by="SaleLine.position", foreign_keys="SaleLine.sale_id"
    )
    payments: so.Mapped[list["Payment"]] = so.relationship(back_populates="sale", order_by="Payment.id")
    reverses: so.Mapped["Sale | None"] = so.relationship(remote_side=[id])

    __table_args__ = (
        sa.UniqueConstraint("till_id", "receipt_number"),
        # A sale is voided at most once, even when two supervisors press at the same moment.
        sa.Index(
            "uq_sale_void_of",
            "reverses_id",
            unique=True,
            sqlite_where=sa.text("kind = 'void'"),
            postgresql_where=sa.text("kind = 'void'"),
        ),
    )

    @property
    def change_cents(self) -> int:
        """The change handed back (cash paid over the amount due)."""
        return sum(p.change_cents for p in self.payments)


class SaleLine(db.Model):
    """One line of a receipt with its own copy of price, discount and VAT rate."""

    __tablename__ = "sale_line"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    sale_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sale.id"), index=True)
    position: so.Mapped[int]
    item_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("item.id"), index=True)
    article_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("article.id"))
    category_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("category.id"))
    code: so.Mapped[str | None] = so.mapped_column(sa.String(13))
    description: so.Mapped[str] = so.mapped_column(sa.String(120))
    quantity: so.Mapped[int]  # negative on voids and returns
    label_price_cents: so.Mapped[int]  # the list price before markdown
    unit_price_cents: so.Mapped[int]  # after markdown, before discounts
    markdown_percent: so.Mapped[int] = so.mapped_column(default=0)
    discount_percent: so.Mapped[int] = so.mapped_column(default=0)
    discount_cents: so.Mapped[int] = so.mapped_column(default=0)  # positive = price reduced
    discount_reason: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    eligibility_discount_cents: so.Mapped[int] = so.mapped_column(default=0)
    discount_confirmed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    vat_rate_bp: so.Mapped[int]
    total_cents: so.Mapped[int]  # gross, after every discount
    reverses_line_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("sale_line.id"))
    # DSFinV-K GV_TYP of the line; a deposit's settlement refers to the receipt that took it.
    business_case: so.Mapped[str] = so.mapped_column(
        sa.String(30), default=BusinessCase.SALE.value, server_default=BusinessCase.SALE.value
    )
    ref_sale_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("sale.id"))
    service: so.Mapped[str | None] = so.mapped_column(sa.String(20))  # "delivery"

    sale: so.Mapped[Sale] = so.relationship(back_populates="lines", foreign_keys=[sale_id])
    category = so.relationship("Category")


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"  # paid on the external terminal, recorded here
    VOUCHER = "voucher"  # issued by the municipality or the Jobcenter; invoiced monthly


class Payment(db.Model):
    __tablename__ = "payment"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    sale_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sale.id"), index=True)
    method: so.Mapped[PaymentMethod] = so.mapped_column(_enum(PaymentMethod))
    amount_cents: so.Mapped[int]  # what pays the sale (cash: after change); negative on refunds
    tendered_cents: so.Mapped[int | None]  # cash handed over
    change_cents: so.Mapped[int] = so.mapped_column(default=0)
    voucher_number: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    voucher_issuer: so.Mapped[str | None] = so.mapped_column(sa.String(80))

    sale: so.Mapped[Sale] = so.relationship(back_populates="payments")


class Closing(db.Model):
    """The daily closing of a till session: the numbered Z report, stored as it was printed."""

    __tablename__ = "closing"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    till_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("till.id"), index=True)
    session_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("till_session.id"), unique=True)
    number: so.Mapped[int]  # Z number, consecutive per till
    closed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    closed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    expected_cents: so.Mapped[int]
    counted_cents: so.Mapped[int]
    counted: so.Mapped[dict | None] = so.mapped_column(sa.JSON)  # by denomination
    difference_cents: so.Mapped[int]
    difference_reason: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    report: so.Mapped[dict] = so.mapped_column(sa.JSON)  # every figure of the Z report

    session: so.Mapped[TillSession] = so.relationship(back_populates="closing")
    till: so.Mapped[Till] = so.relationship()
    closed_by = so.relationship("User")

    __table_args__ = (sa.UniqueConstraint("till_id", "number"),)
