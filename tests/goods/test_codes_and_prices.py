"""Item codes (EAN-13 check digits) and the markdown by age."""

from datetime import date

import pytest

from store.core.pricing import apply_percent
from store.goods import codes
from store.goods.pricing import markdown_percent, quote

STEPS = [{"weeks": 4, "percent": 30}, {"weeks": 8, "percent": 50}]


@pytest.mark.parametrize("code", ["4006381333931", "5901234123457", "4012345678901"])
def test_check_digit_of_known_eans(code):
    assert codes.check_digit(code[:12]) == code[12]
    assert codes.is_valid(code)


def test_made_codes_are_in_store_range_and_valid():
    code = codes.make_code(12345)
    assert code == "200000012345" + codes.check_digit("200000012345")
    assert len(code) == 13 and code.startswith("2") and codes.is_valid(code)
    assert codes.make_code(1) != codes.make_code(2)


def test_misread_code_is_not_valid():
    good = codes.make_code(777)
    wrong_digit = good[:5] + str((int(good[5]) + 1) % 10) + good[6:]
    assert not codes.is_valid(wrong_digit)
    assert not codes.is_valid("12345")


def test_prefix_outside_store_range_is_refused():
    with pytest.raises(ValueError):
        codes.make_code(1, prefix="40")


@pytest.mark.parametrize(("weeks", "percent"), [(0, 0), (3, 0), (4, 30), (7, 30), (8, 50), (52, 50)])
def test_markdown_steps(weeks, percent):
    assert markdown_percent(STEPS, weeks) == percent


@pytest.mark.parametrize(
    ("cents", "percent", "expected"),
    [
        (1000, 30, 700),
        (999, 30, 699),
        (995, 30, 697),
        (1, 50, 1),
        (3, 50, 2),
        (1250, 50, 625),
        (1999, 0, 1999),
    ],
)
def test_percent_is_rounded_half_up_to_the_cent(cents, percent, expected):
    # 995 * 0.7 = 696.5 → 697; 3 * 0.5 = 1.5 → 2
    assert apply_percent(cents, percent) == expected


def test_quote_counts_full_weeks_from_intake_day():
    day = date(2026, 3, 2)
    assert quote(1000, STEPS, day, date(2026, 3, 29)).price_cents == 1000  # 27 days
    q = quote(1000, STEPS, day, date(2026, 3, 30))  # 28 days = 4 weeks
    assert (q.price_cents, q.percent, q.weeks, q.label_cents) == (700, 30, 4, 1000)
    assert quote(1000, STEPS, day, date(2026, 4, 27)).price_cents == 500
