"""Categories, donated items, standard articles, and the stock ledger that says what happened to them."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.branches.models import BranchOwned
from store.core.types import UTCDateTime
from store.extensions import db


def _enum(cls, length: int = 16):
    return sa.Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Category(db.Model):
    """A node of the category tree; carries the VAT rate, the suggested prices and the markdown rule."""

    __tablename__ = "category"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    parent_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("category.id"), index=True)
    # VAT in basis points: 1900 = 19 %, 700 = 7 %. Sale lines copy it; changes are audited.
    vat_rate_bp: so.Mapped[int] = so.mapped_column(default=1900)
    price_min_cents: so.Mapped[int | None]
    price_max_cents: so.Mapped[int | None]
    # Markdown by age: [{"weeks": 4, "percent": 30}, {"weeks": 8, "percent": 50}].
    markdown_steps: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    # Used electrical appliances: only sold after a passed DIN VDE 0701-0702 test.
    requires_safety_test: so.Mapped[bool] = so.mapped_column(default=False)
    # Clothing shows size, colour and brand at intake.
    has_clothing_fields: so.Mapped[bool] = so.mapped_column(default=False)
    is_active: so.Mapped[bool] = so.mapped_column(default=True)
    sort: so.Mapped[int] = so.mapped_column(default=0)

    parent: so.Mapped["Category | None"] = so.relationship(remote_side=[id], back_populates="children")
    children: so.Mapped[list["Category"]] = so.relationship(
        back_populates="parent", order_by="Category.sort, Category.name"
    )

    @property
    def path(self) -> str:
        """'Kleidung › Damen › Jacken'."""
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " › ".join(reversed(names))

    @property
    def vat_percent(self) -> str:
        return f"{self.vat_rate_bp / 100:g}"


class ItemStatus(StrEnum):
    IN_STOCK = "in_stock"
    SOLD = "sold"
    WRITTEN_OFF = "written_off"


class Condition(StrEnum):
    NEW = "new"
    LIKE_NEW = "like_new"
    GOOD = "good"
    USED = "used"


class Item(BranchOwned, db.Model):
    """One donated thing with its own label; sold once."""

    __tablename__ = "item"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # In-store EAN-13 (prefix 2); set right after the insert from the id, never reused.
    code: so.Mapped[str | None] = so.mapped_column(sa.String(13), unique=True)
    category_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("category.id"), index=True)
    description: so.Mapped[str] = so.mapped_column(sa.String(120))
    # The label price; the till applies the markdown. Changes are bookings (kind "price").
    price_cents: so.Mapped[int]
    condition: so.Mapped[Condition] = so.mapped_column(_enum(Condition), default=Condition.GOOD)
    size: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    colour: so.Mapped[str | None] = so.mapped_column(sa.String(30))
    brand: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    location: so.Mapped[str | None] = so.mapped_column(sa.String(40), index=True)
    photo: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    # Donors are anonymous unless they want a name kept (e.g. for a pick-up); erased after a while.
    donor_name: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    donor_erase_on: so.Mapped[date | None]
    taken_in_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
    taken_in_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    # What the ledger says, kept here so a sale can claim the item with one conditional UPDATE.
    status: so.Mapped[ItemStatus] = so.mapped_column(_enum(ItemStatus), index=True)

    category: so.Mapped[Category] = so.relationship()
    taken_in_by = so.relationship("User")
    movements: so.Mapped[list["StockMovement"]] = so.relationship(
        back_populates="item", order_by="StockMovement.id"
    )
    safety_tests: so.Mapped[list["SafetyTest"]] = so.relationship(
        back_populates="item", order_by="SafetyTest.id"
    )

    @property
    def last_safety_test(self) -> "SafetyTest | None":
        return self.safety_tests[-1] if self.safety_tests else None


class Article(db.Model):
    """A standard article sold by quantity from the price list ("Buch 1 €"), without own labels."""

    __tablename__ = "article"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    category_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("category.id"), index=True)
    price_cents: so.Mapped[int]
    # Counted stock is optional: most price-list goods are not counted.
    track_stock: so.Mapped[bool] = so.mapped_column(default=False)
    is_active: so.Mapped[bool] = so.mapped_column(default=True)
    sort: so.Mapped[int] = so.mapped_column(default=0)

    category: so.Mapped[Category] = so.relationship()


class MovementKind(StrEnum):
    INTAKE = "intake"
    SALE = "sale"
    RETURN = "return"
    WRITE_OFF = "write_off"
    CORRECTION = "correction"  # reverses an earlier booking
    PRICE = "price"  # the label price changed
    STOCK_IN = "stock_in"  # counted articles added to stock
    TRANSFER_OUT = "transfer_out"  # moved to another branch (booked at the branch it leaves)
    TRANSFER_IN = "transfer_in"  # came from another branch (booked at the branch it reaches)


class WriteOffReason(StrEnum):
    DAMAGED = "damaged"
    DISPOSED = "disposed"
    CHARITY = "charity"  # passed on to another charity
    MISSING = "missing"  # not found at a stocktake
    SAFETY_TEST_FAILED = "safety_failed"
    OTHER = "other"


class StockMovement(db.Model):
    """One booking of the stock ledger. Never updated or deleted (database triggers refuse it)."""

    __tablename__ = "stock_movement"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
    kind: so.Mapped[MovementKind] = so.mapped_column(_enum(MovementKind))
    item_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("item.id"), index=True)
    article_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("article.id"), index=True)
    quantity: so.Mapped[int]  # +1 in, -1 out; 0 for a price change
    price_cents: so.Mapped[int | None]  # the price after a price change, or at intake
    reason: so.Mapped[WriteOffReason | None] = so.mapped_column(_enum(WriteOffReason))
    note: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    till_id: so.Mapped[int | None]
    # The branch it was booked at (transfers book one at each side); None: before branches existed.
    branch_id: so.Mapped[int | None]
    # The booking this one reverses (corrections), and what caused it (e.g. a sale).
    reverses_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("stock_movement.id"))
    ref_type: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    ref_id: so.Mapped[str | None] = so.mapped_column(sa.String(64))

    item: so.Mapped[Item | None] = so.relationship(back_populates="movements")
    article: so.Mapped[Article | None] = so.relationship()
    user = so.relationship("User")
    reverses: so.Mapped["StockMovement | None"] = so.relationship(remote_side=[id])

    __table_args__ = (
        sa.CheckConstraint("(item_id IS NULL) <> (article_id IS NULL)", name="item_or_article"),
    )


class SafetyTest(db.Model):
    """A DIN VDE 0701-0702 test of a used appliance. Appended, never changed; the latest counts."""

    __tablename__ = "safety_test"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    item_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("item.id"), index=True)
    tested_on: so.Mapped[date]
    tester: so.Mapped[str] = so.mapped_column(sa.String(80))
    passed: so.Mapped[bool]
    # Measured values as the tester writes them (protective conductor, insulation, leakage).
    values: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    recorded_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    recorded_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))

    item: so.Mapped[Item] = so.relationship(back_populates="safety_tests")


class Stocktake(BranchOwned, db.Model):
    """Counting one shelf or area of one branch: scan what is there, then book what is missing."""

    __tablename__ = "stocktake"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    location: so.Mapped[str] = so.mapped_column(sa.String(40))
    started_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    started_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    finished_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    scans: so.Mapped[list["StocktakeScan"]] = so.relationship(
        back_populates="stocktake", order_by="StocktakeScan.id"
    )


class StocktakeScan(db.Model):
    __tablename__ = "stocktake_scan"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    stocktake_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("stocktake.id"), index=True)
    item_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("item.id"))
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)

    stocktake: so.Mapped[Stocktake] = so.relationship(back_populates="scans")
    item: so.Mapped[Item] = so.relationship()

    __table_args__ = (sa.UniqueConstraint("stocktake_id", "item_id"),)


class CategoryImpact(db.Model):
    """A version of a category's environmental factors: the average weight of an item and the CO₂e
    avoided per kg re-used, valid from a day on. Appended, never changed, so a report of a closed
    period keeps the factors it was made with; a category without a version uses its parent's."""

    __tablename__ = "category_impact"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    category_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("category.id"), index=True)
    valid_from: so.Mapped[date]  # the local day from which it counts (never in the past)
    grams_per_item: so.Mapped[int]  # average weight of one item, in grams
    co2e_g_per_kg: so.Mapped[int]  # grams of CO₂e avoided per kg re-used (2500 = 2.5 kg/kg)
    source: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    set_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    set_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))

    category: so.Mapped[Category] = so.relationship()


