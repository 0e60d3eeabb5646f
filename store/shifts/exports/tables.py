"""The monthly sheets as spreadsheets: CSV (one person's sheet, or a month of everybody for the
office) and XLSX (an overview, then one worksheet per person).

CSV hours are decimal hours (4,25). The XLSX stores what a spreadsheet can compute with: days as
dates (DD.MM.YYYY), hours as durations shown as 4:15 ([h]:mm, the way the screens show them) and
euros as numbers with a € format, so Excel and LibreOffice sort, sum and filter them."""

import io
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from store.core.exports import csv_bytes, euro, safe_cell
from store.core.i18n import in_store_language
from store.shifts.exports.rows import (
    code_text,
    correction_header,
    correction_rows,
    day_header,
    day_note,
    day_rows,
    hours_cell,
    month_title,
    summary_rows,
)
from store.shifts.labels import MEASURE_LABELS, weekday_list
from store.shifts.models import AttendanceCode
from store.shifts.sheets import MonthSheet
from store.shifts.worktime import format_minutes

# ---------------------------------------------------------------- CSV


@in_store_language
def sheet_csv(sheet: MonthSheet) -> bytes:
    rows = list(day_rows(sheet))
    rows.append([])
    rows.extend(summary_rows(sheet))
    if sheet.corrections:
        rows.append([])
        rows.append([_("Corrections of closed months")])
        rows.append(correction_header())
        rows.extend(correction_rows(sheet))
    return csv_bytes(day_header(), rows)


@in_store_language
def month_csv(sheets: list[MonthSheet]) -> bytes:
    """All trainees of a month, one row per day (and one per correction), for the office."""
    header = [
        _("Participant"),
        _("User name"),
        _("Date"),
        _("Code"),
        _("Planned (h)"),
        _("Clocked (h)"),
        _("Confirmed (h)"),
        _("Note"),
        _("Correction of a closed month"),
        _("Allowance difference (€)"),
        _("Customer number"),
    ]
    rows = []
    for sheet in sheets:
        for day in sheet.days:
            if day.entry is None and not day.planned and day.clock is None:
                continue
            rows.append(
                [
                    sheet.user.display_name,
                    sheet.user.username,
                    day.day.strftime("%d.%m.%Y"),
                    code_text(day.code),
                    hours_cell(day.planned or None),
                    hours_cell(day.clocked),
                    hours_cell(day.confirmed),
                    day_note(day),
                    "",
                    "",
                    sheet.reference or "",
                ]
            )
        for c in sheet.corrections:
            rows.append(
                [
                    sheet.user.display_name,
                    sheet.user.username,
                    c.entry.day.strftime("%d.%m.%Y"),
                    code_text(c.entry.code),
                    "",
                    "",
                    hours_cell(c.entry.minutes),
                    c.entry.reason or "",
                    _("yes"),
                    euro(c.allowance_diff_cents),
                    sheet.reference or "",
                ]
            )
    return csv_bytes(header, rows)


# ---------------------------------------------------------------- XLSX

_BOLD = Font(bold=True)
_HEAD = PatternFill("solid", fgColor="DDE3EA")
EURO = '#,##0.00 "€"'
DURATION = "[h]:mm"
DAY = "DD.MM.YYYY"


class Hours(float):
    """Minutes as a spreadsheet duration (a fraction of a day), shown as [h]:mm."""

    @classmethod
    def of(cls, minutes: int | None) -> "Hours | None":
        return None if minutes is None else cls(minutes / 1440)


class Euros(float):
    """Cents as euros, shown with a € format."""

    @classmethod
    def of(cls, cents: int | None) -> "Euros | None":
        return None if cents is None else cls(cents / 100)


def _append(ws, values: list) -> None:
    """Append a row; dates, Hours and Euros get their display format, text is made safe."""
    ws.append([v if isinstance(v, date | float | int) else safe_cell(v) for v in values])
    for cell, value in zip(ws[ws.max_row], values, strict=False):
        if isinstance(value, Hours):
            cell.number_format = DURATION
        elif isinstance(value, Euros):
            cell.number_format = EURO
        elif isinstance(value, date):
            cell.number_format = DAY


def _write_sheet(ws, sheet: MonthSheet) -> None:
    ws.append(
        [
            safe_cell(_("Hours sheet")),
            safe_cell(sheet.user.display_name),
            month_title(sheet),
            *([safe_cell(_("Customer number: %(n)s", n=sheet.reference))] if sheet.reference else []),
        ]
    )
    ws["A1"].font = Font(bold=True, size=13)
    agreement = sheet.agreement
    if agreement is not None:
        ws.append(
            [
                str(MEASURE_LABELS[agreement.measure]),
                _("%(h)s h per week", h=format_minutes(agreement.weekly_minutes)),
                weekday_list(agreement.workdays),
            ]
        )
    ws.append([])
    ws.append(day_header())
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = _BOLD, _HEAD
    for row in day_rows(sheet, hours=Hours.of, day_cell=lambda d: d):
        _append(ws, row)
    ws.append([])
    for row in summary_rows(sheet, hours=Hours.of, money=Euros.of):
        _append(ws, row)
        ws.cell(ws.max_row, 1).font = _BOLD
    if sheet.corrections:
        ws.append([])
        ws.append([_("Corrections of closed months")])
        ws.cell(ws.max_row, 1).font = _BOLD
        ws.append(correction_header())
        for cell in ws[ws.max_row]:
            cell.font, cell.fill = _BOLD, _HEAD
        for row in correction_rows(sheet, hours=Hours.of, money=Euros.of, day_cell=lambda d: d):
            _append(ws, row)
    for column, width in zip("ABCDEFG", (14, 10, 12, 12, 13, 24, 48), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A5"


def _title(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "Sheet"
    title, n = base, 1
    while title in used:
        n += 1
        title = f"{base[:25]} {n}"
    used.add(title)
    return title


@in_store_language
def month_xlsx(sheets: list[MonthSheet]) -> bytes:
    """An overview of every trainee, then one worksheet per trainee."""
    book = Workbook()
    overview = book.active
    overview.title = _title(_("Overview"), used := set())
    header = [
        _("Participant"),
        _("Planned (h)"),
        _("Clocked (h)"),
        _("Confirmed (h)"),
        _("Hours attended"),
        _("Days absent"),
        _("Open days"),
        _("Allowance (€)"),
        _("Corrections (€)"),
        _("To pay (€)"),
        _("Closed"),
        _("Customer number"),
    ]
    overview.append(header)
    for cell in overview[1]:
        cell.font, cell.fill = _BOLD, _HEAD
        cell.alignment = Alignment(wrap_text=True)
    for sheet in sheets:
        absent = sum(n for code, n in sheet.counts.items() if code != AttendanceCode.PRESENT)
        _append(
            overview,
            [
                sheet.user.display_name,
                Hours.of(sheet.planned),
                Hours.of(sheet.clocked),
                Hours.of(sheet.confirmed),
                Hours.of(sheet.attended),
                absent,
                len(sheet.open_days),
                Euros.of(sheet.allowance_cents),
                Euros.of(sheet.corrections_cents),
                Euros.of(sheet.payable_cents),
                _("yes") if sheet.closing else _("no"),
                sheet.reference or "",
            ],
        )
    for index, width in enumerate((28, 11, 11, 11, 11, 10, 10, 12, 12, 12, 9, 16), start=1):
        overview.column_dimensions[get_column_letter(index)].width = width
    for sheet in sheets:
        _write_sheet(book.create_sheet(_title(sheet.user.display_name, used)), sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
