"""What every PDF of the store shares: its fonts."""

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR, BOLD = "Vera", "VeraBd"


def fonts() -> tuple[str, str]:
    """Bitstream Vera, shipped with reportlab: umlauts and € on every machine. (regular, bold)"""
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))
    return REGULAR, BOLD
