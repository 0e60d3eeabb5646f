"""The route sheet: one A4 page (or more) per van and day, for the crew: the stops in order with
address, floor and lift, what to collect or deliver, and how to reach the donor or customer."""

import io
from datetime import date

from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from store.core.pdf import fonts
from store.logistics import cubic_metres
from store.logistics.services.routes import Slot


def _wrap(pdf, text: str, font: str, size: float, width: float) -> list[str]:
    words, lines, line = (text or "").split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if pdf.stringWidth(trial, font, size) <= width:
            line = trial
        else:
            lines.append(line)
            line = word
    return lines + ([line] if line else [])


def route_sheet_pdf(slots: list[Slot], day: date, store_name: str) -> bytes:
    """Every slot on its own page(s)."""
    regular, bold = fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    pdf.setTitle(_("Route sheet %(d)s", d=day.isoformat()))
    for current in slots or []:
        y = _head(pdf, current, day, store_name, bold, regular)
        for number, stop in enumerate(current.stops, start=1):
            job = stop.offer or stop.delivery
            if job is None:
                continue
            lines = _stop_lines(stop.offer) if stop.offer else _delivery_lines(stop.delivery)
            needed = 8 * mm + 5 * mm * len(lines)
            if y - needed < 20 * mm:
                pdf.showPage()
                y = _head(pdf, current, day, store_name, bold, regular)
            pdf.setFont(bold, 12)
            pdf.drawString(15 * mm, y, f"{number}.")
            title = (job.address or "–")[:80]
            if stop.delivery is not None:
                title = _("Deliver to: %(a)s", a=title)
            pdf.drawString(25 * mm, y, title)
            y -= 6 * mm
            pdf.setFont(regular, 10)
            for line in lines:
                for part in _wrap(pdf, line, regular, 10, width - 40 * mm):
                    pdf.drawString(25 * mm, y, part)
                    y -= 5 * mm
            done = _("delivered") if stop.delivery is not None else _("collected")
            pdf.drawString(
                25 * mm,
                y,
                "[  ] " + done + "    [  ] " + _("nobody there") + "    [  ] " + _("left behind"),
            )
            y -= 9 * mm
        if not current.stops:
            pdf.setFont(regular, 11)
            pdf.drawString(15 * mm, y, _("No stops."))
        pdf.showPage()
    if not slots:
        pdf.setFont(regular, 11)
        pdf.drawString(15 * mm, height - 20 * mm, _("No vehicle drives on %(d)s.", d=day.isoformat()))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _head(pdf, current: Slot, day: date, store_name: str, bold: str, regular: str) -> float:
    width, height = A4
    pdf.setFont(bold, 16)
    pdf.drawString(
        15 * mm, height - 18 * mm, _("Route sheet") + f" · {current.vehicle.name} · {day:%d.%m.%Y}"
    )
    pdf.setFont(regular, 10)
    pdf.drawString(
        15 * mm,
        height - 25 * mm,
        _(
            "%(n)s stops · load about %(m)s m³ of %(c)s m³ · %(store)s",
            n=len(current.stops),
            m=cubic_metres(current.load_l),
            c=cubic_metres(current.vehicle.volume_l),
            store=store_name,
        ),
    )
    pdf.line(15 * mm, height - 28 * mm, width - 15 * mm, height - 28 * mm)
    return height - 37 * mm


def _floor(job) -> str:
    floor = (
        _("ground floor")
        if job.floor == 0
        else (_("floor %(n)s", n=job.floor) if job.floor is not None else _("floor not given"))
    )
    lift = _("lift") if job.has_lift else _("no lift")
    return f"{floor}, {lift}"


def _delivery_lines(delivery) -> list[str]:
    lines = [
        _floor(delivery),
        _("Deliver: %(what)s (receipt no. %(n)s)", what=delivery.what, n=delivery.receipt_number),
    ]
    contact = " · ".join(x for x in (delivery.name, delivery.phone) if x)
    if contact:
        lines.append(_("Contact: %(c)s", c=contact))
    return lines


def _stop_lines(offer) -> list[str]:
    what = f"{offer.quantity} × {offer.what}" + (f" ({offer.dimensions})" if offer.dimensions else "")
    contact = " · ".join(x for x in (offer.name, offer.phone, offer.email) if x)
    lines = [_floor(offer), _("Collect: %(what)s", what=what)]
    if contact:
        lines.append(_("Contact: %(c)s", c=contact))
    if offer.notes:
        lines.append(_("Notes: %(n)s", n=offer.notes))
    return lines
