"""Forms of the till office pages: counting the drawer, cash in and out, voids, returns, tills."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import Length, NumberRange, Optional

from store.branches.forms import BranchField
from store.core.bounds import no_controls
from store.core.web import int_or_none
from store.till.services import DENOMINATIONS

MAX_PIECES = 100000


def denomination_label(cents: int) -> str:
    """5000 → '50 €', 50 → '50 ct' (the same in German and English)."""
    return f"{cents // 100} €" if cents >= 100 else f"{cents} ct"


class CountForm(FlaskForm):
    """The drawer counted by piece (one field per note and coin) or, instead, as one sum."""

    total = StringField(_l("Or the sum in €"), validators=[Length(max=20), no_controls()])

    def denominations(self) -> list[tuple[int, str, object]]:
        """[(cents, label, field), …] from the largest note to the smallest coin."""
        return [(cents, denomination_label(cents), self[f"n{cents}"]) for cents in DENOMINATIONS]

    def rows(self) -> list[tuple[int, str, object, int | None]]:
        """[(cents, label, field, value of the pieces or None), …], largest first."""
        return [
            (cents, label, field, cents * field.data if field.data else None)
            for cents, label, field in self.denominations()
        ]

    def counts(self) -> dict[str, int]:
        """{"5000": 2, …} with the pieces that were counted (empty and 0 left out)."""
        return {str(cents): field.data for cents, _label, field in self.denominations() if field.data}


for _cents in DENOMINATIONS:
    setattr(
        CountForm,
        f"n{_cents}",
        IntegerField(denomination_label(_cents), validators=[Optional(), NumberRange(0, MAX_PIECES)]),
    )


class OpenForm(CountForm):
    pass


class CloseForm(CountForm):
    reason = StringField(_l("Why is the count different?"), validators=[Length(max=200), no_controls()])


class CashForm(FlaskForm):
    kind = RadioField(
        _l("What happens?"),
        default="withdrawal",
        choices=[
            ("deposit", _l("Put money in (deposit)")),
            ("withdrawal", _l("Take money out (withdrawal)")),
            ("transit", _l("Take money to the bank (Geldtransit)")),
        ],
    )
    amount = StringField(_l("Amount in €"), validators=[Length(max=20), no_controls()])
    reason = StringField(_l("Reason"), validators=[Length(max=200), no_controls()])


class VoidForm(FlaskForm):
    """A supervisor confirms with the staff card, or picks their name and types the PIN."""

    reason = StringField(_l("Reason for the void"), validators=[Length(max=200), no_controls()])
    badge = PasswordField(_l("Supervisor: scan your card"), validators=[Length(max=64), no_controls()])
    user_id = SelectField(_l("Or: choose your name"), coerce=int_or_none, validate_choice=False)
    pin = PasswordField(_l("PIN"), validators=[Length(max=8), no_controls()])


class ReturnForm(FlaskForm):
    """The quantities come as qty-<line id> fields, one per line of the sale."""

    reason = StringField(_l("Reason for the return"), validators=[Length(max=200), no_controls()])
    target = RadioField(
        _l("Where do the goods go?"),
        default="stock",
        choices=[("stock", _l("Back to stock")), ("write_off", _l("Write off (broken)"))],
    )


class TillForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=40), no_controls()])
    serial = StringField(_l("Serial number"), validators=[Length(max=40), no_controls()])
    location = StringField(_l("Where it stands"), validators=[Length(max=80), no_controls()])
    receipt_printer_id = SelectField(_l("Receipt printer"), coerce=int_or_none, validate_choice=False)
    label_printer_id = SelectField(_l("Label printer"), coerce=int_or_none, validate_choice=False)
    has_drawer = BooleanField(_l("Has a cash drawer"), default=True)
    is_active = BooleanField(_l("In use"), default=True)
    branch_id = BranchField()