class ReservationStatus(StrEnum):
    ACTIVE = "active"
    SOLD = "sold"  # bought by its customer at the till
    RELEASED = "released"  # ended by staff before the date
    LAPSED = "lapsed"  # not collected by the date: the item is for sale again


class Reservation(db.Model):
    """A unique item held for one customer until a date. While it is active, only a till at which
    the reservation's number was typed may sell the item (store.goods.services.reservations)."""

    __tablename__ = "reservation"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # What the customer is given: 5 digits and a check digit, typed into the till's scan field.
    number: so.Mapped[str | None] = so.mapped_column(sa.String(8), unique=True)
    item_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("item.id"), index=True)
    # A name or a number the customer was given; a phone number only if they want a call.
    customer: so.Mapped[str] = so.mapped_column(sa.String(80))
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    until: so.Mapped[date]
    # The deposit agreed (due until a till takes it) or taken; 0 = none.
    deposit_cents: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    # The till's receipt that took the deposit (a sale id), and the one that settled it: counted in
    # the sale, refunded, or kept by the store's rule (DEPOSIT_OUTCOMES).
    deposit_ref: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    deposit_settled_ref: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    deposit_outcome: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    status: so.Mapped[ReservationStatus] = so.mapped_column(
        _enum(ReservationStatus), default=ReservationStatus.ACTIVE, index=True
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    # The till where the number was typed last: the one till that may sell the item.
    till_id: so.Mapped[int | None]
    ended_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    ended_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    sale_ref: so.Mapped[str | None] = so.mapped_column(sa.String(64))

    item: so.Mapped[Item] = so.relationship()
    created_by = so.relationship("User", foreign_keys=[created_by_id])

    @property
    def deposit_state(self) -> str:
        """none, due (agreed, not taken yet), held (taken, not settled), used, refunded or kept."""
        if self.deposit_outcome:
            return self.deposit_outcome
        if self.deposit_ref:
            return "held"
        return "due" if self.deposit_cents else "none"

    __table_args__ = (
        # One active reservation per item, enforced by the database.
        sa.Index(
            "uq_reservation_active_item",
            "item_id",
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        ),
    )
