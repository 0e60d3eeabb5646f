"""The change to hand over, as notes and coins: what the till's screen draws, largest first."""

from dataclasses import dataclass

from store.till.services.cash import DENOMINATIONS

QUICK_NOTES = (500, 1000, 2000, 5000, 10000)  # the one-tap cash buttons beside "exact amount"


@dataclass(frozen=True)
class Piece:
    cents: int
    count: int

    @property
    def is_note(self) -> bool:
        return self.cents >= 500


def change_pieces(cents: int) -> list[Piece]:
    """The fewest notes and coins that make up `cents`, largest first (euro denominations)."""
    pieces, rest = [], max(cents, 0)
    for value in DENOMINATIONS:
        count, rest = divmod(rest, value)
        if count:
            pieces.append(Piece(value, count))
    return pieces
