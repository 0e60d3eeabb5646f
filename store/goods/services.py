"""Intake, the stock ledger, prices, safety tests, stocktakes, categories and articles."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from store.core.audit import Actor, AuditEntry, audit
from store.core.errors import ConflictError, NotFoundError, ValidationError
from store.core.settings import get_setting
from store.core.timeutil import local_today, utcnow
from store.extensions import db
from store.goods import codes
from store.goods.labels import escpos_label
from store.goods.models import (
    Article,
    Category,
    Condition,
    Item,
    ItemStatus,
    MovementKind,
    SafetyTest,
    StockMovement,
    Stocktake,
    StocktakeScan,
    WriteOffReason,
)
from store.goods.pricing import quote_item
from store.printing import services as printing
from store.printing.models import Printer

MAX_QUANTITY = 100  # labels in one intake entry
DONOR_KEEP_DAYS = 90


# ---------------------------------------------------------------- categories


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


def _check_steps(steps: list[dict]) -> list[dict]:
    clean = []
    for step in steps or []:
        weeks, percent = int(step["weeks"]), int(step["percent"])
        if not (1 <= weeks <= 520 and 0 < percent < 100):
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


# ---------------------------------------------------------------- intake


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
    description = (entry.description or "").strip()
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
    actor: Actor, entries: list[IntakeEntry], *, now: datetime | None = None
) -> list[Item]:
    """Book donated goods: one item and one intake booking per label. All or nothing."""
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
                description=entry.description.strip(),
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
            db.session.add(item)
            items.append(item)
        db.session.flush()
        for item in items[-entry.quantity :]:
            item.code = codes.make_code(item.id, prefix)
            _book(actor, now, MovementKind.INTAKE, item=item, quantity=1, price_cents=item.price_cents)
            if entry.safety_test:
                record_safety_test(actor, item, now=now, **entry.safety_test)
    audit(actor, "goods.intake", None, {"codes": [i.code for i in items]}, now=now)
    return items


def _clean(text: str | None, length: int) -> str | None:
    text = (text or "").strip()
    return text[:length] or None


def _book(
    actor: Actor,
    now: datetime,
    kind: MovementKind,
    *,
    item: Item | None = None,
    article: Article | None = None,
    quantity: int,
    price_cents: int | None = None,
    reason: WriteOffReason | None = None,
    note: str | None = None,
    reverses: StockMovement | None = None,
    ref: tuple[str, str] | None = None,
) -> StockMovement:
    movement = StockMovement(
        at=now,
        kind=kind,
        item=item,
        article=article,
        quantity=quantity,
        price_cents=price_cents,
        reason=reason,
        note=(note or None),
        user_id=actor.user_id,
        till_id=actor.till_id,
        reverses=reverses,
        ref_type=ref[0] if ref else None,
        ref_id=str(ref[1]) if ref else None,
    )
    db.session.add(movement)
    return movement


# ---------------------------------------------------------------- finding items


def find_item(code: str) -> Item:
    """The item with this code (as scanned), or NotFoundError with a readable message."""
    code = (code or "").strip()
    item = db.session.scalar(sa.select(Item).where(Item.code == code)) if code else None
    if item is None:
        if code.isdigit() and len(code) == 13 and not codes.is_valid(code):
            raise NotFoundError(
                _("The code %(code)s was not read correctly. Please scan again.", code=code)
            )
        raise NotFoundError(_("No item has the code %(code)s.", code=code))
    return item


def get_item(item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    if item is None:
        raise NotFoundError(_("This item does not exist."))
    return item


def check_sellable(item: Item, today: date | None = None) -> None:
    """Raise a clear ServiceError if this item cannot be sold now."""
    if item.status == ItemStatus.SOLD:
        raise ConflictError(_("%(code)s is already sold.", code=item.code))
    if item.status == ItemStatus.WRITTEN_OFF:
        raise ConflictError(_("%(code)s was written off and cannot be sold.", code=item.code))
    if item.category.requires_safety_test:
        test = item.last_safety_test
        if test is None:
            raise ConflictError(
                _("This appliance has no safety test yet. It must not be sold until it has passed one.")
            )
        if not test.passed:
            raise ConflictError(_("This appliance failed its safety test. It must not be sold."))


@dataclass
class ItemSearch:
    text: str = ""
    category_id: int | None = None
    status: str | None = ItemStatus.IN_STOCK.value
    min_weeks: int | None = None
    location: str | None = None


def search_items(search: ItemSearch, *, page: int = 1, per_page: int = 50, now=None):
    """Items matching the filters, newest first, as a Flask-SQLAlchemy pagination."""
    query = sa.select(Item).order_by(Item.id.desc())
    text = (search.text or "").strip()
    if text:
        if text.isdigit():
            query = query.where(Item.code.startswith(text) | Item.description.ilike(f"%{text}%"))
        else:
            query = query.where(Item.description.ilike(f"%{text}%") | Item.brand.ilike(f"%{text}%"))
    if search.category_id:
        ids = _subtree_ids(search.category_id)
        query = query.where(Item.category_id.in_(ids))
    if search.status:
        query = query.where(Item.status == ItemStatus(search.status))
    if search.min_weeks:
        query = query.where(Item.taken_in_at <= (now or utcnow()) - timedelta(weeks=search.min_weeks))
    if search.location:
        query = query.where(Item.location == search.location)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def _subtree_ids(category_id: int) -> list[int]:
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


def ageing(min_weeks: int, *, now: datetime | None = None) -> list[tuple[Category, int, int]]:
    """Per category: items in stock older than min_weeks, and their label value in cents."""
    cutoff = (now or utcnow()) - timedelta(weeks=min_weeks)
    rows = db.session.execute(
        sa.select(Item.category_id, sa.func.count(), sa.func.sum(Item.price_cents))
        .where(Item.status == ItemStatus.IN_STOCK, Item.taken_in_at <= cutoff)
        .group_by(Item.category_id)
    ).all()
    result = [(db.session.get(Category, cid), n, value or 0) for cid, n, value in rows]
    return sorted(result, key=lambda r: -r[1])


def locations() -> list[str]:
    """Shelves and areas in use, for the stocktake and the filters."""
    return list(
        db.session.scalars(
            sa.select(Item.location).where(Item.location.is_not(None)).distinct().order_by(Item.location)
        )
    )


# ---------------------------------------------------------------- ledger bookings


def write_off(
    actor: Actor,
    item: Item,
    reason: WriteOffReason | str,
    note: str = "",
    *,
    now: datetime | None = None,
) -> StockMovement:
    """Take an item out of stock (damaged, disposed, given to another charity, missing)."""
    now = now or utcnow()
    try:
        reason = WriteOffReason(reason)
    except ValueError:
        raise ValidationError(_("Please choose a reason."), field="reason") from None
    if reason == WriteOffReason.OTHER and not (note or "").strip():
        raise ValidationError(_("Please say why."), field="note")
    _set_status(item, ItemStatus.IN_STOCK, ItemStatus.WRITTEN_OFF)
    movement = _book(
        actor,
        now,
        MovementKind.WRITE_OFF,
        item=item,
        quantity=-1,
        reason=reason,
        note=(note or "").strip()[:200],
    )
    audit(actor, "item.write_off", item, {"reason": reason.value, "note": note}, now=now)
    return movement


def correct_movement(
    actor: Actor, movement: StockMovement, note: str, *, now: datetime | None = None
) -> StockMovement:
    """Reverse a wrong booking with a counter-booking; the original stays as it was."""
    now = now or utcnow()
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Please say why the booking is corrected."), field="note")
    if movement.kind not in (MovementKind.WRITE_OFF, MovementKind.STOCK_IN):
        raise ValidationError(
            _(
                "Only write-offs and stock additions can be corrected here. "
                "Sales are corrected at the till with a void or a return."
            )
        )
    already = db.session.scalar(
        sa.select(StockMovement.id).where(StockMovement.reverses_id == movement.id)
    )
    if already:
        raise ConflictError(_("This booking was corrected already."))
    if movement.item is not None:
        _set_status(movement.item, ItemStatus.WRITTEN_OFF, ItemStatus.IN_STOCK)
    counter = _book(
        actor,
        now,
        MovementKind.CORRECTION,
        item=movement.item,
        article=movement.article,
        quantity=-movement.quantity,
        reverses=movement,
        note=note[:200],
    )
    audit(actor, "stock.correction", counter, {"reverses": movement.id, "note": note}, now=now)
    return counter


def change_price(
    actor: Actor, item: Item, price_cents: int, note: str = "", *, now: datetime | None = None
) -> StockMovement:
    """A new label price (the old label should be replaced: reprint it)."""
    now = now or utcnow()
    if item.status != ItemStatus.IN_STOCK:
        raise ConflictError(_("Only items in stock can get a new price."))
    if price_cents <= 0 or price_cents > get_setting("max_price_cents"):
        raise ValidationError(_("Please enter a sensible price."), field="price")
    old = item.price_cents
    item.price_cents = price_cents
    movement = _book(
        actor,
        now,
        MovementKind.PRICE,
        item=item,
        quantity=0,
        price_cents=price_cents,
        note=(note or "").strip()[:200],
    )
    audit(actor, "item.price", item, {"old": old, "new": price_cents, "note": note}, now=now)
    return movement


def _set_status(item: Item, expected: ItemStatus, new: ItemStatus) -> None:
    """Move an item's status only if it is still `expected` (safe when two tills race)."""
    changed = db.session.execute(
        sa.update(Item)
        .where(Item.id == item.id, Item.status == expected)
        .values(status=new)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.refresh(item)
        messages = {
            ItemStatus.SOLD: _("%(code)s is already sold.", code=item.code),
            ItemStatus.WRITTEN_OFF: _("%(code)s was written off already.", code=item.code),
            ItemStatus.IN_STOCK: _("%(code)s is in stock.", code=item.code),
        }
        raise ConflictError(messages[item.status])
    item.status = new
    db.session.flush()


def mark_sold(actor: Actor, item: Item, *, sale_ref: str, now: datetime) -> StockMovement:
    """The till's booking of a sold unique item. Raises ConflictError if another till was first."""
    check_sellable(item)
    _set_status(item, ItemStatus.IN_STOCK, ItemStatus.SOLD)
    return _book(actor, now, MovementKind.SALE, item=item, quantity=-1, ref=("sale", sale_ref))


def mark_returned(
    actor: Actor, item: Item, *, sale_ref: str, now: datetime, to_stock: bool = True
) -> StockMovement:
    """A returned or voided unique item comes back to stock (or is written off at once)."""
    _set_status(item, ItemStatus.SOLD, ItemStatus.IN_STOCK)
    movement = _book(actor, now, MovementKind.RETURN, item=item, quantity=1, ref=("sale", sale_ref))
    if not to_stock:
        write_off(actor, item, WriteOffReason.DAMAGED, _("returned damaged"), now=now)
    return movement


def book_article(
    actor: Actor,
    article: Article,
    quantity: int,
    kind: MovementKind,
    *,
    now: datetime,
    ref: tuple[str, str] | None = None,
    note: str = "",
) -> StockMovement | None:
    """Book counted articles (sold: negative quantity). Untracked articles book nothing."""
    if not article.track_stock:
        return None
    return _book(actor, now, kind, article=article, quantity=quantity, ref=ref, note=note)


def article_stock(article: Article) -> int | None:
    if not article.track_stock:
        return None
    return db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(StockMovement.quantity), 0)).where(
            StockMovement.article_id == article.id
        )
    )


