"""Forms: the donor's offer (public and by phone), screening, scheduling, vans, intake from an offer."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from store.core.bounds import no_controls
from store.goods.forms import CONDITION_LABELS, QUANTITY_MESSAGE
from store.goods.services.intake import MAX_QUANTITY
from store.logistics.services.offers import FLOOR_MAX, FLOOR_MIN, QUANTITY_MAX
from store.logistics.services.routes import MAX_STOPS

WEEKDAYS = [
    ("1", _l("Monday")),
    ("2", _l("Tuesday")),
    ("3", _l("Wednesday")),
    ("4", _l("Thursday")),
    ("5", _l("Friday")),
    ("6", _l("Saturday")),
]


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OfferForm(FlaskForm):
    """What a donor tells us. The same fields when staff type in a phone call."""

    what = StringField(_l("What would you like to give?"), validators=[Length(max=200), no_controls()])
    quantity = IntegerField(
        _l("How many?"),
        default=1,
        validators=[
            Optional(),
            NumberRange(1, QUANTITY_MAX, _l("The number must be between 1 and %(n)s.", n=QUANTITY_MAX)),
        ],
    )
    dimensions = StringField(
        _l("Size (width × depth × height, roughly)"), validators=[Length(max=120), no_controls()]
    )
    photos = MultipleFileField(_l("Photos (up to 4, each up to 8 MB)"))
    name = StringField(_l("Your name"), validators=[Length(max=120), no_controls()])
    address = StringField(
        _l("Address for the pick-up (street, number, postcode, town)"),
        validators=[Length(max=200), no_controls()],
    )
    floor = IntegerField(
        _l("Floor (0 = ground floor)"),
        validators=[
            Optional(),
            NumberRange(
                FLOOR_MIN, FLOOR_MAX, _l("Please give the floor as a number (0 = ground floor).")
            ),
        ],
    )
    has_lift = BooleanField(_l("There is a lift"))
    preferred_days = CheckboxList(_l("Days that suit you"), choices=WEEKDAYS)
    phone = StringField(_l("Phone"), validators=[Length(max=40), no_controls()])
    email = StringField(_l("E-mail"), validators=[Length(max=120), no_controls()])
    notes = TextAreaField(
        _l("Anything else we should know?"),
        validators=[Length(max=500), no_controls(multiline=True)],
    )
    consent = BooleanField(
        _l("You may contact me about this offer, and thank me by e-mail after the pick-up.")
    )
    # Spam protection: people leave this empty (it is hidden); the signed moment the form was shown.
    website = StringField(_l("Leave this field empty"))
    shown = HiddenField()


class AcceptForm(FlaskForm):
    volume = StringField(_l("Load in m³ (about)"), validators=[Length(max=20), no_controls()])


class DeclineForm(FlaskForm):
    reason = SelectField(_l("Reason"), validate_choice=False)


class ScheduleForm(FlaskForm):
    vehicle = SelectField(_l("Vehicle"), coerce=int, validate_choice=False)
    day = DateField(_l("Day"))


class VehicleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=60), no_controls()])
    max_stops = IntegerField(
        _l("Stops a day"),
        default=6,
        validators=[Optional(), NumberRange(1, MAX_STOPS, _l("Between 1 and 30 stops a day."))],
    )
    volume = StringField(_l("Load in m³"), default="12", validators=[Length(max=20), no_controls()])
    weekdays = CheckboxList(_l("Days it drives"), choices=WEEKDAYS, default=["1", "2", "3", "4", "5"])
    is_active = BooleanField(_l("In use"), default=True)


class OfferIntakeForm(FlaskForm):
    category = SelectField(_l("Category"), coerce=int, validate_choice=False)
    description = StringField(_l("What is it?"), validators=[Length(max=120), no_controls()])
    price = StringField(_l("Price in €"), validators=[Length(max=20), no_controls()])
    quantity = IntegerField(
        _l("How many?"),
        default=1,
        validators=[Optional(), NumberRange(1, MAX_QUANTITY, QUANTITY_MESSAGE)],
    )
    condition = SelectField(
        _l("Condition"),
        default="good",
        choices=[(c.value, label) for c, label in CONDITION_LABELS.items()],
    )
    location = StringField(_l("Shelf or area"), validators=[Length(max=40), no_controls()])
    donor_name = StringField(
        _l("Donor (only if they want to be named)"), validators=[Length(max=120), no_controls()]
    )


class DeliveryForm(FlaskForm):
    """Where and when a sale is delivered (asked after paying; removed after the retention time)."""

    name = StringField(_l("Name on the door"), validators=[Length(max=120), no_controls()])
    address = StringField(
        _l("Street, number, postcode and town"), validators=[Length(max=200), no_controls()]
    )
    floor = IntegerField(
        _l("Floor (0 = ground floor)"), validators=[Optional(), NumberRange(FLOOR_MIN, FLOOR_MAX)]
    )
    has_lift = BooleanField(_l("There is a lift"))
    phone = StringField(_l("Phone (optional)"), validators=[Length(max=40), no_controls()])
    day = DateField(_l("Day of the delivery"), validators=[Optional()])
    volume = StringField(_l("Load in m³ (estimate)"), validators=[Length(max=10), no_controls()])
