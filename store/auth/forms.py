"""Forms of the sign-in and user pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from store.branches.forms import id_checkboxes, id_or_none
from store.core.access import Role
from store.core.bounds import no_controls

MAX_TOKEN_DAYS = 3660  # as store.auth.services.MAX_TOKEN_DAYS
# A password is hashed, never stored as text, but it is bounded as the API's (store.auth.api.UserIn):
# 200 characters, no control characters (no browser lets anyone type one into a password box).
PASSWORD = [Length(max=200), no_controls()]

ROLE_LABELS = {
    Role.TRAINEE: _l("Trainee"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("Admin"),
}


class EmptyForm(FlaskForm):
    """A one-button action: it carries only the CSRF token."""


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64), no_controls()])
    password = PasswordField(_l("Password"), validators=[DataRequired(), *PASSWORD])
    next = HiddenField()


class BadgeForm(FlaskForm):
    badge = PasswordField(
        _l("Scan your card"), validators=[DataRequired(), Length(max=64), no_controls()]
    )


class PinForm(FlaskForm):
    pin = PasswordField(_l("PIN"), validators=[DataRequired(), Length(max=8), no_controls()])


class UserForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64), no_controls()])
    first_name = StringField(
        _l("First name"), validators=[DataRequired(), Length(max=80), no_controls()]
    )
    last_name = StringField(_l("Last name"), validators=[Optional(), Length(max=80), no_controls()])
    role = SelectField(_l("Role"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
    password = PasswordField(_l("Password"), validators=[Optional(), *PASSWORD])
    badge = StringField(_l("Badge code"), validators=[Optional(), Length(max=64), no_controls()])
    pin = PasswordField(_l("PIN (4 to 8 digits)"), validators=[Optional(), Length(max=8), no_controls()])
    is_active = BooleanField(_l("May sign in"), default=True)
    # choices: every branch (the view fills them); checked by store.branches.services.assign_branches
    branches = id_checkboxes(_l("Works in the branches"))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), *PASSWORD])
    new = PasswordField(_l("New password"), validators=[DataRequired(), *PASSWORD])


class TokenForm(FlaskForm):
    user_id = SelectField(_l("User"), coerce=int)
    name = StringField(_l("What it is for"), validators=[Optional(), Length(max=80), no_controls()])
    scope = SelectField(
        _l("What the token may do"),
        choices=[
            ("write", _l("read and change")),
            ("read", _l("only read")),
            ("print", _l("only the print agent in a shop")),
        ],
        default="write",
    )
    days = IntegerField(
        _l("Valid for (days)"), validators=[Optional(), NumberRange(min=1, max=MAX_TOKEN_DAYS)]
    )
    # A print agent's branch (choices: every branch, the view fills them); empty: every branch.
    branch_id = SelectField(_l("Print agent of the branch"), coerce=id_or_none, validate_choice=False)