# ---------------------------------------------------------------- safety tests


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


# ---------------------------------------------------------------- stocktake


def start_stocktake(actor: Actor, location: str, *, now: datetime | None = None) -> Stocktake:
    location = (location or "").strip()
    if not location:
        raise ValidationError(_("Please choose the shelf or area to count."), field="location")
    running = open_stocktake(location)
    if running is not None:
        return running  # one count per shelf at a time: go on with it
    stocktake = Stocktake(
        location=location[:40], started_at=now or utcnow(), started_by_id=actor.user_id
    )
    db.session.add(stocktake)
    audit(actor, "stocktake.start", stocktake, {"location": location})
    return stocktake


def scan_for_stocktake(
    actor: Actor, stocktake: Stocktake, code: str, *, now: datetime | None = None
) -> Item:
    """Count one scanned item. Scanning twice counts once."""
    if stocktake.finished_at is not None:
        raise ConflictError(_("This stocktake is finished."))
    item = find_item(code)
    exists = db.session.scalar(
        sa.select(StocktakeScan.id).where(
            StocktakeScan.stocktake_id == stocktake.id, StocktakeScan.item_id == item.id
        )
    )
    if not exists:
        db.session.add(StocktakeScan(stocktake=stocktake, item=item, at=now or utcnow()))
    return item


