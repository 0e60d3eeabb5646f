"""Environmental factors of a category: the average weight of one item and the CO₂e avoided per kg
re-used. Versions are appended with the day they count from (today, never a past day), so a report
of a period that has ended keeps the factors it was made with. A category without a version of its
own uses its parent's; a top-level category without any uses the published default that matches its
name (docs/reports.md names the sources)."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import ValidationError
from store.core.settings import get_setting, set_setting
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.goods.models import Category, CategoryImpact

# The day the published defaults count from: before any store had its own figures.
DEFAULTS_FROM = date(2000, 1, 1)
WRAP_TEXTILES = "WRAP Clothing Knowledge Hub: re-used clothing and textiles save 4 t CO₂e per t"
WRAP_FURNITURE = "WRAP (2011) Benefits of Reuse – Domestic Furniture: 1.45 t CO₂e per t (sofas)"
RESTART_SMALL = "The Restart Project, Fixometer: small kitchen item 2.7 kg, 15.8 kg CO₂e; 50 % displaced"
RESTART_TOY = "The Restart Project, Fixometer: toy 1.27 kg, 15 kg CO₂e; 50 % displaced"
FALLBACK = "Kaufhaus fallback: 1 kg CO₂e per kg (below every published figure used here)"


@dataclass(frozen=True)
class Factor:
    """The factors that count for a category on a day."""

    grams_per_item: int
    co2e_g_per_kg: int
    source: str
    valid_from: date
    category_id: int | None = None  # the category whose version it is (None: a published default)

    @property
    def kg_per_item(self) -> float:
        return self.grams_per_item / 1000

    @property
    def co2e_kg_per_kg(self) -> float:
        return self.co2e_g_per_kg / 1000


# (words in a top-level category's name, grams per item, g CO₂e per kg, source), first match wins.
DEFAULTS: list[tuple[tuple[str, ...], int, int, str]] = [
    (("kleid", "textil", "schuh", "mode", "cloth"), 500, 4000, WRAP_TEXTILES),
    (("möbel", "moebel", "furniture"), 25000, 1450, WRAP_FURNITURE),
    (("elektro", "elektr", "electr", "technik"), 2700, 2900, RESTART_SMALL),
    (("spiel", "toy"), 1270, 5900, RESTART_TOY),
    (("buch", "bücher", "medien", "book"), 400, 1000, FALLBACK),
]
GENERAL_DEFAULT = (1000, 1000, FALLBACK)


def default_factor(name: str) -> Factor:
    """The published default for a top-level category, by the words in its name."""
    lowered = name.lower()
    for words, grams, co2e, source in DEFAULTS:
        if any(word in lowered for word in words):
            return Factor(grams, co2e, source, DEFAULTS_FROM)
    grams, co2e, source = GENERAL_DEFAULT
    return Factor(grams, co2e, source, DEFAULTS_FROM)


class FactorTable:
    """Every category's factor versions, loaded once; `factor(category_id, day)` resolves one."""

    def __init__(self) -> None:
        self.parents: dict[int, int | None] = {}
        self.names: dict[int, str] = {}
        for cid, parent, name in db.session.execute(
            sa.select(Category.id, Category.parent_id, Category.name)
        ):
            self.parents[cid], self.names[cid] = parent, name
        self.versions: dict[int, list[Factor]] = {}
        rows = db.session.scalars(
            sa.select(CategoryImpact).order_by(CategoryImpact.valid_from, CategoryImpact.id)
        )
        for row in rows:
            self.versions.setdefault(row.category_id, []).append(
                Factor(
                    row.grams_per_item, row.co2e_g_per_kg, row.source, row.valid_from, row.category_id
                )
            )

    def changes_between(self, first: date, last: date) -> list[date]:
        """The days within first…last (after first) on which some factor changes."""
        return sorted(
            {f.valid_from for vs in self.versions.values() for f in vs if first < f.valid_from <= last}
        )

    def own(self, category_id: int, day: date) -> Factor | None:
        found = None
        for version in self.versions.get(category_id, ()):
            if version.valid_from <= day:
                found = version
        return found

    def factor(self, category_id: int, day: date) -> Factor:
        node: int | None = category_id
        top = category_id
        seen = set()
        while node is not None and node not in seen:
            seen.add(node)
            version = self.own(node, day)
            if version is not None:
                return version
            top = node
            node = self.parents.get(node)
        return default_factor(self.names.get(top, ""))

    def path(self, category_id: int) -> str:
        """'Kleidung › Damen › Jacken', from the loaded tree."""
        names, node, seen = [], category_id, set()
        while node is not None and node not in seen:
            seen.add(node)
            names.append(self.names.get(node, str(node)))
            node = self.parents.get(node)
        return " › ".join(reversed(names))

    def top_level(self, category_id: int) -> int:
        node, seen = category_id, set()
        while self.parents.get(node) is not None and node not in seen:
            seen.add(node)
            node = self.parents[node]
        return node


