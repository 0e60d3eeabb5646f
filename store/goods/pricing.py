"""What an item costs today: the label price with the category's markdown by age applied."""

from dataclasses import dataclass
from datetime import date

from store.core.pricing import apply_percent
from store.core.timeutil import to_local


@dataclass(frozen=True)
class Quote:
    price_cents: int  # what the customer pays today
    label_cents: int  # what the label says
    percent: int  # markdown applied, 0 if none
    weeks: int  # full weeks since intake


def markdown_percent(steps: list[dict], weeks: int) -> int:
    """The highest step reached: steps [{"weeks": 4, "percent": 30}, …]."""
    reached = [s["percent"] for s in steps or [] if weeks >= s["weeks"]]
    return max(reached, default=0)


def quote(label_cents: int, steps: list[dict], taken_in_on: date, today: date) -> Quote:
    weeks = max((today - taken_in_on).days // 7, 0)
    percent = markdown_percent(steps, weeks)
    return Quote(apply_percent(label_cents, percent), label_cents, percent, weeks)


def quote_item(item, today: date) -> Quote:
    return quote(
        item.price_cents, item.category.markdown_steps, to_local(item.taken_in_at).date(), today
    )


def intake_week(item) -> tuple[int, int]:
    """(ISO year, ISO week) of the intake, as printed on the label."""
    iso = to_local(item.taken_in_at).isocalendar()
    return iso.year, iso.week


# Eight colours for the week dots, as shops stick coloured dots per intake week.
WEEK_COLOURS = ["blue", "red", "green", "yellow", "purple", "orange", "black", "white"]


def week_colour(week: int) -> str:
    return WEEK_COLOURS[week % len(WEEK_COLOURS)]
