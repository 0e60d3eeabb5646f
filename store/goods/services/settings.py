"""The goods area's store settings, as admins change them: which printer prints labels (none: labels
as PDF), whether labels carry a QR code, the A4 sheet layout, and the highest plausible price."""

from flask_babel import gettext as _

from store.core.audit import Actor
from store.core.errors import ValidationError
from store.core.settings import get_setting, set_setting
from store.goods.labels import SHEETS
from store.printing import services as printing
from store.printing.models import Printer

GOODS_SETTINGS = ("label_printer_id", "label_qr", "label_sheet", "max_price_cents")


def goods_settings() -> dict:
    """The current values of the goods settings (the defaults where none was saved)."""
    return {key: get_setting(key) for key in GOODS_SETTINGS}


def label_printer_choices() -> list[Printer]:
    """The printers labels may go to: those in use, and the one chosen now even if switched off."""
    chosen = get_setting("label_printer_id")
    return [p for p in printing.list_printers() if p.is_active or p.id == chosen]


def save_goods_settings(
    actor: Actor,
    *,
    label_printer_id: int | None,
    label_qr: bool,
    label_sheet: str,
    max_price_cents: int | None,
) -> list[str]:
    """Save the settings that changed, each change audited. No printer (None or 0): labels are
    printed as PDF. Returns the keys that changed."""
    if not max_price_cents:
        raise ValidationError(_("The price must be more than 0 €."), field="max_price_cents")
    if label_sheet not in SHEETS:
        raise ValidationError(_("Please choose one of the offered values."), field="label_sheet")
    if label_printer_id and label_printer_id not in {p.id for p in label_printer_choices()}:
        raise ValidationError(_("Please choose one of the offered values."), field="label_printer_id")
    wanted = {
        "label_printer_id": label_printer_id or None,
        "label_qr": bool(label_qr),
        "label_sheet": label_sheet,
        "max_price_cents": max_price_cents,
    }
    current = goods_settings()
    changed = [key for key in GOODS_SETTINGS if wanted[key] != current[key]]
    for key in changed:
        set_setting(actor, key, wanted[key])
    return changed
