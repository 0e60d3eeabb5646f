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


SALE_SETTINGS = ("delivery_fee_cents", "delivery_vat_bp", "deposit_on_lapse")
DELIVERY_VAT_RATES = (1900, 700, 0)


def save_sale_settings(
    actor: Actor, *, delivery_fee_cents: int | None, delivery_vat_bp: int, deposit_on_lapse: str
) -> list[str]:
    """The till's rules the admin sets here: the delivery's fee and VAT rate, and what happens to the
    deposit of a reservation that ends without a sale. Returns the keys that changed."""
    if delivery_fee_cents is None or delivery_fee_cents < 0:
        raise ValidationError(_("The amount must not be negative."), field="delivery_fee_cents")
    if delivery_vat_bp not in DELIVERY_VAT_RATES or deposit_on_lapse not in ("refund", "keep"):
        raise ValidationError(_("Please choose one of the offered values."), field="delivery_vat_bp")
    wanted = {
        "delivery_fee_cents": delivery_fee_cents,
        "delivery_vat_bp": delivery_vat_bp,
        "deposit_on_lapse": deposit_on_lapse,
    }
    changed = [key for key in SALE_SETTINGS if wanted[key] != get_setting(key)]
    for key in changed:
        set_setting(actor, key, wanted[key])
    return changed
