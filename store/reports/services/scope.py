"""Which branches a report covers: the header's switcher (one branch, or all the user may see) or
the API's `branch`, and the words the page heading uses for them."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from store.branches.models import Branch
from store.extensions import db
from store.reports.services.bookings import Branches


@dataclass(frozen=True)
class Scope:
    """The branches of a report: `ids` for the queries (None: every branch, no filter) and `label`."""

    ids: Branches
    label: str
    branch_id: int | None = None  # the one branch, when the report is of one


def report_scope(ids: set[int]) -> Scope:
    """The scope of a report of these branches (the ones a user may see, or the one chosen)."""
    names = dict(db.session.execute(sa.select(Branch.id, Branch.name).order_by(Branch.name)).all())
    if len(ids) == 1:
        (only,) = ids
        filtered = None if set(names) <= ids else frozenset(ids)
        return Scope(filtered, names.get(only, str(only)), only)
    if set(names) <= ids:
        return Scope(None, _("All branches"))
    return Scope(frozenset(ids), ", ".join(n for bid, n in names.items() if bid in ids))
