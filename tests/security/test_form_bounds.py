"""Every field of every form has explicit bounds (issue 15, "bounds declared once, enforced before
the database"): a text has a maximum length (no more than its column holds) and refuses control
characters, a number has a lowest and a highest value within 64 bits. So no typed value can be what
one database takes and the other refuses (a NUL byte, a text longer than its column, an integer beyond
64 bits), whichever form a new page adds: this test finds every form by itself.

Dates are left out: store.core.bounds has no WTForms validator for days (only the API's `Day`), and
the API's range (2000–2099) would not fit a date of birth."""

import importlib
import pkgutil
import re

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    FieldList,
    FloatField,
    FormField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Regexp

import store
from store.auth.models import ApiToken, User
from store.core.bounds import INT64_MAX, INT64_MIN, LINE, MULTILINE
from store.extensions import db
from store.goods.models import (
    Article,
    Category,
    CategoryImpact,
    Item,
    Reservation,
    SafetyTest,
    StockMovement,
    Stocktake,
)
from store.logistics.models import DonationOffer, Vehicle
from store.network.models import ParticipantRecord, Partner
from store.printing.models import Printer
from store.shifts.models import AttendanceEntry, ClockEvent, Station
from store.till.models import CashMovement, Closing, Sale, Till
from tests.conftest import tr

# Fields that are deliberately not bounded, each with its reason. HiddenFields are left out as a
# kind: they carry what the server wrote into the page (ids, days, a signed time, the page to go
# back to), the views parse them and never store them as text, and a message at a field nobody
# sees would help nobody.
EXCEPTIONS = {
    # A honeypot: people leave it empty, any content marks a bot, which is answered as if its offer
    # went through and nothing is kept. A message at this field would tell the bot the trick.
    ("store.logistics.forms.OfferForm", "website"): "honeypot",
}

# The column each text is stored in, where that is plain from the field's name.
COLUMNS = {
    "store.auth.forms.UserForm": {
        "username": User.username,
        "first_name": User.first_name,
        "last_name": User.last_name,
        "badge": User.badge,
    },
    "store.auth.forms.TokenForm": {"name": ApiToken.name},
    "store.goods.forms.IntakeForm": {
        "description": Item.description,
        "size": Item.size,
        "colour": Item.colour,
        "brand": Item.brand,
        "location": Item.location,
        "donor_name": Item.donor_name,
        "test_by": SafetyTest.tester,
        "test_values": SafetyTest.values,
    },
    "store.goods.forms.SafetyTestForm": {"tester": SafetyTest.tester, "values": SafetyTest.values},
    "store.goods.forms.WriteOffForm": {"note": StockMovement.note},
    "store.goods.forms.CorrectionForm": {"note": StockMovement.note},
    "store.goods.forms.ReserveForm": {"customer": Reservation.customer, "phone": Reservation.phone},
    "store.goods.admin_forms.CategoryForm": {
        "name": Category.name,
        "impact_source": CategoryImpact.source,
    },
    "store.goods.admin_forms.ArticleForm": {"name": Article.name},
    "store.goods.admin_forms.StockInForm": {"note": StockMovement.note},
    "store.goods.admin_forms.StocktakeStartForm": {"location": Stocktake.location},
    "store.logistics.forms.OfferForm": {
        "what": DonationOffer.what,
        "dimensions": DonationOffer.dimensions,
        "name": DonationOffer.name,
        "address": DonationOffer.address,
        "phone": DonationOffer.phone,
        "email": DonationOffer.email,
        "notes": DonationOffer.notes,
    },
    "store.logistics.forms.VehicleForm": {"name": Vehicle.name},
    "store.logistics.forms.OfferIntakeForm": {
        "description": Item.description,
        "location": Item.location,
        "donor_name": Item.donor_name,
    },
    "store.network.forms.RecordForm": {
        "phone": ParticipantRecord.phone,
        "email": ParticipantRecord.email,
        "referrer_contact": ParticipantRecord.referrer_contact,
        "customer_number": ParticipantRecord.customer_number,
    },
    "store.network.partner_forms.PartnerForm": {
        "name": Partner.name,
        "contact": Partner.contact,
        "url": Partner.url,
    },
    "store.printing.forms.PrinterForm": {"name": Printer.name, "codepage": Printer.codepage},
    "store.shifts.forms.StationForm": {"name": Station.name},
    "store.shifts.forms.ConfirmForm": {"note": AttendanceEntry.note, "reason": AttendanceEntry.reason},
    "store.shifts.forms.ClockFixForm": {"reason": ClockEvent.reason},
    "store.shifts.forms.ClockAddForm": {"reason": ClockEvent.reason},
    "store.till.office_forms.CloseForm": {"reason": Closing.difference_reason},
    "store.till.office_forms.CashForm": {"reason": CashMovement.reason},
    "store.till.office_forms.VoidForm": {"reason": Sale.reason},
    "store.till.office_forms.ReturnForm": {"reason": Sale.reason},
    "store.till.office_forms.TillForm": {
        "name": Till.name,
        "serial": Till.serial,
        "location": Till.location,
    },
}


