"""Files people download: CSV that opens right in Excel and cannot run formulas."""

import csv
import io
import re
from collections.abc import Iterable

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
# A plain negative amount such as "-1,50" is a number to a spreadsheet, not a formula.
_NEGATIVE_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?")


def safe_cell(value):
    """Neutralise a text cell that a spreadsheet would read as a formula (prefix a quote)."""
    if isinstance(value, str) and value.startswith(DANGEROUS) and not _NEGATIVE_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_bytes(header: list[str], rows: Iterable[Iterable], *, delimiter: str = ";") -> bytes:
    """UTF-8 with BOM and ';' (what German Excel expects); every text cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def euro(cents: int) -> str:
    """1250 → '12,50' for a CSV cell (decimal comma, as German spreadsheets read it)."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100},{cents % 100:02d}"
