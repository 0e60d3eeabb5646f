"""The "reserviert" tag hung on a reserved item: an A6 page (folded A4 quarter, or a label printer
that takes A6). Read on the shop floor, so it is in the store's language (German)."""

import io

from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from store.core.pdf import fonts
from store.goods.models import Reservation


def tag_pdf(reservation: Reservation, store_name: str) -> bytes:
    """One A6 page: RESERVIERT, until when, the reservation number (as a barcode the till reads),
    the item and its code. No phone number; the customer only as staff wrote it."""
    regular, bold = fonts()
    buffer = io.BytesIO()
    width, height = A6
    pdf = canvas.Canvas(buffer, pagesize=A6)
    pdf.setTitle(f"Reserviert {reservation.number}")
    pdf.setFont(bold, 30)
    pdf.drawCentredString(width / 2, height - 22 * mm, "RESERVIERT")
    pdf.setFont(bold, 16)
    pdf.drawCentredString(width / 2, height - 34 * mm, f"bis {reservation.until:%d.%m.%Y}")
    pdf.setFont(regular, 11)
    pdf.drawCentredString(width / 2, height - 44 * mm, f"für {reservation.customer}"[:48])
    pdf.drawCentredString(width / 2, height - 54 * mm, reservation.item.description[:48])
    pdf.setFont(regular, 9)
    pdf.drawCentredString(width / 2, height - 60 * mm, f"Artikel {reservation.item.code}")
    barcode = code128.Code128(reservation.number, barHeight=14 * mm, barWidth=0.5 * mm)
    barcode.drawOn(pdf, (width - barcode.width) / 2, 28 * mm)
    pdf.setFont(bold, 14)
    pdf.drawCentredString(width / 2, 21 * mm, f"Nr. {reservation.number}")
    pdf.setFont(regular, 8)
    pdf.drawCentredString(width / 2, 10 * mm, store_name[:60])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
