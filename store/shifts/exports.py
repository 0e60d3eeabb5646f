"""The monthly sheet as files: a PDF to print and sign, XLSX and CSV for the office and partners.

One row generator per shape feeds each renderer (as pretix's exporters do), so the files agree.
Hours are h:mm on paper (people read them) and decimal hours in spreadsheets (people add them up).
"""

import io
from collections.abc import Iterator
from xml.sax.saxutils import escape

from babel.dates import format_date
from flask import current_app
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from store.core.exports import csv_bytes, euro, safe_cell
from store.core.i18n import local_datetime, locale_name
from store.core.money import format_cents
from store.core.pdf import fonts
from store.core.timeutil import local_today
from store.shifts.labels import CODE_LABELS, CODE_SHORT, MEASURE_LABELS, WEEKDAYS_SHORT, weekday_list
from store.shifts.models import AttendanceCode
from store.shifts.sheets import MonthSheet
from store.shifts.worktime import format_minutes


def decimal_hours(minutes: int | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 2)


def hours_cell(minutes: int | None) -> str:
    """For CSV: 255 → '4,25' (decimal comma, as German spreadsheets read it)."""
    return "" if minutes is None else f"{minutes / 60:.2f}".replace(".", ",")


def month_title(sheet: MonthSheet) -> str:
    return format_date(sheet.first, "LLLL yyyy", locale=locale_name())


def _code(code) -> str:
    return str(CODE_LABELS[code]) if code is not None else ""


def _note(day) -> str:
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


def day_rows(sheet: MonthSheet, hours=hours_cell) -> Iterator[list]:
    for day in sheet.days:
        yield [
            day.day.strftime("%d.%m.%Y"),
            str(WEEKDAYS_SHORT[day.day.weekday()]),
            hours(day.planned or None),
            hours(day.clocked),
            hours(day.confirmed),
            _code(day.code),
            _note(day),
        ]


def summary_rows(sheet: MonthSheet, hours=hours_cell, money=euro) -> Iterator[list]:
    yield [_("Total"), "", hours(sheet.planned), hours(sheet.clocked), hours(sheet.confirmed), "", ""]
    yield [_("Hours attended"), "", "", "", hours(sheet.attended), "", ""]
    for code in AttendanceCode:
        if sheet.counts.get(code):
            yield [_code(code), "", "", "", "", sheet.counts[code], _("days")]
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


def correction_rows(sheet: MonthSheet, hours=hours_cell, money=euro) -> Iterator[list]:
    for c in sheet.corrections:
        yield [
            c.entry.day.strftime("%d.%m.%Y"),
            f"{_code(c.before.code) if c.before else '–'} → {_code(c.entry.code)}",
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


# ---------------------------------------------------------------- CSV


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
                    _code(day.code),
                    hours_cell(day.planned or None),
                    hours_cell(day.clocked),
                    hours_cell(day.confirmed),
                    _note(day),
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
                    _code(c.entry.code),
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
    for row in day_rows(sheet, hours=decimal_hours):
        ws.append([safe_cell(v) for v in row])
    ws.append([])
    for row in summary_rows(sheet, hours=decimal_hours, money=lambda c: c / 100):
        ws.append([safe_cell(v) for v in row])
        ws.cell(ws.max_row, 1).font = _BOLD
    if sheet.corrections:
        ws.append([])
        ws.append([_("Corrections of closed months")])
        ws.cell(ws.max_row, 1).font = _BOLD
        ws.append(correction_header())
        for cell in ws[ws.max_row]:
            cell.font, cell.fill = _BOLD, _HEAD
        for row in correction_rows(sheet, hours=decimal_hours, money=lambda c: c / 100):
            ws.append([safe_cell(v) for v in row])
    for column, width in zip("ABCDEFG", (14, 10, 12, 12, 13, 24, 48), strict=True):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=5):
        for cell in row[2:5]:
            cell.number_format = "0.00"
    ws.freeze_panes = "A5"


