"""Price labels: which printer prints them, and one print job per label."""

from datetime import datetime

from flask_babel import gettext as _

from store.branches.models import Branch
from store.core.audit import Actor
from store.core.settings import get_setting
from store.extensions import db
from store.goods.labels import escpos_label
from store.goods.models import Item
from store.printing import services as printing
from store.printing.models import Printer


def label_printer(till_id: int | None = None, branch_id: int | None = None):
    """The printer for labels: the till's own label printer, else the branch's, else the store's
    (if it stands in that branch: labels of one shop never come out in another)."""
    printer = printing.device_printer(till_id, "label") if till_id else None
    branch = db.session.get(Branch, branch_id) if branch_id is not None else None
    if printer is None and branch is not None and branch.label_printer_id is not None:
        printer = db.session.get(Printer, branch.label_printer_id)
    if printer is None:
        printer_id = get_setting("label_printer_id")
        printer = db.session.get(Printer, printer_id) if printer_id else None
        if printer is not None and branch is not None and printer.branch_id != branch.id:
            printer = None
    return printer if printer is not None and printer.is_active else None


def queue_labels(actor: Actor, items: list[Item], printer=None, *, now: datetime | None = None):
    """One print job per label, queued in the booking's transaction (printed after commit)."""
    printer = printer or label_printer(actor.till_id, items[0].branch_id if items else None)
    if printer is None:
        return []
    with_qr = bool(get_setting("label_qr"))
    return [
        printing.enqueue(
            actor,
            printer,
            "label",
            escpos_label(item, printer, with_qr=with_qr),
            title=_("Label %(code)s %(text)s", code=item.code, text=item.description),
            ref=("item", item.id),
            now=now,
        )
        for item in items
    ]
