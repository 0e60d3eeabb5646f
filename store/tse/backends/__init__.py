"""Technical security devices (TSE, §146a AO): one interface, a simulator and fiskaly SIGN DE."""

from store.tse.backends.base import Finished, Started, TseError, TseInfo

__all__ = ["Finished", "Started", "TseError", "TseInfo"]
