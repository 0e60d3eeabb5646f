"""Branch forms: a branch's data and members, the header's switcher."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from store.core.bounds import no_controls


class BranchForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80), no_controls()])
    address = StringField(
        _l("Address (street, postcode and town)"),
        validators=[Optional(), Length(max=200), no_controls()],
    )
    tax_number = StringField(
        _l("Tax number on receipts (empty: the store's)"),
        validators=[Optional(), Length(max=40), no_controls()],
    )
    vat_id = StringField(
        _l("VAT id (empty: the store's)"), validators=[Optional(), Length(max=20), no_controls()]
    )
    is_active = BooleanField(_l("Open"), default=True)
    members = SelectMultipleField(
        _l("Who works here"),
        coerce=int,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class SwitchForm(FlaskForm):
    branch = SelectField(_l("Branch"), coerce=str, validate_choice=False)