def missing_items(stocktake: Stocktake) -> list[Item]:
    """Items the ledger puts on this shelf, in stock, that were not scanned."""
    scanned = sa.select(StocktakeScan.item_id).where(StocktakeScan.stocktake_id == stocktake.id)
    query = (
        sa.select(Item)
        .where(
            Item.location == stocktake.location,
            Item.status == ItemStatus.IN_STOCK,
            Item.taken_in_at <= stocktake.started_at,
            Item.id.not_in(scanned),
        )
        .order_by(Item.id)
    )
    return list(db.session.scalars(query))


def finish_stocktake(
    actor: Actor,
    stocktake: Stocktake,
    *,
    write_off_missing: bool,
    note: str = "",
    now: datetime | None = None,
) -> list[Item]:
    """Close the count; optionally write off every missing item in one step."""
    now = now or utcnow()
    if stocktake.finished_at is not None:
        raise ConflictError(_("This stocktake is finished."))
    missing = missing_items(stocktake)
    if write_off_missing:
        text = (note or "").strip() or _("not found at stocktake %(id)s", id=stocktake.id)
        for item in missing:
            write_off(actor, item, WriteOffReason.MISSING, text, now=now)
    stocktake.finished_at = now
    audit(
        actor,
        "stocktake.finish",
        stocktake,
        {"missing": [i.code for i in missing], "written_off": write_off_missing},
        now=now,
    )
    return missing


