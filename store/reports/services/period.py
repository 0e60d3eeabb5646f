"""The period a report covers (local calendar days, both included) and the one before it."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from store.core.errors import ValidationError
from store.core.timeutil import add_months, local_day_bounds, month_days_range, months_between

GROUPS = ("day", "week", "month", "category", "payment", "till", "station", "branch")
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        """The UTC instant the first day begins (in the store's zone)."""
        return local_day_bounds(self.first)[0]

    @property
    def end(self) -> datetime:
        """The UTC instant after the last day."""
        return local_day_bounds(self.last)[1]

    @property
    def whole_months(self) -> int:
        """How many calendar months the period covers exactly (0 when it is not whole months)."""
        if self.first.day != 1 or (self.last + timedelta(days=1)).day != 1:
            return 0
        return len(months_between(self.first, self.last))

    def previous(self) -> "Period":
        """The period before: the same number of calendar months, else the same number of days."""
        months = self.whole_months
        if months:
            return Period(add_months(self.first, -months), self.first - timedelta(days=1))
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def is_closed(self, today: date) -> bool:
        return self.last < today

    def split(self, days: list[date]) -> list["Period"]:
        """The period cut before each of `days` (days inside it, after its first)."""
        cuts = [d for d in sorted(set(days)) if self.first < d <= self.last]
        parts, first = [], self.first
        for cut in cuts:
            parts.append(Period(first, cut - timedelta(days=1)))
            first = cut
        parts.append(Period(first, self.last))
        return parts


def make_period(first: date | None, last: date | None) -> Period:
    if first is None or last is None:
        raise ValidationError(_("Please give the first and the last day."), field="from")
    if last < first:
        raise ValidationError(_("The last day must not be before the first."), field="to")
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationError(_("A report covers at most three years."), field="to")
    return Period(first, last)


def month_period(year: int, month: int) -> Period:
    return Period(*month_days_range(year, month))


def quarter_period(year: int, quarter: int) -> Period:
    first = date(year, 3 * (quarter - 1) + 1, 1)
    return Period(first, add_months(first, 3) - timedelta(days=1))


def default_period(today: date) -> Period:
    """This month so far."""
    return Period(today.replace(day=1), today)


def check_group(group: str | None, allowed: tuple[str, ...]) -> str:
    group = group or allowed[0]
    if group not in allowed:
        raise ValidationError(
            _("Group by one of: %(groups)s.", groups=", ".join(allowed)), field="group"
        )
    return group
