"""Store settings that admins change in the UI (not deployment config): kept in the database."""

import time
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, g, has_request_context

from store.core.audit import Actor, audit
from store.core.transaction import after_commit
from store.extensions import db

DEFAULTS: dict[str, Any] = {
    "label_printer_id": None,  # where intake labels go when the till has none
    "label_qr": False,  # print a QR code of the item code on labels
    "label_sheet": "3x8",  # A4 sticker sheet layout for PDF labels: 3x8 or 3x7
    "max_price_cents": 500_000,  # prices above this are taken as typing mistakes
    "eligibility_percent": 20,  # discount for holders of an entitlement card (Sozialpass)
    "discount_confirm_percent": 20,  # a line discount above this needs a supervisor
    "voucher_issuers": ["Gemeinde", "Jobcenter"],  # who issues vouchers the shop takes
    "receipt_footer": "Danke für Ihren Einkauf! Ihr Einkauf hilft Menschen in Arbeit.",
    "receipt_impact_line": False,  # "Mit diesem Einkauf bleiben 4,5 kg in Gebrauch" on the receipt
    "deposit_on_lapse": "refund",  # a lapsed or released reservation's deposit: refund or keep
    "delivery_fee_cents": 3000,  # the fee of a delivery (a service line on the receipt)
    "delivery_vat_bp": 1900,  # its VAT rate in basis points (the store's tax advisor decides)
}


class Setting(db.Model):
    """One store setting, as JSON."""

    __tablename__ = "setting"

    key: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    value: so.Mapped[Any] = so.mapped_column(sa.JSON, nullable=True)


# How long a process keeps the settings it read: every sale's receipt asks for some. A change made in
# this process is seen at once; one made in another app server, within these seconds.
KEEP_SECONDS = 5.0


def get_setting(key: str) -> Any:
    """A setting's value (its default if never set). All settings are read with one statement and
    kept for the request, and for KEEP_SECONDS in the process."""
    if has_request_context():
        read = g.get("settings")
        if read is None:
            read = g.settings = _kept()
    else:
        read = _read_all()
    return read[key] if key in read else DEFAULTS.get(key)


def _kept() -> dict[str, Any]:
    kept = current_app.extensions.get(_KEPT)
    if kept is None or kept[0] < time.monotonic():
        kept = current_app.extensions[_KEPT] = (time.monotonic() + KEEP_SECONDS, _read_all())
    return kept[1]


def _read_all() -> dict[str, Any]:
    return dict(db.session.execute(sa.select(Setting.key, Setting.value)).all())


_KEPT = "kaufhaus.settings"


def _forget_kept(_items=None) -> None:
    current_app.extensions.pop(_KEPT, None)


def set_setting(actor: Actor, key: str, value: Any) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = db.session.get(Setting, key)
    old = row.value if row is not None else DEFAULTS[key]
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    g.pop("settings", None)
    _forget_kept()
    after_commit(_forget_kept)  # a request that read in between kept the old value
    audit(actor, "setting.change", None, {"key": key, "old": old, "new": value})
