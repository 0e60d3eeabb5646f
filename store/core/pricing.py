"""Prices and VAT: percentages and taxes computed one way, in one place, for the intake, the screen,
the receipt, the reports and the tax office's export. Integer cents throughout, no floats."""

from dataclasses import dataclass


def apply_percent(cents: int, percent: int) -> int:
    """Reduce by percent, rounded half up to the cent (integer arithmetic, no floats)."""
    return (cents * (100 - percent) * 2 + 100) // 200


@dataclass(frozen=True)
class LinePrice:
    unit_cents: int  # after markdown
    quantity: int
    discount_cents: int  # from the line discount
    eligibility_cents: int  # from the entitlement-card discount
    total_cents: int  # gross to pay for the line


def price_line(
    unit_cents: int, quantity: int, discount_percent: int, eligibility_percent: int
) -> LinePrice:
    """Line discount first, then the entitlement discount on what is left; each rounded half up."""
    gross = unit_cents * quantity
    after_discount = apply_percent(gross, discount_percent)
    after_eligibility = apply_percent(after_discount, eligibility_percent)
    return LinePrice(
        unit_cents,
        quantity,
        gross - after_discount,
        after_discount - after_eligibility,
        after_eligibility,
    )


@dataclass(frozen=True)
class VatRow:
    rate_bp: int
    gross_cents: int
    net_cents: int
    vat_cents: int


def vat_of_gross(gross_cents: int, rate_bp: int) -> int:
    """VAT contained in a gross amount, rounded half away from zero to the cent."""
    numerator = abs(gross_cents) * rate_bp * 2
    denominator = (10000 + rate_bp) * 2
    vat = (numerator + denominator // 2) // denominator
    return vat if gross_cents >= 0 else -vat


def vat_breakdown(lines: list[tuple[int, int]]) -> list[VatRow]:
    """[(rate_bp, gross_cents), …] → one row per rate, VAT computed on the rate's sum.

    Summing first and rounding once per rate is what the receipt prints and what DSFinV-K expects,
    so the receipt, the Z report and the export agree to the cent.
    """
    sums: dict[int, int] = {}
    for rate, gross in lines:
        sums[rate] = sums.get(rate, 0) + gross
    rows = []
    for rate in sorted(sums, reverse=True):
        gross = sums[rate]
        vat = vat_of_gross(gross, rate)
        rows.append(VatRow(rate, gross, gross - vat, vat))
    return rows
