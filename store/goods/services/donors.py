"""Donors' names: kept only as long as needed, then erased."""

from datetime import date

import sqlalchemy as sa

from store.core.audit import Actor, audit
from store.core.timeutil import local_today
from store.extensions import db
from store.goods.models import Item

DONOR_KEEP_DAYS = 90


def erase_donor_names(actor: Actor, *, today: date | None = None) -> int:
    """Forget donors' names once they are no longer needed (donor_erase_on has passed)."""
    today = today or local_today()
    items = db.session.scalars(
        sa.select(Item).where(Item.donor_name.is_not(None), Item.donor_erase_on <= today)
    ).all()
    for item in items:
        item.donor_name = None
    if items:
        audit(actor, "goods.donors_erased", None, {"items": len(items)})
    return len(items)
