"""The fake fiskaly server lives with the TSE's tests (tests/tse/fake_fiskaly.py); this name stays."""

from tests.tse.fake_fiskaly import FakeFiskaly

__all__ = ["FakeFiskaly"]
