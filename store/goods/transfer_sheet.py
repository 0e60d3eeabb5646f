"""The transfer sheet (Lieferschein between branches): an A4 page with both branches, the transfer
number, every item's code and description, and two signature lines. Read by staff of the store, so
it is in the store's language (German), as the other paper of the shop floor."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from store.core.i18n import local_datetime
from store.core.pdf import fonts
from store.goods.services.transfers import Transfer

ROWS_PER_PAGE = 40


def transfer_pdf(transfer: Transfer) -> bytes:
    regular, bold = fonts()
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"Umlagerung {transfer.number}")
    pages = [
        transfer.items[i : i + ROWS_PER_PAGE] for i in range(0, len(transfer.items), ROWS_PER_PAGE)
    ] or [[]]
    for n, rows in enumerate(pages, start=1):
        pdf.setFont(bold, 16)
        pdf.drawString(20 * mm, height - 20 * mm, f"Umlagerung {transfer.number}")
        pdf.setFont(regular, 10)
        pdf.drawString(20 * mm, height - 28 * mm, f"Von: {transfer.from_branch.name}")
        pdf.drawString(20 * mm, height - 33 * mm, f"        {transfer.from_branch.address}"[:90])
        pdf.drawString(110 * mm, height - 28 * mm, f"Nach: {transfer.to_branch.name}")
        pdf.drawString(110 * mm, height - 33 * mm, f"         {transfer.to_branch.address}"[:60])
        pdf.drawString(
            20 * mm,
            height - 40 * mm,
            f"Am {local_datetime(transfer.at)} von {transfer.by} · {len(transfer.items)} Artikel"
            f" · Seite {n}/{len(pages)}",
        )
        y = height - 50 * mm
        pdf.setFont(bold, 10)
        pdf.drawString(20 * mm, y, "Nr.")
        pdf.drawString(32 * mm, y, "Code")
        pdf.drawString(65 * mm, y, "Artikel")
        pdf.setFont(regular, 10)
        for i, item in enumerate(rows, start=(n - 1) * ROWS_PER_PAGE + 1):
            y -= 5.5 * mm
            pdf.drawString(20 * mm, y, str(i))
            pdf.drawString(32 * mm, y, item.code or "")
            pdf.drawString(65 * mm, y, item.description[:70])
        if n == len(pages):
            pdf.line(20 * mm, 30 * mm, 90 * mm, 30 * mm)
            pdf.line(110 * mm, 30 * mm, 190 * mm, 30 * mm)
            pdf.setFont(regular, 9)
            pdf.drawString(20 * mm, 25 * mm, f"Übergeben ({transfer.from_branch.name})"[:60])
            pdf.drawString(110 * mm, 25 * mm, f"Erhalten ({transfer.to_branch.name})"[:60])
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