# ---------------------------------------------------------------- articles


def list_articles(include_inactive: bool = False) -> list[Article]:
    query = sa.select(Article).order_by(Article.sort, Article.name)
    if not include_inactive:
        query = query.where(Article.is_active.is_(True))
    return list(db.session.scalars(query))


def get_article(article_id: int) -> Article:
    article = db.session.get(Article, article_id)
    if article is None or not article.is_active:
        raise NotFoundError(_("This article does not exist."))
    return article


def save_article(
    actor: Actor,
    article: Article | None,
    *,
    name: str,
    category_id: int,
    price_cents: int,
    track_stock: bool = False,
    is_active: bool = True,
    sort: int = 0,
) -> Article:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Please give the article a name."), field="name")
    category = get_category(category_id)
    if price_cents is None or price_cents <= 0 or price_cents > get_setting("max_price_cents"):
        raise ValidationError(_("Please enter a sensible price."), field="price")
    old = {"name": article.name, "price_cents": article.price_cents} if article else None
    if article is None:
        article = Article()
        db.session.add(article)
    article.name, article.category, article.price_cents = name[:80], category, price_cents
    article.track_stock, article.is_active, article.sort = track_stock, is_active, sort
    audit(
        actor,
        "article.save",
        article,
        {"old": old, "name": name, "price_cents": price_cents, "category": category.id},
    )
    return article


def current_price(item: Item, today: date | None = None):
    """The price the till charges today (markdown applied)."""
    return quote_item(item, today or local_today())


# ---------------------------------------------------------------- labels


def label_printer(till_id: int | None = None):
    """The printer for labels: the till's own label printer, else the store's."""
    printer = printing.device_printer(till_id, "label") if till_id else None
    if printer is None:
        printer_id = get_setting("label_printer_id")
        printer = db.session.get(Printer, printer_id) if printer_id else None
    return printer if printer is not None and printer.is_active else None


