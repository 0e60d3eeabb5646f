"""Bounded input types, declared once: the API models and forms use them, the OpenAPI document shows
them, and input outside them is a 422 naming the field before anything reaches the database.

Why: without them a client could send what one database takes and the other refuses (a NUL byte, a
text longer than its column, an integer beyond 64 bits), or what neither takes, and get a 500.

    class LineIn(Schema):
        article: Id | None = None
        quantity: Quantity = 1
        note: Text(200, multiline=True) | None = None

Path ids are bounded too: the app's `int` URL converter (IdConverter) matches only 0 … DB_INT_MAX,
so /participants/9223372036854775808/… is a plain 404.
"""

import re
from datetime import date
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import Field
from werkzeug.routing import IntegerConverter
from wtforms.validators import NumberRange, Regexp

# PostgreSQL's `integer`, the type of every id and cents column (SQLite would take 64 bits).
DB_INT_MAX = 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# One price, payment or count of cash: 100 000,00 € is far beyond anything a social store books.
CENTS_MAX = 10_000_000
QUANTITY_MAX = 999
# The dates a store's records can have.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)

# No C0 control character (NUL included) and no DEL; multiline text keeps tab and line breaks.
LINE = r"^[^\x00-\x1f\x7f]*$"
MULTILINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
_LINE, _MULTILINE = re.compile(LINE), re.compile(MULTILINE)
PATTERN_MESSAGES = dict.fromkeys((LINE, MULTILINE), "must not contain control characters")

Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
Cents = Annotated[int, Field(ge=0, le=CENTS_MAX)]
PositiveCents = Annotated[int, Field(gt=0, le=CENTS_MAX)]
Quantity = Annotated[int, Field(ge=1, le=QUANTITY_MAX)]
Day = Annotated[
    date,
    Field(
        ge=FIRST_DAY,
        le=LAST_DAY,
        description=f"a day from {FIRST_DAY} to {LAST_DAY}",
        json_schema_extra={"x-minimum": FIRST_DAY.isoformat(), "x-maximum": LAST_DAY.isoformat()},
    ),
]


def Text(max_length: int, *, min_length: int = 0, multiline: bool = False):  # noqa: N802 - a type
    """A string of at most `max_length` characters (the column's length), without control
    characters (tab and line breaks allowed when `multiline`)."""
    return Annotated[
        str,
        Field(min_length=min_length, max_length=max_length, pattern=MULTILINE if multiline else LINE),
    ]


def is_id(text: str | int) -> bool:
    """Whether a path or form value is a number an id column can hold."""
    text = str(text)
    return text.isascii() and text.isdigit() and int(text) <= DB_INT_MAX


# ---------------------------------------------------------------- forms (WTForms)


def no_controls(multiline: bool = False) -> Regexp:
    """A WTForms validator: no control characters."""
    return Regexp(MULTILINE if multiline else LINE, message=_l("Please leave out control characters."))


def cents_range(minimum: int = 0) -> NumberRange:
    return NumberRange(min=minimum, max=CENTS_MAX)


def id_range() -> NumberRange:
    return NumberRange(min=1, max=DB_INT_MAX)


# ---------------------------------------------------------------- path ids


class IdConverter(IntegerConverter):
    """`<int:x>` in every route: only what an id column can hold, else the route does not match."""

    def __init__(
        self, url_map, fixed_digits: int = 0, min: int = 0, max: int = DB_INT_MAX, signed=False
    ):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


PATH_ID_SCHEMA = {"type": "integer", "minimum": 0, "maximum": DB_INT_MAX}


def contains_control(value: str, multiline: bool = True) -> bool:
    """Whether a text holds a control character (NUL included)."""
    return (_MULTILINE if multiline else _LINE).match(value) is None
