"""Forms of the participant record pages: the record, a consent, its withdrawal, the exit, the
"shown" and "reported" marks. Choices that come from the database are filled in by the view."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField
from wtforms.validators import Length, Optional

from store.core.bounds import no_controls
from store.core.web import int_or_none
from store.network.labels import BASES, EDUCATION, EMPLOYMENT, EXIT_REASONS, GENDERS, SCOPES
from store.shifts.forms import CheckboxesField

NOT_KNOWN = ("", _l("– not known yet –"))
YES, NO = "yes", "no"


def yes_no(value: str | None) -> bool | None:
    """'yes' → True, 'no' → False, anything else → None (not given)."""
    return {YES: True, NO: False}.get(value or "")


def yes_no_value(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


def _choices(labels: dict) -> list[tuple[str, object]]:
    return [NOT_KNOWN] + [(key.value, label) for key, label in labels.items()]


YES_NO_CHOICES = [("", _l("not given")), (YES, _l("yes")), (NO, _l("no"))]


class RecordForm(FlaskForm):
    """The record at entry. The purpose of each field is shown beside it (see the template)."""

    phone = StringField(_l("Phone"), validators=[Length(max=40), no_controls()])
    email = StringField(_l("E-mail"), validators=[Length(max=120), no_controls()])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    referring_partner_id = SelectField(_l("Referred by"), coerce=int_or_none, validate_choice=False)
    referrer_contact = StringField(
        _l("Contact person there"), validators=[Length(max=120), no_controls()]
    )
    customer_number = StringField(
        _l("Jobcenter customer number"), validators=[Length(max=40), no_controls()]
    )
    languages = StringField(_l("Languages"), validators=[Length(max=400), no_controls()])
    gender = SelectField(_l("Gender"), choices=_choices(GENDERS), validate_choice=False)
    employment_status = SelectField(
        _l("Employment status at entry"), choices=_choices(EMPLOYMENT), validate_choice=False
    )
    education = SelectField(_l("Highest education"), choices=_choices(EDUCATION), validate_choice=False)
    disability = SelectField(_l("Disability"), choices=YES_NO_CHOICES, validate_choice=False)
    minority = SelectField(
        _l("Minority (incl. migrant background)"), choices=YES_NO_CHOICES, validate_choice=False
    )


class ConsentForm(FlaskForm):
    partner_id = SelectField(_l("With whom"), coerce=int_or_none, validate_choice=False)
    scopes = CheckboxesField(
        _l("What may be shared"),
        choices=[(s.value, label) for s, label in SCOPES.items()],
        validate_choice=False,
    )
    basis = SelectField(
        _l("Basis"), choices=[(b.value, label) for b, label in BASES.items()], validate_choice=False
    )
    given_on = DateField(_l("Given on"), validators=[Optional()])


class WithdrawForm(FlaskForm):
    withdrawn_on = DateField(_l("Withdrawn on"), validators=[Optional()])


ANSWERS = [(YES, _l("yes")), (NO, _l("no"))]


class ExitForm(FlaskForm):
    exit_on = DateField(_l("Last day"), validators=[Optional()])
    reason = SelectField(
        _l("Reason"),
        choices=[("", _l("– choose –"))] + [(r.value, label) for r, label in EXIT_REASONS.items()],
        validate_choice=False,
    )
    job_seeking = RadioField(
        _l("Is the person seeking a job?"),
        choices=ANSWERS,
        validate_choice=False,
        validators=[Optional()],
    )
    in_education = RadioField(
        _l("Is the person in education or training?"),
        choices=ANSWERS,
        validate_choice=False,
        validators=[Optional()],
    )
    qualification = RadioField(
        _l("Did the person gain a qualification?"),
        choices=ANSWERS,
        validate_choice=False,
        validators=[Optional()],
    )
    employed = RadioField(
        _l("Is the person employed (incl. self-employed)?"),
        choices=ANSWERS,
        validate_choice=False,
        validators=[Optional()],
    )


REPORT_WAYS = [("letter", _l("Letter")), ("phone", _l("Phone")), ("email", _l("E-mail"))]


class ReportedForm(FlaskForm):
    object_type = HiddenField()
    object_id = HiddenField()
    how = SelectField(_l("How"), choices=REPORT_WAYS, validate_choice=False)


class ShownForm(FlaskForm):
    """The items that were on the page (ids), so only those are marked."""

    assessments = HiddenField()
    absences = HiddenField()


def id_list(text: str | None) -> set[int]:
    """'3,5,8' → {3, 5, 8}; anything that is not a number is dropped."""
    return {int(part) for part in (text or "").split(",") if part.strip().isdigit()}
