"""In-store EAN-13 codes: prefix 2 (reserved for in-store use), the item number, a check digit."""

import re

_DIGITS = re.compile(r"^\d{13}$")


def check_digit(first12: str) -> str:
    """The EAN-13 check digit: weights 1,3,1,3,… from the left, then 10 minus the sum mod 10."""
    if len(first12) != 12 or not first12.isdigit():
        raise ValueError("need 12 digits")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def is_valid(code: str) -> bool:
    return bool(_DIGITS.match(code or "")) and check_digit(code[:12]) == code[12]


def make_code(number: int, prefix: str = "20") -> str:
    """Item number → 13-digit code. prefix is two digits starting with 2 (in-store range)."""
    if not (len(prefix) == 2 and prefix.startswith("2") and prefix.isdigit()):
        raise ValueError("prefix must be two digits 20–29")
    body = f"{prefix}{number:010d}"
    if len(body) != 12:
        raise ValueError("number too large for an EAN-13")
    return body + check_digit(body)
