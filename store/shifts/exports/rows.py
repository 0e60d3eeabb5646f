"""The rows of the monthly sheet, one generator per shape, that every file format renders (as
pretix's exporters do), so the PDF, XLSX and CSV files agree."""

from collections.abc import Iterator

from babel.dates import format_date
from flask_babel import gettext as _

from store.core.exports import euro
from store.core.i18n import locale_name
from store.core.timeutil import local_today
from store.shifts.labels import CODE_LABELS, WEEKDAYS_SHORT
from store.shifts.models import AttendanceCode
from store.shifts.sheets import MonthSheet


def decimal_hours(minutes: int | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 2)


def hours_cell(minutes: int | None) -> str:
    """For CSV: 255 → '4,25' (decimal comma, as German spreadsheets read it)."""
    return "" if minutes is None else f"{minutes / 60:.2f}".replace(".", ",")


def month_title(sheet: MonthSheet) -> str:
    return format_date(sheet.first, "LLLL yyyy", locale=locale_name())


def code_text(code) -> str:
    """An attendance code in words (empty for none)."""
    return str(CODE_LABELS[code]) if code is not None else ""


def day_note(day) -> str:
    """What the note column says about a day: holiday, certificate, lateness, breaks, the note."""
    parts = []
    entry = day.entry
    if day.holiday:
        parts.append(day.holiday)
    if entry is not None:
        if entry.certificate_until:
            parts.append(
                _("certificate until %(day)s", day=entry.certificate_until.strftime("%d.%m.%Y"))
            )
        if entry.late_minutes:
            parts.append(_("late %(m)s min", m=entry.late_minutes))
        if entry.early_leave_minutes:
            parts.append(_("left %(m)s min early", m=entry.early_leave_minutes))
        if entry.break_minutes:
            parts.append(_("break %(m)s min deducted", m=entry.break_minutes))
        if entry.note:
            parts.append(entry.note)
    elif day.clock is not None and day.clock.missing_out and day.day < local_today():
        parts.append(_("clock-out missing"))
    return "; ".join(parts)


def day_header() -> list[str]:
    return [
        _("Date"),
        _("Day"),
        _("Planned (h)"),
        _("Clocked (h)"),
        _("Confirmed (h)"),
        _("Code"),
        _("Note"),
    ]


def day_text(day) -> str:
    return day.strftime("%d.%m.%Y")


def day_rows(sheet: MonthSheet, hours=hours_cell, day_cell=day_text) -> Iterator[list]:
    for day in sheet.days:
        yield [
            day_cell(day.day),
            str(WEEKDAYS_SHORT[day.day.weekday()]),
            hours(day.planned or None),
            hours(day.clocked),
            hours(day.confirmed),
            code_text(day.code),
            day_note(day),
        ]


def summary_rows(sheet: MonthSheet, hours=hours_cell, money=euro) -> Iterator[list]:
    yield [_("Total"), "", hours(sheet.planned), hours(sheet.clocked), hours(sheet.confirmed), "", ""]
    yield [_("Hours attended"), "", "", "", hours(sheet.attended), "", ""]
    for code in AttendanceCode:
        if sheet.counts.get(code):
            yield [code_text(code), "", "", "", "", sheet.counts[code], _("days")]
    if sheet.has_allowance:
        yield [_("Allowance (€)"), "", "", "", "", money(sheet.allowance_cents), ""]
        if sheet.corrections:
            yield [
                _("Corrections of earlier months (€)"),
                "",
                "",
                "",
                "",
                money(sheet.corrections_cents),
                "",
            ]
            yield [_("To pay (€)"), "", "", "", "", money(sheet.payable_cents), ""]


def correction_rows(
    sheet: MonthSheet, hours=hours_cell, money=euro, day_cell=day_text
) -> Iterator[list]:
    for c in sheet.corrections:
        yield [
            day_cell(c.entry.day),
            f"{code_text(c.before.code) if c.before else '–'} → {code_text(c.entry.code)}",
            hours(c.before.minutes if c.before else None),
            hours(c.entry.minutes),
            c.entry.reason or "",
            c.entry.confirmed_by.short_name if c.entry.confirmed_by else "",
            money(c.allowance_diff_cents),
        ]


def correction_header() -> list[str]:
    return [
        _("Day"),
        _("Change"),
        _("Hours before"),
        _("Hours now"),
        _("Reason"),
        _("By"),
        _("Allowance difference (€)"),
    ]