def _import_store() -> None:
    for module in pkgutil.walk_packages(store.__path__, "store."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


_import_store()
FORMS = sorted({_name(c): c for c in _subclasses(FlaskForm) if c.__module__.startswith("store")}.items())


def _fields(form, prefix: str = ""):
    """(name, field) of a form, the rows of FieldList and FormField included."""
    for field in form:
        name = prefix + field.short_name
        if isinstance(field, FieldList):
            for entry in field.entries:
                yield from _fields([entry], f"{name}-")
        elif isinstance(field, FormField):
            yield from _fields(field.form, f"{name}-")
        else:
            yield name, field


def _length(field) -> Length | None:
    return next((v for v in field.validators if isinstance(v, Length) and v.max >= 0), None)


def _pattern(field) -> str | None:
    return next((v.regex.pattern for v in field.validators if isinstance(v, Regexp)), None)


def text_faults(field) -> list[str]:
    faults = []
    if _length(field) is None:
        faults.append("no Length(max=…)")
    allowed = (LINE, MULTILINE) if isinstance(field, TextAreaField) else (LINE,)
    if _pattern(field) not in allowed:
        faults.append("no no_controls()" + ("" if field.type == "TextAreaField" else " (one line)"))
    return faults


def number_faults(field) -> list[str]:
    found = [v for v in field.validators if isinstance(v, NumberRange)]
    if not found:
        return ["no NumberRange(min, max)"]
    low, high = found[0].min, found[0].max
    if low is None or high is None:
        return [f"NumberRange({low}, {high}) is open"]
    if not INT64_MIN <= low <= high <= INT64_MAX:
        return [f"NumberRange({low}, {high}) is beyond 64 bits"]
    return []


def faults_of(form_name: str, form) -> list[str]:
    faults = []
    columns = COLUMNS.get(form_name, {})
    for name, field in _fields(form):
        if (form_name, name) in EXCEPTIONS or isinstance(field, HiddenField):
            continue
        if isinstance(field, StringField):
            found = text_faults(field)
            column = columns.get(name)
            length = _length(field)
            if column is not None and length is not None:
                limit = column.property.columns[0].type.length
                if length.max > limit:
                    found.append(f"Length(max={length.max}) but its column holds {limit}")
        elif isinstance(field, IntegerField | DecimalField | FloatField):
            found = number_faults(field)
        else:
            continue
        faults += [f"{form_name}.{name}: {fault}" for fault in found]
    return faults


def test_every_form_is_found():
    """The walk really sees the store's forms (a broken import would make the check below empty)."""
    names = dict(FORMS)
    assert len(names) > 40
    for form_name in [*COLUMNS, *(f for f, _field in EXCEPTIONS)]:
        assert form_name in names, f"{form_name} is listed here but no longer exists"


@pytest.mark.parametrize("form_name,form_class", FORMS, ids=[n for n, _c in FORMS])
def test_every_field_is_bounded(app, form_name, form_class):
    with app.test_request_context():
        form = form_class(formdata=None, meta={"csrf": False})
        assert faults_of(form_name, form) == []
        fields = {name for name, _field in _fields(form)}
    for (name, field), _reason in EXCEPTIONS.items():
        if name == form_name:
            assert field in fields, f"exception {name}.{field} names no field"
    for field in COLUMNS.get(form_name, {}):
        assert field in fields, f"{form_name}.{field} is mapped to a column but is no field"


# ---------------------------------------------------------------- the bounds at work, over HTTP


def _field_block(html: str, name: str) -> str:
    """The field block (store's `field` macro) that holds the input called `name`."""
    for block in re.findall(r'<div class="field[^"]*">(.*?)</div>', html, re.S):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name}")


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_intake_refuses_long_text_and_control_characters_at_the_field(
    client, make_user, login, make_category
):
    """A text longer than its column and a pasted control character come back at the field, on
    every database; a NUL byte is refused before any view (store.core.security). Nothing is booked."""
    category = make_category()
    login(make_user("trainee"))
    line = {"category": category.id, "price": "2,50", "quantity": "1", "condition": "good"}
    line = {**line, "description": "Vase"}
    for name, value, message in (
        ("description", "x" * 121, tr("The description is too long (120 characters at most).")),
        ("description", "Vase\x0bblau", tr("Please leave out control characters.")),
        ("brand", "b" * 41, None),
        ("quantity", str(2**63), None),
    ):
        page = client.post("/intake", data={**line, name: value})
        assert page.status_code == 200, name
        block = _field_block(page.get_data(as_text=True), name)
        assert 'class="error"' in block and 'aria-invalid="true"' in block, name
        assert message is None or message in block
    response = client.post("/intake", data={**line, "description": "Va\x00se"})
    assert response.status_code == 422
    assert _count(Item) == 0


def test_a_shift_note_refuses_long_text_and_control_characters(client, make_user, login):
    """The attendance page holds one form per person and redirects back: the message names the
    field, and nothing is recorded."""
    trainee = make_user("trainee", first_name="Olena")
    login(make_user("supervisor"))
    prefix = f"u{trainee.id}-"
    form = {"user_id": trainee.id, "day": "2026-05-04", prefix + "code": "present"}
    form[prefix + "hours"] = "4"
    for note in ("n" * 201, "AU liegt vor\x1b[31m"):
        page = client.post(
            "/attendance/confirm", data={**form, prefix + "note": note}, follow_redirects=True
        )
        flashed = re.search(r'<div class="flash flash-error">([^<]*)</div>', page.get_data(as_text=True))
        assert flashed and tr("Note (never a diagnosis)") in flashed.group(1), note
    response = client.post("/attendance/confirm", data={**form, prefix + "note": "AU\x00"})
    assert response.status_code == 422
    assert _count(AttendanceEntry) == 0
    # a fine note is recorded: the refusals above were for the note alone
    response = client.post("/attendance/confirm", data={**form, prefix + "note": "AU liegt vor"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(AttendanceEntry.note)) == "AU liegt vor"
