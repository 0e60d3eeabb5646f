"""Build ESC/POS documents with python-escpos, as bytes for the print queue."""

import codecs
import functools

from escpos.printer import Dummy

from store.printing.models import Printer

# Typographic characters that receipt code pages lack, and what to print instead.
_PLAIN = str.maketrans(
    {
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "›": ">",
        "‹": "<",
        "–": "-",
        "—": "-",
        "„": '"',
        "“": '"',
        "”": '"',
        "‚": "'",
        "‘": "'",
        "’": "'",
        "…": "...",
        "•": "*",
        "·": "-",
        "×": "x",
        "→": "->",
        "←": "<-",
        "✓": "v",
    }
)


def printable(text: str) -> str:
    """Text a receipt printer can print: € and umlauts stay, typographic marks become plain."""
    return text.translate(_PLAIN)


def document(printer: Printer | None = None) -> Dummy:
    """A python-escpos Dummy set to the printer's code page (€ and umlauts print right)."""
    doc = Dummy(profile="TM-T88V")
    codepage = printer.codepage if printer else "CP858"
    doc.charcode(codepage)
    encoder = doc.magic.encoder
    doc.magic.encoder.encode = functools.partial(_encode, encoder.encode, encoder, codepage.upper())
    return doc


def _encode(slow, encoder, codepage: str, text: str, encoding: str, defaultchar: str = "?") -> bytes:
    """What python-escpos's encoder gives (ASCII as it is, a character of the code page as its
    byte, anything else as `defaultchar`), for the fixed code page without its loop in Python over
    every character: a receipt has about 1 500, and that loop took a tenth of a sale's time."""
    if encoding.upper() != codepage or defaultchar != "?":
        return slow(text, encoding, defaultchar)
    return text.encode("ascii", errors=_error_handler(encoder, encoding))


def _error_handler(encoder, encoding: str) -> str:
    """The name of a codecs error handler that writes the code page's bytes for what ASCII lacks."""
    name = f"escpos-{encoding}"
    if name not in _registered:
        table = {ord(char): code for char, code in encoder._get_codepage_char_map(encoding).items()}

        def handle(error: UnicodeEncodeError) -> tuple[bytes, int]:
            chunk = error.object[error.start : error.end]
            return bytes(table.get(ord(char), 63) for char in chunk), error.end  # 63: "?"

        codecs.register_error(name, handle)
        _registered.add(name)
    return name


_registered: set[str] = set()


def test_page(printer: Printer, store_name: str, when: str) -> bytes:
    doc = document(printer)
    doc.set(align="center", bold=True, double_height=True, double_width=True)
    doc.text(f"{store_name}\n")
    doc.set(align="center", bold=False, normal_textsize=True)
    doc.text("Testdruck / Test print\n")
    doc.text(printable(f"{printer.name} · {when}\n"))
    doc.set(align="left")
    doc.text("ÄÖÜ äöü ß € 12,50 €\n")
    doc.text("-" * printer.columns + "\n")
    doc.barcode("2000000000015", "EAN13", function_type="A")
    doc.ln(2)
    doc.cut()
    return doc.output


def drawer_kick(printer: Printer) -> bytes:
    """The pulse that opens a cash drawer hanging on the receipt printer."""
    doc = document(printer)
    doc.cashdraw(2)
    return doc.output


def columns(left: str, right: str, width: int) -> str:
    """'Winterjacke ....... 12,50 €' in `width` characters (the left side is cut if needed)."""
    left, right = printable(left), printable(right)
    room = max(width - len(right) - 1, 1)
    if len(left) > room:
        left = left[: room - 1] + "."
    return f"{left}{' ' * (width - len(left) - len(right))}{right}\n"
