"""Days, weeks and months, and the words for them: week and month keys, parsing what people type
(months, hours, times of day), local instants, public holidays."""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays as holidays_lib
from babel.dates import format_date, format_skeleton
from flask import current_app
from flask_babel import gettext as _

from store.core import timeutil
from store.core.errors import ValidationError
from store.core.i18n import locale_name
from store.core.timeutil import add_months, local_today, month_days_range, store_zone, to_local
from store.shifts import worktime
from store.shifts.services.common import MAX_SHIFT_MINUTES, MAX_WEEKLY_MINUTES

# ---------------------------------------------------------------- days, weeks, months


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_key(day: date) -> str:
    """The month of a day: date(2026, 3, 2) → '2026-03'."""
    return timeutil.month_key(day.year, day.month)


def parse_month(text: str | None, default: date | None = None) -> tuple[int, int]:
    """'2026-03' → (2026, 3); empty → the month of `default` (today)."""
    if not text:
        day = default or local_today()
        return day.year, day.month
    try:
        year, month = (int(part) for part in text.split("-"))
        date(year, month, 1)
    except (ValueError, TypeError):
        raise ValidationError(
            _("Please give the month as YYYY-MM, e.g. 2026-03."), field="month"
        ) from None
    return year, month


def month_or_current(text: str | None) -> tuple[int, int]:
    """The month a page shows: the one asked for, else (empty or not a month) this month."""
    try:
        return parse_month(text)
    except ValidationError:
        today = local_today()
        return today.year, today.month


def month_days(year: int, month: int) -> list[date]:
    first, last = month_days_range(year, month)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def following_month(key: str) -> str:
    """'2026-12' → '2027-01'."""
    year, month = (int(p) for p in key.split("-"))
    return timeutil.month_key(*timeutil.following_month(year, month))


def months_after(start: date, months: int) -> date:
    """The day `months` calendar months after `start` (clamped to the month's end)."""
    return add_months(start, months)


# The longest span of days a list (of shifts, of clock entries) may cover.
MAX_RANGE_DAYS = 366


def check_range(first: date, last: date) -> None:
    """A span of days asked for through the API: in order, and at most a year long."""
    if last < first or (last - first).days > MAX_RANGE_DAYS:
        raise ValidationError("date_to must be after date_from, at most a year later")


# ---------------------------------------------------------------- instants and words


def local_instant(day: date, moment: time) -> datetime:
    """A local date and time of day as an aware UTC instant."""
    return datetime.combine(day, moment, tzinfo=store_zone()).astimezone(UTC)


def shift_bounds(day: date, starts: time, ends: time) -> tuple[datetime, datetime]:
    """The UTC start and end of a shift; an end at or before the start is on the next day."""
    start = local_instant(day, starts)
    end = local_instant(day + timedelta(days=1) if ends <= starts else day, ends)
    return start, end


def day_label(day: date) -> str:
    """'Mo., 2. März' / 'Mon, Mar 2'."""
    return format_skeleton("MMMEd", day, locale=locale_name())


def long_day_label(day: date) -> str:
    """'Montag, 2. März' / 'Monday, March 2': the weekday in full, as people say it."""
    locale = locale_name()
    pattern = "EEEE, d. MMMM" if locale.startswith("de") else "EEEE, MMMM d"
    return format_date(day, pattern, locale=locale)


def clock_time(moment: datetime | None) -> str:
    """'8:58' in the store's zone."""
    if moment is None:
        return ""
    local = to_local(moment)
    return f"{local.hour}:{local.minute:02d}"


def hours_text(minutes: int | None) -> str:
    return worktime.format_minutes(minutes)


def hours_plain(minutes: int) -> str:
    """1200 → '20', 1230 → '20:30': hours as people say them."""
    return str(minutes // 60) if minutes % 60 == 0 else worktime.format_minutes(minutes)


def parse_hours(text: str | None, *, limit: int = MAX_SHIFT_MINUTES, field: str = "hours") -> int | None:
    """'4:30', '4,5', '4.5' or '4' hours → minutes; empty → None."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    try:
        if ":" in text:
            hours, minutes = text.split(":", 1)
            if not minutes.isdigit() or len(minutes) != 2 or int(minutes) > 59:
                raise ValueError
            value = int(hours or 0) * 60 + int(minutes)
        else:
            value = round(float(text.replace(",", ".")) * 60)
    except ValueError:
        raise ValidationError(_("Please enter hours such as 4:30 or 4,5."), field=field) from None
    if value < 0 or value > limit:
        raise ValidationError(_("Please enter between 0 and %(n)s hours.", n=limit // 60), field=field)
    return value


def parse_hours_per_week(text: str | None) -> int | None:
    return parse_hours(text, limit=MAX_WEEKLY_MINUTES, field="weekly_hours")


def parse_time(text: str | None, field: str) -> time:
    text = (text or "").strip().replace(".", ":")
    try:
        hours, _sep, minutes = text.partition(":")
        return time(int(hours), int(minutes or 0))
    except ValueError:
        raise ValidationError(_("Please enter a time such as 9:00."), field=field) from None


# ---------------------------------------------------------------- public holidays


@lru_cache(maxsize=64)
def _holidays(state: str, year: int, language: str) -> dict[date, str]:
    return dict(holidays_lib.country_holidays("DE", subdiv=state, years=year, language=language))


def holiday_name(day: date) -> str | None:
    """The public holiday on `day` in the store's state (STORE_HOLIDAY_STATE), in the UI language."""
    language = "de" if locale_name().startswith("de") else "en_US"
    return _holidays(current_app.config["STORE_HOLIDAY_STATE"], day.year, language).get(day)
