"""Names the office pages show for the till's kinds of receipts, cash movements and payments."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

KIND_LABELS = {
    "sale": _l("Sale"),
    "void": _l("Void"),
    "return": _l("Return"),
    "deposit": _l("Down payment"),
    "deposit_refund": _l("Down payment refunded"),
    "deposit_kept": _l("Down payment kept"),
}
CASH_LABELS = {
    "float": _l("Float"),
    "deposit": _l("Deposit"),
    "withdrawal": _l("Withdrawal"),
    "transit": _l("Money to the bank"),
    "difference": _l("Difference"),
}
PAYMENT_LABELS = {"cash": _l("Cash"), "card": _l("Card"), "voucher": _l("Voucher")}


def sale_screen(till_id: int) -> str:
    """The sale screen of a till (built by the till views; '/till' until they exist)."""
    try:
        return url_for("till.sale", till_id=till_id)
    except BuildError:
        return "/till"


def labels() -> dict:
    """A context processor for the office pages' templates."""
    return {
        "kind_labels": KIND_LABELS,
        "cash_labels": CASH_LABELS,
        "payment_labels": PAYMENT_LABELS,
        "sale_screen": sale_screen,
    }
