"""Forms of the partner pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import Length

from store.core.bounds import no_controls
from store.network.labels import EVENT_LABELS, PARTNER_KINDS
from store.shifts.forms import CheckboxesField


class PartnerForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=80), no_controls()])
    kind = SelectField(
        _l("Kind"),
        choices=[(k.value, label) for k, label in PARTNER_KINDS.items()],
        validate_choice=False,
    )
    contact = StringField(_l("Contact person"), validators=[Length(max=200), no_controls()])
    url = StringField(
        _l("Address of the partner's system (URL)"), validators=[Length(max=300), no_controls()]
    )
    secret = PasswordField(_l("Secret for signing"), validators=[Length(max=200), no_controls()])
    events = CheckboxesField(
        _l("Events it receives"), choices=list(EVENT_LABELS.items()), validate_choice=False
    )
    is_active = BooleanField(_l("Active"), default=True)