def queue_labels(actor: Actor, items: list[Item], printer=None, *, now: datetime | None = None):
    """One print job per label, queued in the booking's transaction (printed after commit)."""
    printer = printer or label_printer(actor.till_id)
    if printer is None:
        return []
    with_qr = bool(get_setting("label_qr"))
    return [
        printing.enqueue(
            actor,
            printer,
            "label",
            escpos_label(item, printer, with_qr=with_qr),
            title=_("Label %(code)s %(text)s", code=item.code, text=item.description),
            ref=("item", item.id),
            now=now,
        )
        for item in items
    ]


def items_by_codes(code_list: list[str]) -> list[Item]:
    """Items for these codes, in the order given (unknown codes are skipped)."""
    found = {i.code: i for i in db.session.scalars(sa.select(Item).where(Item.code.in_(code_list)))}
    return [found[c] for c in code_list if c in found]


# ---------------------------------------------------------------- counted stock, stocktake lists

STOCK_IN_MAX = 10_000


def add_article_stock(
    actor: Actor, article: Article, quantity: int, note: str = "", *, now: datetime | None = None
) -> StockMovement:
    """Book counted articles into stock (a delivery, or more found at a count)."""
    now = now or utcnow()
    if not article.track_stock:
        raise ValidationError(_("The stock of this article is not counted."), field="quantity")
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or not (1 <= quantity <= STOCK_IN_MAX)
    ):
        raise ValidationError(
            _("The quantity must be between 1 and %(n)s.", n=STOCK_IN_MAX), field="quantity"
        )
    note = (note or "").strip()[:200]
    movement = _book(actor, now, MovementKind.STOCK_IN, article=article, quantity=quantity, note=note)
    audit(actor, "article.stock_in", article, {"quantity": quantity, "note": note}, now=now)
    return movement


def list_stocktakes(limit: int = 30) -> list[Stocktake]:
    """The most recent stocktakes, open ones first."""
    return list(
        db.session.scalars(
            sa.select(Stocktake)
            .order_by(
                Stocktake.finished_at.is_not(None), Stocktake.started_at.desc(), Stocktake.id.desc()
            )
            .limit(limit)
        )
    )


def open_stocktake(location: str) -> Stocktake | None:
    """The count of this shelf that is still running, if any (to continue it, not start twice)."""
    return db.session.scalar(
        sa.select(Stocktake)
        .where(Stocktake.location == (location or "").strip()[:40], Stocktake.finished_at.is_(None))
        .order_by(Stocktake.id.desc())
        .limit(1)
    )


@dataclass
class StocktakeResult:
    """What a finished stocktake found missing, and whether it was written off."""

    finished_at: datetime | None
    finished_by: object | None  # the User who finished it
    missing: list[Item]
    written_off: bool


def stocktake_result(stocktake: Stocktake) -> StocktakeResult | None:
    """The outcome of a finished stocktake, as its audit entry recorded it."""
    if stocktake.finished_at is None:
        return None
    entry = db.session.scalar(
        sa.select(AuditEntry)
        .where(
            AuditEntry.action == "stocktake.finish",
            AuditEntry.object_type == Stocktake.__tablename__,
            AuditEntry.object_id == str(stocktake.id),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    data = (entry.data if entry is not None else None) or {}
    return StocktakeResult(
        finished_at=stocktake.finished_at,
        finished_by=entry.user if entry is not None else None,
        missing=items_by_codes([c for c in data.get("missing", []) if c]),
        written_off=bool(data.get("written_off")),
    )


# ---------------------------------------------------------------- photos and donors

PHOTO_MAX_PIXELS = 1200


def save_photo(actor: Actor, item: Item, upload, folder: str) -> str:
    """Store an item photo as a JPEG of at most 1200 px; a bad file changes nothing."""
    try:
        image = Image.open(upload)
        image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError):
        raise ValidationError(_("This file is not a photo."), field="photo") from None
    image.thumbnail((PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
    name = f"{item.code}.jpg"
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    image.save(path / name, "JPEG", quality=82)
    item.photo = name
    audit(actor, "item.photo", item, {"file": name})
    return name


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
