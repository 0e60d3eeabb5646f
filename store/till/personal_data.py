"""What the till holds about a person: the sales they booked as cashier (registered with
store.core.personal_data for the Art. 15 export). The retention run leaves sales as they are: a
sale keeps only the pseudonymous cashier number, and the name the receipt printed came from the
user, which the run removes."""

from datetime import datetime

import sqlalchemy as sa

from store.auth.models import User
from store.core.personal_data import Section, register
from store.core.timeutil import to_local
from store.extensions import db
from store.till.models import Sale


def sales(user: User, now: datetime) -> list:
    """Number, date, total and kind only."""
    rows = db.session.scalars(
        sa.select(Sale).where(Sale.cashier_id == user.id).order_by(Sale.created_at, Sale.id)
    )
    return [
        {"id": s.id, "date": to_local(s.created_at).date(), "total_cents": s.total_cents, "kind": s.kind}
        for s in rows
    ]


register(Section("sales", sales))
