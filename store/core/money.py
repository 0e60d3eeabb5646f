"""Money is integer cents. These helpers read it from people and show it to them."""

import functools
import re
from decimal import Decimal

from babel.numbers import format_currency

from store.core.errors import ValidationError

# Decimal comma or point, and the Arabic decimal separator (U+066B); \d also takes Arabic-Indic digits.
_AMOUNT = re.compile(r"^\s*(-)?\s*(\d{1,7})(?:[.,\u066b](\d{1,2}))?\s*(?:€|EUR)?\s*$")


def parse_cents(text: str | int | None, *, allow_negative: bool = False) -> int:
    """'12,50', '12.5', '12 €' → 1250. Raises ValidationError with a readable message."""
    from flask_babel import gettext as _

    if isinstance(text, int):
        cents = text
    else:
        match = _AMOUNT.match(text or "")
        if not match:
            raise ValidationError(_("Please enter an amount such as 12,50."))
        sign, euros, frac = match.groups()
        cents = int(euros) * 100 + int((frac or "0").ljust(2, "0"))
        if sign:
            cents = -cents
    if cents < 0 and not allow_negative:
        raise ValidationError(_("The amount must not be negative."))
    return cents


@functools.lru_cache(maxsize=8192)  # a receipt shows a dozen amounts, and prices repeat
def format_cents(cents: int, locale: str = "de") -> str:
    """1250 → '12,50 €' (German) or '€12.50' (English); always the € sign (Ukrainian says "EUR")."""
    return format_currency(Decimal(cents) / 100, "EUR", locale=locale).replace("EUR", "€")
