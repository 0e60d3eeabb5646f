"""Intake: donated goods become items, one intake booking (and one label) per item."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import ValidationError
from store.core.exports import safe_cell
from store.core.settings import get_setting
from store.core.timeutil import local_today, utcnow
from store.extensions import db
from store.goods import codes
from store.goods.models import Category, Condition, Item, ItemStatus, MovementKind
from store.goods.services.categories import get_category
from store.goods.services.donors import DONOR_KEEP_DAYS
from store.goods.services.ledger import book_movement
from store.goods.services.safety import record_safety_test

MAX_QUANTITY = 100  # labels in one intake entry


@dataclass
class IntakeEntry:
    """One line of the intake screen: quantity × the same thing, each with its own label."""

    category_id: int | None
    description: str
    price_cents: int | None
    quantity: int = 1
    condition: str = Condition.GOOD.value
    size: str | None = None
    colour: str | None = None
    brand: str | None = None
    location: str | None = None
    donor_name: str | None = None
    safety_test: dict | None = field(default=None)  # {"tested_on", "tester", "passed", "values"}


def validate_entry(entry: IntakeEntry) -> Category:
    """Check one entry; raises ValidationError naming the field. Books nothing."""
    category = get_category(entry.category_id)
    # Neutralised at input: the DSFinV-K export writes texts as recorded, and an auditor's
    # spreadsheet must not run one as a formula.
    description = safe_cell((entry.description or "").strip())
    if not description:
        raise ValidationError(_("Please describe the item in a few words."), field="description")
    if len(description) > 120:
        raise ValidationError(
            _("The description is too long (120 characters at most)."), field="description"
        )
    if entry.price_cents is None:
        raise ValidationError(_("Please enter a price."), field="price")
    if entry.price_cents <= 0:
        raise ValidationError(_("The price must be more than 0 €."), field="price")
    if entry.price_cents > get_setting("max_price_cents"):
        raise ValidationError(_("This price is too high. Please check it."), field="price")
    if not 1 <= (entry.quantity or 0) <= MAX_QUANTITY:
        raise ValidationError(
            _("The quantity must be between 1 and %(n)s.", n=MAX_QUANTITY), field="quantity"
        )
    try:
        Condition(entry.condition)
    except ValueError:
        raise ValidationError(_("Please choose the condition."), field="condition") from None
    return category


def take_in_items(
    actor: Actor,
    entries: list[IntakeEntry],
    *,
    now: datetime | None = None,
    branch_id: int | None = None,
) -> list[Item]:
    """Book donated goods: one item and one intake booking per label, in branch `branch_id` (None:
    the first branch). All or nothing."""
    now = now or utcnow()
    checked = [(entry, validate_entry(entry)) for entry in entries]
    if not checked:
        raise ValidationError(_("There is nothing to take in."))
    prefix = current_app.config.get("EAN_PREFIX", "20")
    items: list[Item] = []
    for entry, category in checked:
        donor = (entry.donor_name or "").strip() or None
        for _n in range(entry.quantity):
            item = Item(
                category=category,
                description=safe_cell(entry.description.strip()),
                price_cents=entry.price_cents,
                condition=Condition(entry.condition),
                size=_clean(entry.size, 20),
                colour=_clean(entry.colour, 30),
                brand=_clean(entry.brand, 40),
                location=_clean(entry.location, 40),
                donor_name=donor,
                donor_erase_on=(local_today(now) + timedelta(days=DONOR_KEEP_DAYS)) if donor else None,
                taken_in_at=now,
                taken_in_by_id=actor.user_id,
                status=ItemStatus.IN_STOCK,
            )
            if branch_id is not None:
                item.branch_id = branch_id
            db.session.add(item)
            items.append(item)
        db.session.flush()
        for item in items[-entry.quantity :]:
            item.code = codes.make_code(item.id, prefix)
            book_movement(
                actor, now, MovementKind.INTAKE, item=item, quantity=1, price_cents=item.price_cents
            )
            if entry.safety_test:
                record_safety_test(actor, item, now=now, **entry.safety_test)
    audit(actor, "goods.intake", None, {"codes": [i.code for i in items]}, now=now)
    return items


def _clean(text: str | None, length: int) -> str | None:
    text = (text or "").strip()
    return text[:length] or None
