"""Forms of the sign-in and user pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from store.core.access import Role
from store.core.bounds import no_controls

MAX_TOKEN_DAYS = 3660  # as store.auth.services.MAX_TOKEN_DAYS

ROLE_LABELS = {
    Role.TRAINEE: _l("Trainee"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("Admin"),
}


class EmptyForm(FlaskForm):
    """A one-button action: it carries only the CSRF token."""


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    next = HiddenField()


class BadgeForm(FlaskForm):
    badge = PasswordField(_l("Scan your card"), validators=[DataRequired()])


class PinForm(FlaskForm):
    pin = PasswordField(_l("PIN"), validators=[DataRequired(), Length(max=8)])


class UserForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[Optional(), Length(max=80)])
    role = SelectField(_l("Role"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
    password = PasswordField(_l("Password"), validators=[Optional()])
    badge = StringField(_l("Badge code"), validators=[Optional(), Length(max=64)])
    pin = PasswordField(_l("PIN (4 to 8 digits)"), validators=[Optional(), Length(max=8)])
    is_active = BooleanField(_l("May sign in"), default=True)


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired()])


class TokenForm(FlaskForm):
    user_id = SelectField(_l("User"), coerce=int)
    name = StringField(_l("What it is for"), validators=[Optional(), Length(max=80), no_controls()])
    scope = SelectField(
        _l("What the token may do"),
        choices=[("write", _l("read and change")), ("read", _l("only read"))],
        default="write",
    )
    days = IntegerField(
        _l("Valid for (days)"), validators=[Optional(), NumberRange(min=1, max=MAX_TOKEN_DAYS)]
    )
