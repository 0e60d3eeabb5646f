"""Printer settings form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from store.branches.forms import BranchField
from store.core.bounds import no_controls

BACKEND_LABELS = [
    ("virtual", _l("Virtual printer (shows the print on screen)")),
    ("network", _l("Network (IP address, port 9100)")),
    ("usb", _l("USB (vendor and product id)")),
    ("serial", _l("Serial port")),
    ("file", _l("Device file, e.g. /dev/usb/lp0")),
    ("cups", _l("CUPS printer queue")),
    ("agent", _l("Print agent in the shop (pulls its jobs over HTTPS)")),
]


class PrinterForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64), no_controls()])
    backend = SelectField(_l("Connection"), choices=BACKEND_LABELS)
    host = StringField(
        _l("IP address or host name"), validators=[Optional(), Length(max=255), no_controls()]
    )
    port = IntegerField(_l("Port"), validators=[Optional(), NumberRange(1, 65535)])
    vendor_id = StringField(
        _l("USB vendor id (hex)"), validators=[Optional(), Length(max=6), no_controls()]
    )
    product_id = StringField(
        _l("USB product id (hex)"), validators=[Optional(), Length(max=6), no_controls()]
    )
    device = StringField(_l("Device"), validators=[Optional(), Length(max=255), no_controls()])
    baudrate = IntegerField(_l("Baud rate"), validators=[Optional(), NumberRange(50, 4_000_000)])
    printer_name = StringField(
        _l("CUPS queue name"), validators=[Optional(), Length(max=255), no_controls()]
    )
    codepage = StringField(
        _l("Code page"), default="CP858", validators=[DataRequired(), Length(max=16), no_controls()]
    )
    columns = IntegerField(_l("Characters per line"), default=48, validators=[NumberRange(24, 64)])
    is_active = BooleanField(_l("In use"), default=True)
    branch_id = BranchField()

    PARAMS = {
        "virtual": (),
        "network": ("host", "port"),
        "usb": ("vendor_id", "product_id"),
        "serial": ("device", "baudrate"),
        "file": ("device",),
        "cups": ("printer_name",),
        "agent": (),  # the agent in the shop knows how to reach the printer (hardware/agent.py)
    }

    def params(self) -> dict:
        names = self.PARAMS.get(self.backend.data, ())
        return {n: getattr(self, n).data for n in names if getattr(self, n).data not in (None, "")}
