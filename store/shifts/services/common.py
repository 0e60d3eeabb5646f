"""What several service modules of shifts share: the area's settings, its limits, and small checks
of weekdays, shift times and correction reasons."""

from collections.abc import Iterable
from datetime import time

from flask import current_app
from flask_babel import gettext as _

from store.core.errors import ValidationError
from store.shifts.models import AttendanceCode

# Codes that say the person was not at work: a shift on such a day is a planning warning.
ABSENT_CODES = frozenset(AttendanceCode) - {AttendanceCode.PRESENT}
# The longest shift and the longest stretch a clock entry may describe.
MAX_SHIFT_MINUTES = 12 * 60
MAX_WEEKLY_MINUTES = 48 * 60


def defaults(app) -> None:
    """Settings of this area (instance/config.py may override them)."""
    app.config.setdefault("STORE_HOLIDAY_STATE", "NI")
    # (worked minutes above which, break minutes): ArbZG §4.
    app.config.setdefault("BREAK_RULES", [(360, 30), (540, 45)])
    # A Kommen without Gehen stays open this long; after that it is a missing clock-out.
    app.config.setdefault("CLOCK_OPEN_HOURS", 12)
    # Minutes after the planned start (or before the planned end) that do not count as late.
    app.config.setdefault("LATE_GRACE_MINUTES", 5)


def break_rules() -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in current_app.config["BREAK_RULES"]]


def check_weekdays(values: Iterable, field: str, *, required: bool) -> list[int]:
    """Chosen weekdays (0 = Monday … 6 = Sunday), sorted and without repeats."""
    try:
        days = sorted({int(v) for v in values or []})
    except (TypeError, ValueError):
        days = [-1]
    if any(d < 0 or d > 6 for d in days):
        raise ValidationError(_("Please choose weekdays from Monday to Sunday."), field=field)
    if required and not days:
        raise ValidationError(_("Please choose at least one weekday."), field=field)
    return days


def check_times(starts: time | None, ends: time | None) -> None:
    """A shift's start and end are given and differ."""
    if starts is None:
        raise ValidationError(_("Please give the start time."), field="starts_at")
    if ends is None:
        raise ValidationError(_("Please give the end time."), field="ends_at")
    if starts == ends:
        raise ValidationError(_("The shift ends when it starts."), field="ends_at")


def correction_reason(reason: str | None) -> str:
    """The reason of a correction: required, on one line, at most 200 characters."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Please give a reason for the correction."), field="reason")
    return reason[:200]
