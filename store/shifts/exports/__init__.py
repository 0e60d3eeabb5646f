"""The monthly sheet as files: a PDF to print and sign, XLSX and CSV for the office and partners.

- rows: the row generators (days, totals, corrections) every format renders, so the files agree
- tables: CSV and XLSX (decimal hours, which people add up)
- pdf: one A4 page per person (h:mm, which people read)
"""

from store.shifts.exports.pdf import sheet_pdf
from store.shifts.exports.rows import (
    code_text,
    correction_header,
    correction_rows,
    day_header,
    day_note,
    day_rows,
    decimal_hours,
    hours_cell,
    month_title,
    summary_rows,
)
from store.shifts.exports.tables import month_csv, month_xlsx, sheet_csv

__all__ = [
    "code_text",
    "correction_header",
    "correction_rows",
    "day_header",
    "day_note",
    "day_rows",
    "decimal_hours",
    "hours_cell",
    "month_csv",
    "month_title",
    "month_xlsx",
    "sheet_csv",
    "sheet_pdf",
    "summary_rows",
]
