"""Forms of the intake screen and the item pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from store.branches.forms import id_or_none
from store.core.bounds import no_controls
from store.goods.models import Condition, WriteOffReason
from store.goods.services.intake import MAX_QUANTITY

CONDITION_LABELS = {
    Condition.NEW: _l("new"),
    Condition.LIKE_NEW: _l("like new"),
    Condition.GOOD: _l("good"),
    Condition.USED: _l("used"),
}

REASON_LABELS = {
    WriteOffReason.DAMAGED: _l("damaged"),
    WriteOffReason.DISPOSED: _l("disposed of"),
    WriteOffReason.CHARITY: _l("given to another charity"),
    WriteOffReason.MISSING: _l("missing"),
    WriteOffReason.SAFETY_TEST_FAILED: _l("failed safety test"),
    WriteOffReason.OTHER: _l("other reason"),
}

STATUS_LABELS = {
    "in_stock": _l("in stock"),
    "sold": _l("sold"),
    "written_off": _l("written off"),
}


# The service's message (store.goods.services.intake), also at the form.
QUANTITY_MESSAGE = _l("The quantity must be between 1 and %(n)s.", n=MAX_QUANTITY)


class UnshownLength(Length):
    """Length without the maxlength attribute in the page: with it, the browser would cut a pasted
    text without a word. The form says at the field that the text is too long instead."""

    def __init__(self, max: int, message=None):
        super().__init__(max=max, message=message)
        self.field_flags = {}


class IntakeForm(FlaskForm):
    category = SelectField(_l("Category"), coerce=int, validate_choice=False)
    description = StringField(
        _l("What is it?"),
        validators=[
            UnshownLength(120, _l("The description is too long (120 characters at most).")),
            no_controls(),
        ],
    )
    price = StringField(_l("Price in €"), validators=[Length(max=20), no_controls()])
    quantity = IntegerField(
        _l("How many?"),
        default=1,
        validators=[Optional(), NumberRange(1, MAX_QUANTITY, QUANTITY_MESSAGE)],
    )
    condition = RadioField(
        _l("Condition"),
        default=Condition.GOOD.value,
        choices=[(c.value, label) for c, label in CONDITION_LABELS.items()],
    )
    size = StringField(_l("Size"), validators=[Length(max=20), no_controls()])
    colour = StringField(_l("Colour"), validators=[Length(max=30), no_controls()])
    brand = StringField(_l("Brand"), validators=[Length(max=40), no_controls()])
    location = StringField(_l("Shelf or area"), validators=[Length(max=40), no_controls()])
    donor_name = StringField(
        _l("Donor (only if they want to be named)"), validators=[Length(max=120), no_controls()]
    )
    test_on = DateField(_l("Safety test on"), validators=[Optional()])
    test_by = StringField(_l("Tested by"), validators=[Length(max=80), no_controls()])
    test_passed = RadioField(
        _l("Result"), choices=[("yes", _l("passed")), ("no", _l("failed"))], validators=[Optional()]
    )
    test_values = StringField(_l("Measured values"), validators=[Length(max=500), no_controls()])


class WriteOffForm(FlaskForm):
    reason = SelectField(
        _l("Why?"),
        choices=[(r.value, label) for r, label in REASON_LABELS.items() if r != WriteOffReason.MISSING],
    )
    note = StringField(_l("Note"), validators=[Length(max=200), no_controls()])


class PriceForm(FlaskForm):
    price = StringField(_l("New price in €"), validators=[DataRequired(), Length(max=20), no_controls()])
    note = StringField(_l("Why?"), validators=[Length(max=200), no_controls()])


class SafetyTestForm(FlaskForm):
    tested_on = DateField(_l("Tested on"), validators=[DataRequired()])
    tester = StringField(_l("Tested by"), validators=[DataRequired(), Length(max=80), no_controls()])
    passed = RadioField(
        _l("Result"), choices=[("yes", _l("passed")), ("no", _l("failed"))], validators=[DataRequired()]
    )
    values = TextAreaField(
        _l("Measured values"), validators=[Length(max=500), no_controls(multiline=True)]
    )


class CorrectionForm(FlaskForm):
    note = StringField(
        _l("Why is this booking wrong?"), validators=[DataRequired(), Length(max=200), no_controls()]
    )


class LabelSheetForm(FlaskForm):
    skip = IntegerField(
        _l("Leave places empty at the start"), default=0, validators=[Optional(), NumberRange(0, 23)]
    )
    with_qr = BooleanField(_l("With QR code"))


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo"), validators=[FileRequired()])


class ReserveForm(FlaskForm):
    """Hold an item for a customer (store.goods.services.reservations)."""

    customer = StringField(
        _l("Customer (a name or a number you give them)"), validators=[Length(max=80), no_controls()]
    )
    phone = StringField(
        _l("Phone (only if they want a call)"), validators=[Length(max=40), no_controls()]
    )
    until = DateField(_l("Reserved until"), validators=[Optional()])
    deposit = StringField(
        _l("Deposit in € (taken at the till)"), validators=[Length(max=20), no_controls()]
    )


class TransferForm(FlaskForm):
    """Items scanned out of one branch into another."""

    from_branch = SelectField(_l("From branch"), coerce=id_or_none, validate_choice=False)
    to_branch = SelectField(_l("To branch"), coerce=id_or_none, validate_choice=False)
    codes = TextAreaField(
        _l("Scanned codes (one per line)"),
        validators=[DataRequired(), Length(max=5000), no_controls(multiline=True)],
    )
