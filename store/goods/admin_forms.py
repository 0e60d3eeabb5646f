"""Forms of the admin pages (categories, price list, store settings) and the inventory pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from store.core.bounds import no_controls
from store.core.errors import ValidationError
from store.core.money import parse_cents
from store.core.web import int_or_none
from store.goods.services.categories import STEP_PERCENT_MAX, STEP_WEEKS_MAX
from store.goods.services.stock import STOCK_IN_MAX

VAT_CHOICES = [(1900, "19 %"), (700, "7 %"), (0, "0 %")]
SHEET_CHOICES = [("3x8", _l("3 × 8 labels (24 per sheet)")), ("3x7", _l("3 × 7 labels (21 per sheet)"))]
MARKDOWN_ROWS = 3
# The services' messages (store.goods.services.categories and .stock), also at the form.
STEP_MESSAGE = _l("A markdown step needs weeks (1 or more) and a percentage between 1 and 99.")
STOCK_IN_MESSAGE = _l("The quantity must be between 1 and %(n)s.", n=STOCK_IN_MAX)


class MarkdownStepForm(Form):
    """One row 'after N weeks, minus P %'. Both empty: the row is ignored."""

    weeks = IntegerField(
        _l("after … weeks"), validators=[Optional(), NumberRange(1, STEP_WEEKS_MAX, STEP_MESSAGE)]
    )
    percent = IntegerField(
        _l("minus … %"), validators=[Optional(), NumberRange(1, STEP_PERCENT_MAX, STEP_MESSAGE)]
    )


def cents_or_none(text: str | None, field: str) -> int | None:
    """Euro text → cents; empty is None. A bad amount is reported at `field`."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parse_cents(text)
    except ValidationError as error:
        raise ValidationError(error.message, field=field) from None


def euro_text(cents: int | None) -> str:
    """1250 → '12,50' for an input field (the form accepts comma or point)."""
    if cents is None:
        return ""
    return f"{cents // 100},{cents % 100:02d}"


class CategoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=80), no_controls()])
    parent_id = SelectField(_l("Belongs to"), coerce=int_or_none, validate_choice=False)
    vat_rate_bp = SelectField(
        _l("VAT rate"), coerce=int_or_none, choices=VAT_CHOICES, default=1900, validate_choice=False
    )
    price_min = StringField(_l("Lowest price in €"), validators=[Length(max=20), no_controls()])
    price_max = StringField(_l("Highest price in €"), validators=[Length(max=20), no_controls()])
    markdown_steps = FieldList(FormField(MarkdownStepForm), min_entries=MARKDOWN_ROWS)
    requires_safety_test = BooleanField(_l("Needs an electrical safety test before sale"))
    has_clothing_fields = BooleanField(_l("Clothing: ask for size, colour and brand"))
    is_active = BooleanField(_l("In use"), default=True)
    sort = IntegerField(_l("Sort number"), default=0, validators=[Optional(), NumberRange(-9999, 9999)])
    # Environmental factors: a new version from today when changed (store.goods.services.impact).
    weight_kg = StringField(
        _l("Average weight of an item in kg"), validators=[Length(max=20), no_controls()]
    )
    co2e_per_kg = StringField(
        _l("CO₂e avoided per kg re-used, in kg"), validators=[Length(max=20), no_controls()]
    )
    impact_source = StringField(
        _l("Source of these figures"), validators=[Length(max=200), no_controls()]
    )

    def steps(self) -> list[dict]:
        """Filled rows only. A half-filled row goes to the service with 0, which says why not."""
        steps = []
        for row in self.markdown_steps:
            weeks, percent = row.form.weeks.data, row.form.percent.data
            if weeks is None and percent is None:
                continue
            steps.append({"weeks": weeks or 0, "percent": percent or 0})
        return steps


class ArticleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=80), no_controls()])
    category = SelectField(_l("Category"), coerce=int_or_none, validate_choice=False)
    price = StringField(_l("Price in €"), validators=[Length(max=20), no_controls()])
    track_stock = BooleanField(_l("Count the stock"))
    is_active = BooleanField(_l("In use"), default=True)
    sort = IntegerField(_l("Sort number"), default=0, validators=[Optional(), NumberRange(-9999, 9999)])


class StockInForm(FlaskForm):
    quantity = IntegerField(
        _l("How many were added?"),
        validators=[DataRequired(), NumberRange(1, STOCK_IN_MAX, STOCK_IN_MESSAGE)],
    )
    note = StringField(_l("Note"), validators=[Length(max=200), no_controls()])


class SettingsForm(FlaskForm):
    label_printer_id = SelectField(_l("Label printer"), coerce=int)
    label_qr = BooleanField(_l("Print a QR code on labels"))
    label_sheet = SelectField(_l("A4 label sheet"), choices=SHEET_CHOICES)
    max_price = StringField(
        _l("Highest plausible price in €"), validators=[DataRequired(), Length(max=20), no_controls()]
    )
    receipt_impact_line = BooleanField(_l("Print the kg kept in use on the receipt"))
    # Empty or missing (an older form): the setting stays as it is.
    delivery_fee = StringField(_l("Delivery fee in €"), validators=[Length(max=20), no_controls()])
    delivery_vat_bp = SelectField(
        _l("VAT rate of deliveries"),
        coerce=int_or_none,
        choices=[(1900, "19 %"), (700, "7 %"), (0, "0 %")],
        validate_choice=False,
    )
    deposit_on_lapse = SelectField(
        _l("Deposit of a reservation that ends without a sale"),
        choices=[("refund", _l("pay it back")), ("keep", _l("keep it (revenue)"))],
        validate_choice=False,
    )


class StocktakeStartForm(FlaskForm):
    location = StringField(
        _l("Shelf or area"), validators=[DataRequired(), Length(max=40), no_controls()]
    )


class ScanForm(FlaskForm):
    code = StringField(_l("Scan the next item"), validators=[Length(max=40), no_controls()])


class FinishForm(FlaskForm):
    write_off = BooleanField(_l("Write off the missing items"))
    note = StringField(_l("Note"), validators=[Length(max=200), no_controls()])


def thousandths(text: str | None, field: str) -> int | None:
    """'2,5' → 2500 (kg → g, kg/kg → g/kg); empty → None."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = round(float(text) * 1000)
    except ValueError:
        raise ValidationError(_l("Please give a number such as 2,5."), field=field) from None
    return value


def thousandths_text(value: int | None) -> str:
    """2500 → '2,5' for an input field."""
    if value is None:
        return ""
    return f"{value / 1000:g}".replace(".", ",")
