"""Retention of participants' personal data (GDPR Art. 5(1)(e), Art. 17).

A participant's personal data is kept while the measure runs and then for
PARTICIPANT_RETENTION_YEARS (default 5: the ESF+ documents must be kept at least that long) after
the end of the year in which the measure ended (the exit date, or the planned end of the last
agreement). After that the retention run anonymises the person:

Goes: name, username, badge, PIN, password, contact, birth date, referral contact, Jobcenter customer
number, languages, ESF+ special categories, the sign-in record, calendar links and API tokens, the
names and customer number in outbox events, and the free text of their bookings (notes and reasons of
attendance and clock entries, notes of assessments, the address a clock entry came from).

Stays, without a name: the hours (clock events, attendance entries, month closings), shifts,
assessments' levels, the coded ESF+ fields (gender, employment status, education, age band at entry,
exit reason and answers), consents (which partner, which scope, when) — so the statistics and totals
do not change. Sales keep the pseudonymous cashier number only (the user id); the receipt printed the
first name from the user, which is gone. The audit log is kept for its own period (§147 AO) and is
not rewritten.

Each area says what goes in its own tables (the `anonymise` of its sections in
store/<area>/personal_data.py, registered with store.core.personal_data); this run calls them all,
in the order of store.network.personal_data.SECTION_ORDER, inside one erasure window.
"""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app

from store.auth.models import User
from store.core import personal_data
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.immutable import erasure_window
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.network.personal_data import SECTION_ORDER
from store.network.services import end_date, record_of


def keep_until(ended: date) -> date:
    """The last day the personal data of a measure that ended on `ended` is kept."""
    years = current_app.config["PARTICIPANT_RETENTION_YEARS"]
    return date(ended.year + years, 12, 31)


@dataclass
class Due:
    user: User
    ended: date

    @property
    def keep_until(self) -> date:
        return keep_until(self.ended)


def due(today: date | None = None) -> list[Due]:
    """Participants whose retention period is over and who are not anonymised yet."""
    today = today or local_today()
    found = []
    for user in db.session.scalars(sa.select(User).where(User.role == Role.TRAINEE).order_by(User.id)):
        record = record_of(user)
        if record is not None and record.anonymised_at is not None:
            continue
        ended = end_date(user.id, record)
        if ended is not None and keep_until(ended) < today:
            found.append(Due(user, ended))
    return found


def anonymise(actor: Actor, user: User, *, now: datetime | None = None) -> None:
    """Remove the person's personal data; keep hours, levels and coded fields (see above). Every
    area's anonymiser runs inside the erasure window, the only time the free text of bookings
    may change (store.core.immutable)."""
    now = as_utc(now)
    with erasure_window():
        for section in personal_data.sections(SECTION_ORDER):
            if section.anonymise is not None:
                section.anonymise(user, actor, now)
    audit(actor, "participant.anonymise", user, {"user_id": user.id}, now=now)


def run(actor: Actor, *, today: date | None = None, now: datetime | None = None) -> int:
    """Anonymise everybody whose period is over. Returns how many."""
    found = due(today)
    for item in found:
        anonymise(actor, item.user, now=now)
    return len(found)
