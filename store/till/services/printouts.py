"""What the till prints: receipts (and copies), the drawer kick, the Z report. Queued inside the
booking's transaction; the print queue sends them once it has committed."""

from datetime import datetime

from flask import has_request_context
from flask_babel import gettext as _

from store.core.audit import Actor
from store.printing import services as printing
from store.printing.models import PrintJob
from store.printing.render import drawer_kick
from store.till.models import Closing, Sale, Till
from store.till.receipts import render_closing, render_receipt
from store.till.services.tills import receipt_printer


def queue_receipt(
    actor: Actor,
    sale: Sale,
    *,
    copy: bool = False,
    tx=None,
    drawer: bool = False,
    now: datetime | None = None,
):
    """Queue the receipt on the till's printer (`tx`: its TSE outcome, when it is at hand).
    `drawer`: the drawer's pulse goes first in the same job (one job per sale: the drawer opens as
    the receipt starts printing)."""
    printer = receipt_printer(sale.till)
    if printer is None:
        return None
    title = (
        _("Receipt %(n)s (copy)", n=sale.receipt_number)
        if copy
        else _("Receipt %(n)s", n=sale.receipt_number)
    )
    return printing.enqueue(
        actor,
        printer,
        "receipt",
        (drawer_kick(printer) if drawer else b"") + render_receipt(sale, printer, copy=copy, tx=tx),
        title=f"{sale.till.name} · {title}",
        ref=("sale", str(sale.id)),
        now=now,
        claimed=has_request_context(),  # the request's commit wakes the printer: no claim needed
    )


def kick_drawer(actor: Actor, till: Till, now: datetime):
    printer = receipt_printer(till)
    if printer is None:
        return None
    return printing.enqueue(
        actor,
        printer,
        "drawer",
        drawer_kick(printer),
        title=f"{till.name} · " + _("Open drawer"),
        now=now,
    )


def queue_closing(actor: Actor, closing: Closing, *, now: datetime | None = None) -> PrintJob | None:
    """Print a Z report (at the closing, or again later); None when the till has no printer."""
    printer = receipt_printer(closing.till)
    if printer is None:
        return None
    return printing.enqueue(
        actor,
        printer,
        "report",
        render_closing(closing, printer),
        title=f"{closing.till.name} · Z {closing.number}",
        ref=("closing", str(closing.id)),
        now=now,
    )


def printer_problems(till: Till) -> list[PrintJob]:
    """Jobs on the till's receipt printer that were tried and did not print yet (shown at the till)."""
    printer = receipt_printer(till)
    return [j for j in printing.problems() if printer and j.printer_id == printer.id]