def _title(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "Sheet"
    title, n = base, 1
    while title in used:
        n += 1
        title = f"{base[:25]} {n}"
    used.add(title)
    return title


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
        overview.append(
            [
                safe_cell(sheet.user.display_name),
                decimal_hours(sheet.planned),
                decimal_hours(sheet.clocked),
                decimal_hours(sheet.confirmed),
                decimal_hours(sheet.attended),
                absent,
                len(sheet.open_days),
                sheet.allowance_cents / 100,
                sheet.corrections_cents / 100,
                sheet.payable_cents / 100,
                _("yes") if sheet.closing else _("no"),
                safe_cell(sheet.reference or ""),
            ]
        )
    for index, width in enumerate((28, 11, 11, 11, 11, 10, 10, 12, 12, 12, 9, 16), start=1):
        overview.column_dimensions[get_column_letter(index)].width = width
    for row in overview.iter_rows(min_row=2):
        for cell in row[7:10]:
            cell.number_format = "#,##0.00 €"
    for sheet in sheets:
        _write_sheet(book.create_sheet(_title(sheet.user.display_name, used)), sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF


def sheet_pdf(sheets: list[MonthSheet]) -> bytes:
    """One A4 page per trainee to print and sign: head, days, totals, signature lines."""
    regular, bold = fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=_("Hours sheet"),
        author=current_app.config["STORE_NAME"],
    )
    small = ParagraphStyle("small", fontName=regular, fontSize=7.5, leading=9)
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5)
    head = ParagraphStyle("head", fontName=bold, fontSize=14, leading=17)
    story = []
    for index, sheet in enumerate(sheets):
        if index:
            story.append(PageBreak())
        story += _pdf_page(sheet, regular, bold, small, body, head)
    if not sheets:
        story.append(Paragraph("—", body))
    doc.build(story)
    return out.getvalue()


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text), style)


