"""Practice: a trainee starts a practice session on a training till by themselves. A training till
signs its receipts as AVTraining, counts no revenue and moves no stock, so nothing needs a
supervisor; a closed one is opened with an empty drawer (practice money is not counted)."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import NotFoundError
from store.extensions import db
from store.till.models import Till
from store.till.services.cash import open_session


def practice_tills() -> list[Till]:
    """The tills in training mode that are switched on."""
    query = sa.select(Till).where(Till.training.is_(True), Till.is_active.is_(True)).order_by(Till.name)
    return list(db.session.scalars(query))


def start_practice(actor: Actor, till_id: int | None = None, *, now: datetime | None = None) -> Till:
    """The practice till to sell on, opened for practice if it was closed."""
    tills = practice_tills()
    till = next((t for t in tills if t.id == till_id), tills[0] if tills and till_id is None else None)
    if till is None:
        raise NotFoundError(_("No practice till is set up. Please ask a supervisor."))
    if till.current_session_id is None:
        open_session(actor, till, float_cents=0, now=now)
    audit(actor, "till.practice", till, {}, now=now)
    return till
