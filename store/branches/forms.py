"""Branch forms: a branch's data and members, the header's switcher."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from store.core.bounds import is_id, no_controls


def id_checkboxes(label) -> SelectMultipleField:
    """Ids ticked in a list of checkboxes; the view fills the choices, the service checks them."""
    return SelectMultipleField(
        label,
        coerce=int,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


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
    label_printer_id = SelectField(
        _l("Label printer (when the till has none)"),
        coerce=lambda value: id_or_none(value),
        validate_choice=False,
    )
    members = id_checkboxes(_l("Who works here"))


class SwitchForm(FlaskForm):
    branch = SelectField(_l("Branch"), coerce=str, validate_choice=False)


def id_or_none(value) -> int | None:
    """A form's id: a number an id column holds, else None (refused by the service)."""
    return int(value) if value not in (None, "", "None") and is_id(value) else None


def BranchField():  # noqa: N802 - a field, as WTForms spells them
    """The branch a till, printer or station stands in (choices: branch_choices). Left out of a
    request (a client that knows no branches), it is None: a new thing goes to the first branch, a
    saved one stays where it is; the service refuses an id that is no branch."""
    return SelectField(_l("Branch"), coerce=id_or_none, validate_choice=False)


def branch_choices(field, obj, current_id: int) -> None:
    """Every branch as a choice; a new thing is in the user's current branch."""
    from store.branches.services import all_branches

    field.choices = [(b.id, b.name) for b in all_branches()]
    if obj is None and field.data is None:
        field.data = current_id