def _pdf_page(sheet: MonthSheet, regular, bold, small, body, head) -> list:
    config = current_app.config
    agreement = sheet.agreement
    story = [_p(_("Hours sheet") + " · " + month_title(sheet), head), Spacer(1, 2 * mm)]
    facts = [
        [
            _("Participant"),
            sheet.user.display_name,
            _("Store"),
            " ".join(filter(None, [config["STORE_NAME"], config["STORE_ADDRESS"]])),
        ]
    ]
    if sheet.reference:
        facts.append([_("Customer number"), sheet.reference, "", ""])
    if agreement is not None:
        rate = (
            format_cents(agreement.hourly_allowance_cents, locale_name()) + " / h"
            if agreement.hourly_allowance_cents
            else "–"
        )
        facts.append(
            [
                _("Measure"),
                str(MEASURE_LABELS[agreement.measure]),
                _("Agreed"),
                _(
                    "%(h)s h per week, %(days)s",
                    h=format_minutes(agreement.weekly_minutes),
                    days=weekday_list(agreement.workdays),
                ),
            ]
        )
        facts.append([_("Allowance per hour"), rate, _("Status"), _status(sheet)])
    else:
        facts.append([_("Status"), _status(sheet), "", ""])
    info = Table(
        [[_p(str(c), small if n % 2 == 0 else body) for n, c in enumerate(row)] for row in facts],
        colWidths=[28 * mm, 62 * mm, 22 * mm, 68 * mm],
    )
    info.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    story += [info, Spacer(1, 3 * mm)]

    header = [_("Date"), _("Day"), _("Planned"), _("Clocked"), _("Confirmed"), _("Code"), _("Note")]
    rows = [header]
    shade = []
    for n, day in enumerate(sheet.days, start=1):
        rows.append(
            [
                day.day.strftime("%d.%m."),
                str(WEEKDAYS_SHORT[day.day.weekday()]),
                format_minutes(day.planned or None),
                format_minutes(day.clocked),
                format_minutes(day.confirmed),
                CODE_SHORT[day.code] if day.code else ("?" if day.is_open else ""),
                _p(_note(day), small),
            ]
        )
        if day.day.weekday() >= 5 or day.holiday:
            shade.append(("BACKGROUND", (0, n), (-1, n), colors.HexColor("#eef0f3")))
    rows.append(
        [
            _("Total"),
            "",
            format_minutes(sheet.planned),
            format_minutes(sheet.clocked),
            format_minutes(sheet.confirmed),
            "",
            "",
        ]
    )
    table = Table(
        rows, colWidths=[15 * mm, 10 * mm, 18 * mm, 24 * mm, 20 * mm, 12 * mm, 81 * mm], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), regular, 8.5),
                ("FONT", (0, 0), (-1, 0), bold, 8.5),
                ("FONT", (0, -1), (-1, -1), bold, 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde3ea")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa3ae")),
                ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
                ("ALIGN", (2, 0), (5, -1), "RIGHT"),
                ("ALIGN", (5, 0), (5, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 0.6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6),
                *shade,
            ]
        )
    )
    story += [table, Spacer(1, 2.5 * mm)]

    counts = ", ".join(
        f"{CODE_SHORT[c]} = {CODE_LABELS[c]}: {sheet.counts[c]}"
        for c in AttendanceCode
        if sheet.counts.get(c)
    )
    summary = [[_("Hours attended"), format_minutes(sheet.attended)], [_("Days by code"), counts or "–"]]
    if sheet.has_allowance:
        summary.append([_("Allowance"), _allowance_text(sheet)])
        if sheet.corrections:
            summary.append(
                [
                    _("Corrections of earlier months"),
                    format_cents(sheet.corrections_cents, locale_name()),
                ]
            )
            summary.append([_("To pay"), format_cents(sheet.payable_cents, locale_name())])
    table = Table([[_p(a, body), _p(b, body)] for a, b in summary], colWidths=[45 * mm, 135 * mm])
    table.setStyle(
        TableStyle([("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)])
    )
    story.append(table)
    if sheet.corrections:
        story += [Spacer(1, 2 * mm), _p(_("Corrections of closed months"), body)]
        rows = [correction_header()] + [
            [_p(str(v), small) for v in row]
            for row in correction_rows(
                sheet, hours=format_minutes, money=lambda c: format_cents(c, locale_name())
            )
        ]
        corr = Table(rows, colWidths=[18 * mm, 48 * mm, 16 * mm, 16 * mm, 44 * mm, 18 * mm, 20 * mm])
        corr.setStyle(
            TableStyle(
                [("FONT", (0, 0), (-1, 0), bold, 7), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey)]
            )
        )
        story.append(corr)
    legend = "  ".join(f"{CODE_SHORT[c]} = {CODE_LABELS[c]}" for c in AttendanceCode)
    story += [Spacer(1, 1.5 * mm), _p(legend + "  ? = " + _("not confirmed yet"), small)]

    signature = Table(
        [
            ["", "", ""],
            [_("Participant"), _("Supervisor"), _("Coordination")],
            [_("Date, signature"), _("Date, signature"), _("Date, signature")],
        ],
        colWidths=[60 * mm] * 3,
        rowHeights=[14 * mm, 6 * mm, 5 * mm],
    )
    signature.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (0, 0), 0.8, colors.black),
                ("LINEBELOW", (1, 0), (1, 0), 0.8, colors.black),
                ("LINEBELOW", (2, 0), (2, 0), 0.8, colors.black),
                ("FONT", (0, 1), (-1, 1), bold, 8.5),
                ("FONT", (0, 2), (-1, 2), regular, 7),
                ("VALIGN", (0, 1), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 1), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    story += [Spacer(1, 2 * mm), KeepTogether(signature)]
    return story


def _allowance_text(sheet: MonthSheet) -> str:
    amount = format_cents(sheet.allowance_cents, locale_name())
    if len(sheet.rates) == 1:
        return _(
            "%(hours)s h × %(rate)s = %(amount)s",
            hours=format_minutes(sheet.attended),
            rate=format_cents(sheet.rates[0], locale_name()),
            amount=amount,
        )
    return amount


def _status(sheet: MonthSheet) -> str:
    if sheet.closing is None:
        return _("not closed yet (provisional)")
    who = sheet.closing.closed_by.short_name if sheet.closing.closed_by else ""
    return _("closed on %(at)s by %(by)s", at=local_datetime(sheet.closing.closed_at, "short"), by=who)
