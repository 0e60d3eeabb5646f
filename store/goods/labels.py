"""Price labels: ESC/POS for a label or receipt printer, and A4 sticker sheets as PDF."""

import io
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import eanbc, qr
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from store.core.money import format_cents
from store.core.pdf import fonts
from store.goods.models import Item
from store.goods.pricing import intake_week, week_colour
from store.printing.models import Printer
from store.printing.render import document, printable

# Labels are read on the shop floor, in the store's language.
COLOUR_NAMES = {
    "blue": "blau",
    "red": "rot",
    "green": "grün",
    "yellow": "gelb",
    "purple": "lila",
    "orange": "orange",
    "black": "schwarz",
    "white": "weiß",
}


@dataclass(frozen=True)
class Label:
    """What a label shows; made once so paper and PDF say the same."""

    code: str
    price: str
    description: str
    category: str
    week: str  # "KW 48/2026"
    colour: str

    @classmethod
    def of(cls, item: Item) -> "Label":
        year, week = intake_week(item)
        return cls(
            code=item.code,
            price=format_cents(item.price_cents, "de"),
            description=item.description,
            category=item.category.path,
            week=f"KW {week:02d}/{year}",
            colour=week_colour(week),
        )


def escpos_label(item: Item, printer: Printer | None, *, with_qr: bool = False) -> bytes:
    """One label as ESC/POS bytes (80 mm or 58 mm paper, cut after)."""
    label = Label.of(item)
    doc = document(printer)
    colour = COLOUR_NAMES.get(label.colour, label.colour)
    doc.set(align="center", bold=True, double_height=True, double_width=True)
    doc.text(printable(f"{label.price}\n"))
    doc.set(align="center", bold=True, normal_textsize=True)
    doc.text(printable(f"{label.description}\n"))
    doc.set(align="center", bold=False, normal_textsize=True)
    doc.text(printable(f"{label.category}\n"))
    doc.text(printable(f"{label.week} - {colour}\n"))
    doc.barcode(label.code, "EAN13", height=80, width=3, pos="BELOW", function_type="A")
    if with_qr:
        doc.qr(label.code, size=4, native=False)
    doc.cut()
    return doc.output


# ---------------------------------------------------------------- A4 sheets


@dataclass(frozen=True)
class SheetLayout:
    columns: int
    rows: int
    width: float  # of one label, in points
    height: float
    left: float  # page margins
    top: float


SHEETS = {
    # 70 × 37 mm, e.g. Avery Zweckform 3475 / Herma 4453
    "3x8": SheetLayout(3, 8, 70 * mm, 37 * mm, 0, 0.5 * mm),
    # 70 × 42.3 mm, e.g. Avery Zweckform 3652 / Herma 4454
    "3x7": SheetLayout(3, 7, 70 * mm, 42.3 * mm, 0, 0.45 * mm),
}

_COLOURS = {
    "blue": "#1f5fbf",
    "red": "#c62828",
    "green": "#2e7d32",
    "yellow": "#f9c800",
    "purple": "#6a1b9a",
    "orange": "#ef6c00",
    "black": "#000000",
    "white": "#ffffff",
}


def _fit(text: str, font: str, size: float, width: float) -> str:
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def pdf_sheet(items: list[Item], layout: str = "3x8", *, skip: int = 0, with_qr: bool = False) -> bytes:
    """Labels on A4 sticker sheets; `skip` leaves the first places of a used sheet empty."""
    sheet = SHEETS[layout]
    regular, bold = fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    pdf.setTitle("Etiketten")
    per_page = sheet.columns * sheet.rows
    labels = [Label.of(item) for item in items]
    page_height = A4[1]
    for index, label in enumerate(labels, start=skip):
        if index and index % per_page == 0:
            pdf.showPage()
        place = index % per_page
        col, row = place % sheet.columns, place // sheet.columns
        x = sheet.left + col * sheet.width
        y = page_height - sheet.top - (row + 1) * sheet.height
        _draw_label(pdf, label, x, y, sheet, regular, bold, with_qr)
    if not labels:
        pdf.drawString(20 * mm, page_height - 20 * mm, "—")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _draw_label(
    pdf, label: Label, x: float, y: float, sheet: SheetLayout, regular: str, bold: str, with_qr: bool
) -> None:
    pad = 3 * mm
    inner = sheet.width - 2 * pad
    top = y + sheet.height - pad
    pdf.setFillColor(black)
    pdf.setFont(bold, 16)
    pdf.drawString(x + pad, top - 14, label.price)
    # intake week: a coloured dot and the week, top right
    dot_x = x + sheet.width - pad - 3 * mm
    pdf.setFillColor(HexColor(_COLOURS[label.colour]))
    pdf.setStrokeColor(black)
    pdf.circle(dot_x, top - 9, 2.6 * mm, stroke=1, fill=1)
    pdf.setFillColor(black)
    pdf.setFont(regular, 7)
    pdf.drawRightString(dot_x - 3.5 * mm, top - 11, label.week)
    pdf.setFont(bold, 9)
    pdf.drawString(x + pad, top - 26, _fit(label.description, bold, 9, inner))
    pdf.setFont(regular, 7)
    pdf.drawString(x + pad, top - 35, _fit(label.category, regular, 7, inner))
    bar_height = min(sheet.height - 48, 14 * mm)
    widget = eanbc.Ean13BarcodeWidget(
        label.code, barHeight=bar_height, barWidth=0.28 * mm, fontSize=7, humanReadable=True
    )
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(x1 - x0, y1 - y0)
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, x + pad - x0, y + 1.5 * mm - y0)
    if with_qr:
        size = 14 * mm
        code = qr.QrCodeWidget(label.code, barLevel="M")
        bx0, by0, bx1, by1 = code.getBounds()
        qr_drawing = Drawing(size, size, transform=[size / (bx1 - bx0), 0, 0, size / (by1 - by0), 0, 0])
        qr_drawing.add(code)
        renderPDF.draw(qr_drawing, pdf, x + sheet.width - pad - size, y + 1.5 * mm)
