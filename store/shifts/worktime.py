"""Working time from clock events: which events count, pairs of Kommen/Gehen, the break rule.

Pure functions on aware UTC datetimes, so a night across the change to or from summer time counts
the hours that really passed (a local day can be 23 or 25 hours long).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo

from store.shifts.models import ClockEvent, ClockKind

# ArbZG §4: only breaks of at least 15 minutes count as a break.
MIN_BREAK = 15


def effective(events: Iterable[ClockEvent]) -> list[ClockEvent]:
    """The events that count: not replaced by a later counter-entry, and not a void; by time."""
    events = list(events)
    replaced = {e.replaces_id for e in events if e.replaces_id is not None}
    kept = [e for e in events if e.id not in replaced and e.kind != ClockKind.VOID]
    return sorted(kept, key=lambda e: (e.at.astimezone(UTC), e.seq))


@dataclass
class Pair:
    """A Kommen and its Gehen (None while open or when the clock-out was forgotten)."""

    start: ClockEvent | None
    end: ClockEvent | None

    @property
    def minutes(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return minutes_between(self.start.at, self.end.at)


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes between two aware instants (real elapsed time, DST-safe).

    Both are taken to UTC first: Python subtracts two datetimes of the same zone by their wall
    clocks, which is an hour off across a change to or from summer time.
    """
    return max(int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60), 0)


def pairs(events: Iterable[ClockEvent]) -> list[Pair]:
    """Pair effective events in time order. An IN without OUT and an OUT without IN stay single."""
    found: list[Pair] = []
    open_in: ClockEvent | None = None
    for event in effective(events):
        if event.kind == ClockKind.IN:
            if open_in is not None:
                found.append(Pair(open_in, None))
            open_in = event
        elif open_in is not None:
            found.append(Pair(open_in, event))
            open_in = None
        else:
            found.append(Pair(None, event))
    if open_in is not None:
        found.append(Pair(open_in, None))
    return found


def break_needed(minutes: int, rules: Sequence[Sequence[int]]) -> int:
    """The break the rule asks for after `minutes` of work (e.g. 30 above 360, 45 above 540)."""
    return max((brk for above, brk in rules if minutes > above), default=0)


def break_deduction(worked: int, taken: int, rules: Sequence[Sequence[int]]) -> int:
    """Minutes to deduct so that the work left and all breaks together meet the rule.

    `worked` excludes the breaks taken (`taken`, gaps of at least 15 minutes between clock pairs).
    The smallest deduction d with break_needed(worked − d) ≤ taken + d: 6:10 h without a break
    becomes 6:00 h, 9:01 h becomes 8:31 h; more presence never yields less work.
    """
    most = max((brk for _above, brk in rules), default=0)
    for deduction in range(0, most + 1):
        if deduction > worked:
            return worked
        if break_needed(worked - deduction, rules) <= taken + deduction:
            return deduction
    return most


@dataclass
class DayClock:
    """What the clock says about one local day of one person."""

    day: date
    pairs: list[Pair] = field(default_factory=list)
    worked: int = 0  # minutes of complete pairs, before the break rule
    taken_break: int = 0
    deducted_break: int = 0
    missing_out: bool = False  # a Kommen without Gehen
    missing_in: bool = False  # a Gehen without Kommen

    @property
    def net(self) -> int:
        return self.worked - self.deducted_break

    @property
    def has_events(self) -> bool:
        return bool(self.pairs)

    @property
    def is_complete(self) -> bool:
        return self.has_events and not (self.missing_out or self.missing_in)

    @property
    def first_in(self) -> datetime | None:
        starts = [p.start.at for p in self.pairs if p.start is not None]
        return min(starts) if starts else None

    @property
    def last_out(self) -> datetime | None:
        ends = [p.end.at for p in self.pairs if p.end is not None]
        return max(ends) if ends else None


def by_day(
    events: Iterable[ClockEvent], zone: tzinfo, rules: Sequence[Sequence[int]]
) -> dict[date, DayClock]:
    """Pairs grouped by the local date of their Kommen (a night shift counts for its evening)."""
    days: dict[date, DayClock] = {}
    for pair in pairs(events):
        anchor = pair.start or pair.end
        day = anchor.at.astimezone(zone).date()
        clock = days.setdefault(day, DayClock(day))
        clock.pairs.append(pair)
    for clock in days.values():
        complete = [p for p in clock.pairs if p.minutes is not None]
        clock.worked = sum(p.minutes for p in complete)
        clock.missing_out = any(p.end is None for p in clock.pairs)
        clock.missing_in = any(p.start is None for p in clock.pairs)
        ordered = sorted(complete, key=lambda p: p.start.at)
        clock.taken_break = sum(
            gap
            for gap in (
                minutes_between(a.end.at, b.start.at) for a, b in zip(ordered, ordered[1:], strict=False)
            )
            if gap >= MIN_BREAK
        )
        clock.deducted_break = break_deduction(clock.worked, clock.taken_break, rules)
    return days


def format_minutes(minutes: int | None) -> str:
    """125 → '2:05' (hours:minutes, as on a time sheet); None → ''."""
    if minutes is None:
        return ""
    sign = "−" if minutes < 0 else ""
    minutes = abs(minutes)
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"
