"""Electrical safety tests (DIN VDE 0701-0702) of appliances."""

from datetime import date, datetime

from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import ValidationError
from store.core.timeutil import local_today, utcnow
from store.extensions import db
from store.goods.models import Item, SafetyTest


def record_safety_test(
    actor: Actor,
    item: Item,
    *,
    tested_on: date | str,
    tester: str,
    passed: bool,
    values: str | None = None,
    now: datetime | None = None,
) -> SafetyTest:
    """Record a DIN VDE 0701-0702 test. A failed appliance cannot be sold."""
    now = now or utcnow()
    if isinstance(tested_on, str):
        try:
            tested_on = date.fromisoformat(tested_on)
        except ValueError:
            raise ValidationError(_("Please enter the test date."), field="tested_on") from None
    if tested_on > local_today(now):
        raise ValidationError(_("The test date cannot be in the future."), field="tested_on")
    if not (tester or "").strip():
        raise ValidationError(_("Please name who tested the appliance."), field="tester")
    test = SafetyTest(
        item=item,
        tested_on=tested_on,
        tester=tester.strip()[:80],
        passed=bool(passed),
        values=(values or "").strip()[:500] or None,
        recorded_at=now,
        recorded_by_id=actor.user_id,
    )
    db.session.add(test)
    audit(
        actor,
        "item.safety_test",
        item,
        {"passed": bool(passed), "tested_on": tested_on.isoformat()},
        now=now,
    )
    return test
