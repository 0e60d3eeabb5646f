"""The monthly sheet as a PDF: one A4 page per person to print and sign (head, days, totals,
corrections, signature lines). Hours are h:mm on paper, as people read them."""

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from flask import current_app
from flask_babel import gettext as _
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

from store.core.i18n import in_store_language, local_datetime, locale_name
from store.core.money import format_cents
from store.core.pdf import fonts
from store.shifts.exports.rows import correction_header, correction_rows, day_note, month_title
from store.shifts.labels import CODE_LABELS, CODE_SHORT, MEASURE_LABELS, WEEKDAYS_SHORT, weekday_list
from store.shifts.models import AttendanceCode
from store.shifts.sheets import MonthSheet
from store.shifts.worktime import format_minutes


@dataclass(frozen=True)
class Styles:
    """The fonts and paragraph styles of the sheet."""

    regular: str
    bold: str
    small: ParagraphStyle
    body: ParagraphStyle
    head: ParagraphStyle

    @classmethod
    def make(cls) -> "Styles":
        regular, bold = fonts()
        return cls(
            regular,
            bold,
            small=ParagraphStyle("small", fontName=regular, fontSize=7.5, leading=9),
            body=ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5),
            head=ParagraphStyle("head", fontName=bold, fontSize=14, leading=17),
        )


@in_store_language
def sheet_pdf(sheets: list[MonthSheet]) -> bytes:
    """One A4 page per trainee to print and sign: head, days, totals, signature lines."""
    styles = Styles.make()
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
    story = []
    for index, sheet in enumerate(sheets):
        if index:
            story.append(PageBreak())
        story += _pdf_page(sheet, styles)
    if not sheets:
        story.append(Paragraph("—", styles.body))
    doc.build(story)
    return out.getvalue()


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text), style)


def _pdf_page(sheet: MonthSheet, styles: Styles) -> list:
    return [
        *_head(sheet, styles),
        *_days(sheet, styles),
        *_summary(sheet, styles),
        *_corrections(sheet, styles),
        *_legend(styles),
        *_signatures(styles),
    ]


def _head(sheet: MonthSheet, styles: Styles) -> list:
    """The title and the facts: who, where, the measure and the sheet's status."""
    config = current_app.config
    agreement = sheet.agreement
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
        [
            [_p(str(c), styles.small if n % 2 == 0 else styles.body) for n, c in enumerate(row)]
            for row in facts
        ],
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
    title = _p(_("Hours sheet") + " · " + month_title(sheet), styles.head)
    return [title, Spacer(1, 2 * mm), info, Spacer(1, 3 * mm)]


def _days(sheet: MonthSheet, styles: Styles) -> list:
    """One row per day of the month (weekends and holidays shaded), then the totals."""
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
                _p(day_note(day), styles.small),
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
    regular, bold = styles.regular, styles.bold
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
    return [table, Spacer(1, 2.5 * mm)]


def _summary(sheet: MonthSheet, styles: Styles) -> list:
    """Hours attended, days by code and, where there is one, the allowance to pay."""
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
    table = Table(
        [[_p(a, styles.body), _p(b, styles.body)] for a, b in summary], colWidths=[45 * mm, 135 * mm]
    )
    table.setStyle(
        TableStyle([("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)])
    )
    return [table]


def _corrections(sheet: MonthSheet, styles: Styles) -> list:
    """Changes to closed months that this sheet reports."""
    if not sheet.corrections:
        return []
    rows = [correction_header()] + [
        [_p(str(v), styles.small) for v in row]
        for row in correction_rows(
            sheet, hours=format_minutes, money=lambda c: format_cents(c, locale_name())
        )
    ]
    corr = Table(rows, colWidths=[18 * mm, 48 * mm, 16 * mm, 16 * mm, 44 * mm, 18 * mm, 20 * mm])
    corr.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), styles.bold, 7),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
            ]
        )
    )
    return [Spacer(1, 2 * mm), _p(_("Corrections of closed months"), styles.body), corr]


def _legend(styles: Styles) -> list:
    legend = "  ".join(f"{CODE_SHORT[c]} = {CODE_LABELS[c]}" for c in AttendanceCode)
    return [Spacer(1, 1.5 * mm), _p(legend + "  ? = " + _("not confirmed yet"), styles.small)]


def _signatures(styles: Styles) -> list:
    """Lines for the participant, the supervisor and the coordination to sign."""
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
                ("FONT", (0, 1), (-1, 1), styles.bold, 8.5),
                ("FONT", (0, 2), (-1, 2), styles.regular, 7),
                ("VALIGN", (0, 1), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 1), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    return [Spacer(1, 2 * mm), KeepTogether(signature)]


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
