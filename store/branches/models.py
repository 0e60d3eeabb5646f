"""Branches (Filialen): the shops of one provider, and which users work in which.

Tills, printers, stations and items belong to one branch (the BranchOwned mixin gives them their
`branch_id`); categories, the price list and users are shared. A row written without a branch gets
the first branch (the only one in a single-shop store), so code that knows nothing of branches keeps
working and no row is ever without one.
"""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, has_app_context

from store.core.types import UTCDateTime
from store.extensions import db

# Which users work in which branches (trainees and supervisors see those; coordinators and admins all).
user_branch = sa.Table(
    "user_branch",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("branch_id", sa.ForeignKey("branch.id", ondelete="CASCADE"), primary_key=True),
)


class Branch(db.Model):
    """One shop (Filiale, Betriebsstätte): its name and address, the tax data on its receipts."""

    __tablename__ = "branch"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(80), unique=True)
    # One line as receipts print it: "Marktstraße 12, 49191 Belm".
    address: so.Mapped[str] = so.mapped_column(sa.String(200), default="", server_default="")
    # Tax data printed on its receipts; empty: the store's (STORE_TAX_NUMBER, STORE_VAT_ID).
    tax_number: so.Mapped[str] = so.mapped_column(sa.String(40), default="", server_default="")
    vat_id: so.Mapped[str] = so.mapped_column(sa.String(20), default="", server_default="")
    # DSFinV-K location.csv: LOC_LAND (ISO 3166 alpha-3).
    country: so.Mapped[str] = so.mapped_column(sa.String(3), default="DEU", server_default="DEU")
    is_active: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())
    created_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # Where this branch's labels print when the intake has no till with a label printer of its own
    # (None: the store's label printer, if it stands in this branch). By table name (printing lies
    # above branches); use_alter: printers name their branch too, so one of the two keys comes after
    # both tables exist.
    label_printer_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("printer.id", use_alter=True)
    )

    members = so.relationship("User", secondary=user_branch, order_by="User.username", viewonly=True)

    def tax_data(self) -> tuple[str, str]:
        """(tax number, VAT id) for receipts and the tax office: the branch's own, else the store's."""
        cfg = current_app.config if has_app_context() else {}
        return (
            self.tax_number or cfg.get("STORE_TAX_NUMBER", ""),
            self.vat_id or cfg.get("STORE_VAT_ID", ""),
        )

    def __repr__(self) -> str:
        return f"<Branch {self.name}>"


class BranchOwned:
    """Mixin of the things that stand in one branch: tills, printers, stations, items.

    A class that always needs its branch (the till: its receipt prints the branch's address and tax
    number) sets `branch_loading = "joined"`, so the branch comes with it in the same statement."""

    branch_loading = "select"

    @so.declared_attr
    def branch_id(cls) -> so.Mapped[int]:  # noqa: N805 - declared_attr takes the class
        return so.mapped_column(sa.ForeignKey("branch.id"), index=True)

    @so.declared_attr
    def branch(cls) -> so.Mapped[Branch]:  # noqa: N805
        return so.relationship(
            Branch, foreign_keys=[cls.branch_id], lazy=cls.branch_loading, innerjoin=True
        )


def first_branch(session: so.Session) -> Branch:
    """The first branch, made from the store's name and address when there is none yet (added to
    the session, written with the next flush)."""
    branch = session.info.get("first_branch")
    if branch is not None and branch in session:
        return branch
    with session.no_autoflush:
        branch = session.scalars(sa.select(Branch).order_by(Branch.id).limit(1)).first()
    if branch is None:
        branch = next((b for b in session.new if isinstance(b, Branch)), None)
    if branch is None:
        cfg = current_app.config if has_app_context() else {}
        branch = Branch(
            name=(cfg.get("STORE_NAME") or "Kaufhaus")[:80],
            address=(cfg.get("STORE_ADDRESS") or "")[:200],
            tax_number="",
            vat_id="",
            country="DEU",
            is_active=True,
        )
        session.add(branch)
    session.info["first_branch"] = branch
    return branch


@sa.event.listens_for(so.Session, "before_flush")
def _default_branch(session: so.Session, _context, _instances) -> None:
    """Give a new till, printer, station or item without a branch the first branch."""
    for obj in list(session.new):
        if isinstance(obj, BranchOwned) and obj.branch_id is None and obj.__dict__.get("branch") is None:
            obj.branch = first_branch(session)
