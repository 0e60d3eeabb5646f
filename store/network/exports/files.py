"""The files the exports hand out: the file itself (name, type, bytes), ZIP archives, and file
names that are safe in any ZIP tool and file system. Every CSV and XLSX text cell goes through
`store.core.exports.safe_cell` (csv_bytes does it for CSV; the shifts exporters do it for their
XLSX), so a name like `=HYPERLINK(...)` stays text in Excel."""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
CSV = "text/csv"


@dataclass
class ExportFile:
    """A file to download."""

    filename: str
    mimetype: str
    body: bytes


_ASCII = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ß": "ss",
        "ı": "i",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "Ae",
        "đ": "d",
        "Đ": "D",
    }
)


def ascii_name(*parts: str, length: int = 60) -> str:
    """'Wójcik', 'Dariusz' → 'Wojcik_Dariusz': safe in any ZIP tool and file system."""
    text = "_".join(p for p in parts if p).translate(_ASCII)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")[:length].strip("_") or "x"


def unique_name(name: str, used: set[str]) -> str:
    """`name`, or `name_2`, `name_3`… when it is taken in `used` (the chosen one is added)."""
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}_{n}{dot}{ext}"
    used.add(candidate)
    return candidate


def zip_files(files: list[tuple[str, bytes]]) -> bytes:
    """A ZIP archive of (name, body) pairs."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files:
            archive.writestr(name, body)
    return out.getvalue()
