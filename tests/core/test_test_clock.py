"""The tests' clock (tests/conftest.py): @pytest.mark.clock pins "now" for a test and its fixtures,
whatever the day the suite runs (or KAUFHAUS_TEST_CLOCK says)."""

import time
from datetime import UTC, date, datetime, timedelta

import pytest

from store.core.timeutil import local_today, utcnow
from tests.conftest import NOW


@pytest.fixture
def made_at(app):
    return utcnow()


@pytest.mark.clock
def test_the_mark_pins_now_for_the_test_and_its_fixtures(made_at, pinned_clock):
    assert NOW <= made_at <= utcnow() < NOW + timedelta(minutes=10)  # it ticks from NOW
    assert local_today() == date(2026, 11, 20) == date.today()
    assert abs(time.time() - NOW.timestamp()) < 600
    pinned_clock.shift(timedelta(days=1))
    assert local_today() == date(2026, 11, 21)


@pytest.mark.clock(datetime(2027, 3, 27, 23, 30, tzinfo=UTC), tick=False)
def test_the_mark_takes_a_moment_and_can_stand_still(app):
    assert utcnow() == datetime(2027, 3, 27, 23, 30, tzinfo=UTC)
    assert local_today() == date(2027, 3, 28)  # 00:30 in Berlin