def impact_factors(category: Category, today: date | None = None) -> tuple[Factor, bool]:
    """The factor that counts for the category today, and whether it is the category's own."""
    table = FactorTable()
    factor = table.factor(category.id, today or local_today())
    return factor, factor.category_id == category.id


def impact_history(category: Category) -> list[CategoryImpact]:
    return list(
        db.session.scalars(
            sa.select(CategoryImpact)
            .where(CategoryImpact.category_id == category.id)
            .order_by(CategoryImpact.valid_from.desc(), CategoryImpact.id.desc())
        )
    )


def set_impact_factors(
    actor: Actor,
    category: Category,
    *,
    grams_per_item: int,
    co2e_g_per_kg: int,
    source: str = "",
    now: datetime | None = None,
) -> CategoryImpact | None:
    """Append a version counting from today (local). Nothing is written when nothing changes."""
    now = as_utc(now)
    if not 0 < grams_per_item <= 5_000_000:
        raise ValidationError(_("Please give the average weight of an item in kg."), field="weight_kg")
    if not 0 <= co2e_g_per_kg <= 1_000_000:
        raise ValidationError(_("Please give the CO₂e avoided per kg re-used."), field="co2e_per_kg")
    today = local_today(now)
    current, is_own = impact_factors(category, today)
    source = (source or "").strip()[:200]
    if (current.grams_per_item, current.co2e_g_per_kg) == (grams_per_item, co2e_g_per_kg) and (
        not source or source == current.source
    ):
        return None
    version = CategoryImpact(
        category_id=category.id,
        valid_from=today,
        grams_per_item=grams_per_item,
        co2e_g_per_kg=co2e_g_per_kg,
        source=source or (current.source if is_own else ""),
        set_at=now,
        set_by_id=actor.user_id,
    )
    db.session.add(version)
    db.session.flush()
    audit(
        actor,
        "category.impact",
        category,
        {
            "valid_from": today.isoformat(),
            "old": [current.grams_per_item, current.co2e_g_per_kg],
            "new": [grams_per_item, co2e_g_per_kg],
        },
        now=now,
    )
    return version


def receipt_impact_line() -> bool:
    """Whether receipts print the kg kept in use (a store setting, off by default)."""
    return bool(get_setting("receipt_impact_line"))


def set_receipt_impact_line(actor: Actor, on: bool) -> bool:
    """Switch the receipt's line on or off; True if it changed."""
    if bool(on) == receipt_impact_line():
        return False
    set_setting(actor, "receipt_impact_line", bool(on))
    return True


def receipt_impact_text(lines: list[tuple[int, int]], day: date) -> str | None:
    """The receipt's line for [(category id, quantity), …] bought on `day`, when the store prints it:
    'Mit diesem Einkauf bleiben 4,5 kg in Gebrauch'. None when switched off or nothing weighs."""
    if not receipt_impact_line():
        return None
    kg = kg_of_lines(lines, day)
    if kg <= 0:
        return None
    amount = f"{kg:.1f}".replace(".", ",")
    return _("With this purchase %(kg)s kg stay in use", kg=amount)


def kg_of_lines(lines: list[tuple[int, int]], day: date) -> float:
    """kg kept in use by [(category_id, quantity), …] sold on `day` (for the receipt's line)."""
    table = FactorTable()
    return sum(table.factor(cid, day).grams_per_item * qty for cid, qty in lines) / 1000
