"""Forms of the shift, attendance and agreement pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.validators import Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from store.branches.forms import BranchField
from store.core.bounds import no_controls
from store.core.web import int_or_none
from store.shifts.labels import CODE_LABELS, MEASURE_LABELS, WEEKDAYS


class CheckboxesField(SelectMultipleField):
    """Several choices as a row of check boxes (keyboard: Tab and Space)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def weekday_choices() -> list[tuple[int, object]]:
    return list(enumerate(WEEKDAYS))


class StationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=60), no_controls()])
    staffed_weekdays = CheckboxesField(
        _l("Warn when nobody is planned on"),
        coerce=int,
        choices=weekday_choices(),
        validate_choice=False,
    )
    sort = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(0, 999)])
    is_active = BooleanField(_l("In use"), default=True)
    branch_id = BranchField()


class AgreementForm(FlaskForm):
    user_id = SelectField(_l("Participant"), coerce=int_or_none, validate_choice=False)
    measure = SelectField(
        _l("Measure"),
        choices=[(m.value, label) for m, label in MEASURE_LABELS.items()],
        validate_choice=False,
    )
    starts_on = DateField(_l("First day"), validators=[Optional()])
    ends_on = DateField(_l("Planned end"), validators=[Optional()])
    weekly_hours = StringField(_l("Hours per week"), validators=[Length(max=8), no_controls()])
    workdays = CheckboxesField(
        _l("Workdays"), coerce=int, choices=weekday_choices(), validate_choice=False
    )
    hourly_allowance = StringField(
        _l("Allowance per hour (€)"), validators=[Length(max=10), no_controls()]
    )
    max_months = IntegerField(
        _l("Longest duration (months)"), validators=[Optional(), NumberRange(1, 120)]
    )


class TemplateForm(FlaskForm):
    station_id = SelectField(_l("Station"), coerce=int_or_none, validate_choice=False)
    weekdays = CheckboxesField(
        _l("Weekdays"), coerce=int, choices=weekday_choices(), validate_choice=False
    )
    starts_at = TimeField(_l("From"), validators=[Optional()])
    ends_at = TimeField(_l("To"), validators=[Optional()])
    members = CheckboxesField(_l("Participants"), coerce=int, validate_choice=False)
    is_active = BooleanField(_l("In use"), default=True)


class AssignForm(FlaskForm):
    user_id = SelectField(_l("Who"), coerce=int_or_none, validate_choice=False)
    station_id = SelectField(_l("Station"), coerce=int_or_none, validate_choice=False)
    day = SelectField(_l("Day"), validate_choice=False)
    starts_at = TimeField(_l("From"), validators=[Optional()])
    ends_at = TimeField(_l("To"), validators=[Optional()])


class ShiftForm(FlaskForm):
    station_id = SelectField(_l("Station"), coerce=int_or_none, validate_choice=False)
    day = DateField(_l("Day"), validators=[Optional()])
    starts_at = TimeField(_l("From"), validators=[Optional()])
    ends_at = TimeField(_l("To"), validators=[Optional()])


def code_choices(blank: bool = True) -> list[tuple[str, object]]:
    choices = [(code.value, label) for code, label in CODE_LABELS.items()]
    return ([("", _l("– choose –"))] if blank else []) + choices


class ConfirmForm(FlaskForm):
    """Confirm a day or record an absence (several days with "until")."""

    code = SelectField(_l("What applies?"), choices=code_choices(), validate_choice=False)
    hours = StringField(_l("Hours worked"), validators=[Length(max=8), no_controls()])
    certificate_until = DateField(_l("Certificate until"), validators=[Optional()])
    last_day = DateField(_l("Absent until (several days)"), validators=[Optional()])
    note = StringField(_l("Note (never a diagnosis)"), validators=[Length(max=200), no_controls()])
    reason = StringField(_l("Reason for the change"), validators=[Length(max=200), no_controls()])


class ClockFixForm(FlaskForm):
    """A supervisor's correction of one clock entry: another time, or remove it."""

    time = TimeField(_l("Right time"), validators=[Optional()])
    reason = StringField(_l("Reason"), validators=[Length(max=200), no_controls()])
    action = HiddenField(default="move")


class ClockAddForm(FlaskForm):
    user_id = HiddenField()
    day = HiddenField()
    kind = SelectField(
        _l("Entry"), choices=[("out", _l("Clock out")), ("in", _l("Clock in"))], validate_choice=False
    )
    time = TimeField(_l("Time"), validators=[Optional()])
    reason = StringField(_l("Reason"), validators=[Length(max=200), no_controls()])


class CloseMonthForm(FlaskForm):
    month = HiddenField()
    user_id = HiddenField()
