"""Spreadsheets of the reports: dates stored as dates, amounts and hours as numbers, each with a
display format, so Excel and LibreOffice sort, sum and filter them."""

import io
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from store.core.exports import safe_cell
from store.network.exports import esf_rows
from store.reports import tables
from store.reports.tables import Minutes, Money

EURO = '#,##0.00 "€"'
HOURS = "[h]:mm"
DAY = "DD.MM.YYYY"
DECIMAL = "#,##0.0"
_BOLD = Font(bold=True)


def write_cell(ws, row: int, column: int, value) -> None:
    """One typed cell: Money → euros with € format, Minutes → a duration [h]:mm, date → a date."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, Money):
        cell.value, cell.number_format = value.cents / 100, EURO
    elif isinstance(value, Minutes):
        cell.value, cell.number_format = value.minutes / 1440, HOURS
    elif isinstance(value, date):
        cell.value, cell.number_format = value, DAY
    elif isinstance(value, float):
        cell.value, cell.number_format = value, DECIMAL
    else:
        cell.value = safe_cell(value)


def write_table(ws, header: list[str], rows: list[list], *, start: int = 1) -> int:
    """Header (bold) and rows from row `start`; returns the next free row."""
    for col, text in enumerate(header, start=1):
        ws.cell(row=start, column=col, value=safe_cell(text)).font = _BOLD
    for r, row in enumerate(rows, start=start + 1):
        for c, value in enumerate(row, start=1):
            write_cell(ws, r, c, value)
    return start + len(rows) + 2


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = title[:31]
    write_table(ws, header, rows)
    for column in "ABCDE":
        ws.column_dimensions[column].width = 22
    return _save(book)


def funders_xlsx(report) -> bytes:
    """The funders' report as one worksheet of figures per section, German."""
    with force_locale(current_app.config.get("FUNDERS_LOCALE", "de")):
        book = Workbook()
        summary = book.active
        summary.title = _("Summary")[:31]
        write_table(summary, [_("Figure"), _("Period"), _("Period before")], tables.key_figures(report))
        summary.column_dimensions["A"].width = 46
        summary.column_dimensions["B"].width = 16
        summary.column_dimensions["C"].width = 16
        for name, title in tables.TABLES.items():
            ws = book.create_sheet(str(title)[:31])
            header, rows = tables.table_rows(name, report.figures.current)
            write_table(ws, header, rows)
            for column in "ABCDE":
                ws.column_dimensions[column].width = 24
        esf = book.create_sheet("ESF+")
        header, rows = esf_rows(report.esf)
        write_table(esf, header, rows)
        return _save(book)
