"""Categories: the tree, its VAT rate, price range and markdown steps."""

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import ValidationError
from store.extensions import db
from store.goods.models import Category

STEP_WEEKS_MAX = 520  # a markdown step: after 1 … 520 weeks
STEP_PERCENT_MAX = 99  # minus 1 … 99 %


def get_category(category_id: int | None, *, active: bool = True) -> Category:
    category = db.session.get(Category, category_id) if category_id else None
    if category is None or (active and not category.is_active):
        raise ValidationError(_("Please choose a category from the list."), field="category")
    return category


def list_categories(include_inactive: bool = False) -> list[Category]:
    """All categories, ordered as a tree (parents before their children)."""
    query = sa.select(Category)
    if not include_inactive:
        query = query.where(Category.is_active.is_(True))
    rows = list(db.session.scalars(query))
    by_parent: dict[int | None, list[Category]] = {}
    for c in rows:
        by_parent.setdefault(c.parent_id, []).append(c)
    ordered: list[Category] = []

    def walk(parent_id):
        for c in sorted(by_parent.get(parent_id, []), key=lambda c: (c.sort, c.name)):
            ordered.append(c)
            walk(c.id)

    walk(None)
    return ordered


def parent_choices(category: Category | None) -> list[Category]:
    """The categories that may hold `category`: all (inactive ones too), but not the category itself
    nor those below it."""
    return [c for c in list_categories(include_inactive=True) if not _inside(c, category)]


def _inside(node: Category | None, category: Category | None) -> bool:
    """Is `node` the category itself or below it? (It cannot become its own parent.)"""
    while category is not None and node is not None:
        if node.id == category.id:
            return True
        node = node.parent
    return False


def subtree_ids(category_id: int) -> list[int]:
    """The ids of a category and of every category below it."""
    rows = db.session.execute(sa.select(Category.id, Category.parent_id)).all()
    children: dict[int | None, list[int]] = {}
    for cid, parent in rows:
        children.setdefault(parent, []).append(cid)
    found, todo = [], [category_id]
    while todo:
        cid = todo.pop()
        found.append(cid)
        todo.extend(children.get(cid, []))
    return found


def _check_steps(steps: list[dict]) -> list[dict]:
    clean = []
    for step in steps or []:
        weeks, percent = int(step["weeks"]), int(step["percent"])
        if not (1 <= weeks <= STEP_WEEKS_MAX and 1 <= percent <= STEP_PERCENT_MAX):
            raise ValidationError(
                _("A markdown step needs weeks (1 or more) and a percentage between 1 and 99."),
                field="markdown_steps",
            )
        clean.append({"weeks": weeks, "percent": percent})
    clean.sort(key=lambda s: s["weeks"])
    percents = [s["percent"] for s in clean]
    if percents != sorted(percents) or len({s["weeks"] for s in clean}) != len(clean):
        raise ValidationError(
            _("Each markdown step must come later and reduce more than the one before."),
            field="markdown_steps",
        )
    return clean


CATEGORY_FIELDS = (
    "name",
    "parent_id",
    "vat_rate_bp",
    "price_min_cents",
    "price_max_cents",
    "markdown_steps",
    "requires_safety_test",
    "has_clothing_fields",
    "is_active",
    "sort",
)


def save_category(actor: Actor, category: Category | None, **values) -> Category:
    """Create or change a category; every change is audited with old and new values."""
    name = (values.get("name") or "").strip()
    if not name:
        raise ValidationError(_("Please give the category a name."), field="name")
    values["name"] = name
    if values.get("vat_rate_bp") not in (1900, 700, 0):
        raise ValidationError(_("The VAT rate must be 19 %, 7 % or 0 %."), field="vat_rate_bp")
    low, high = values.get("price_min_cents"), values.get("price_max_cents")
    if low is not None and high is not None and low > high:
        raise ValidationError(
            _("The lowest price must not be above the highest."), field="price_min_cents"
        )
    values["markdown_steps"] = _check_steps(values.get("markdown_steps") or [])
    parent_id = values.get("parent_id")
    if parent_id is not None:
        parent = db.session.get(Category, parent_id)
        node = parent
        while node is not None:
            if category is not None and node.id == category.id:
                raise ValidationError(_("A category cannot be placed inside itself."), field="parent_id")
            node = node.parent
        if parent is None:
            raise ValidationError(_("The parent category does not exist."), field="parent_id")
    old = {k: getattr(category, k) for k in CATEGORY_FIELDS} if category else None
    if category is None:
        category = Category()
        db.session.add(category)
    for key in CATEGORY_FIELDS:
        if key in values:
            setattr(category, key, values[key])
    new = {k: getattr(category, k) for k in CATEGORY_FIELDS}
    changed = {k: [old[k], new[k]] for k in CATEGORY_FIELDS if old and old[k] != new[k]}
    if old is None:
        audit(actor, "category.create", category, new)
    elif changed:
        audit(actor, "category.update", category, changed)
    return category


SERVICE_CATEGORY = "Dienstleistungen"


def service_category() -> Category:
    """The category of the till's service lines (deliveries): made once, not used at the intake
    (inactive). A service line carries its own VAT rate from the store's settings."""
    category = db.session.scalar(
        sa.select(Category).where(Category.name == SERVICE_CATEGORY, Category.parent_id.is_(None))
    )
    if category is None:
        category = Category(name=SERVICE_CATEGORY, parent_id=None, is_active=False, sort=9999)
        db.session.add(category)
        db.session.flush()
    return category
