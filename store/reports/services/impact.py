"""Environmental impact: kg of goods kept in use and CO₂e avoided, by category.

items sold (net of returns and voids) × the category's average weight per item × the CO₂e avoided per
kg re-used, each factor as it was valid on the day of the sale (store.goods.services.impact), so a
report of a period that has ended does not change when an admin changes a factor.
"""

from collections import defaultdict

from flask_babel import lazy_gettext as _l

from store.goods.services import FactorTable
from store.reports.services.sales import SalesData, category_labels

IMPACT_METHOD = _l(
    "Items sold in the period (returns and voids subtracted) × the category's average weight per item "
    "= kg kept in use; × the category's CO₂e avoided per kg re-used = CO₂e avoided. Each factor as "
    "valid on the day of the sale; defaults and sources in the manual (Reports)."
)
IMPACT_UNITS = {"items": "pieces", "kg": "kg", "co2e_kg": "kg CO2e"}


def impact(data: SalesData, factors: FactorTable, *, top_level: bool = True) -> dict:
    """Totals and one group per (top-level) category, with the factors that were used."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    used: dict[int, set] = defaultdict(set)
    for part, cells in data.categories:
        for (cid, _rate), (_gross, qty) in cells.items():
            factor = factors.factor(cid, part.first)
            kg = qty * factor.grams_per_item / 1000
            key = factors.top_level(cid) if top_level else cid
            row = sums[key]
            row[0] += qty
            row[1] += kg
            row[2] += kg * factor.co2e_g_per_kg / 1000
            used[key].add(factor.source)
    labels = category_labels(sums, factors)
    groups = [
        {
            "key": str(cid),
            "label": labels.get(cid, str(cid)),
            "items": int(items),
            "kg": round(kg, 1),
            "co2e_kg": round(co2e, 1),
            "sources": sorted(s for s in used[cid] if s),
        }
        for cid, (items, kg, co2e) in sums.items()
    ]
    groups.sort(key=lambda g: (-g["kg"], g["label"]))
    return {
        "items": int(sum(r[0] for r in sums.values())),
        "kg": round(sum(r[1] for r in sums.values()), 1),
        "co2e_kg": round(sum(r[2] for r in sums.values()), 1),
        "groups": groups,
    }
