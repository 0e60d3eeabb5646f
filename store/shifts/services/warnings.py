"""Planning warnings: what the planner should look at in a week. They are shown, never enforced.

Each warning is a small rule function. A rule about one shift looks at that shift, a rule about one
person at all of that person's shifts, a rule about the plan at the whole span; plan_warnings runs
them all and sorts what they find by kind, day and name.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.extensions import db
from store.shifts.models import Agreement, AttendanceEntry, Shift
from store.shifts.services.agreements import agreements_between, agreements_for, covering
from store.shifts.services.days import day_label, holiday_name, hours_text, months_after, week_start
from store.shifts.services.entries import absences_between, code_label
from store.shifts.services.planning import planned_minutes, shifts_between
from store.shifts.services.stations import list_stations


@dataclass(frozen=True)
class PlanWarning:
    kind: str  # over_hours | off_day | overlap | absence | empty_station | holiday |
    #            no_agreement | outside_agreement | max_duration
    message: str
    day: date | None = None
    user_id: int | None = None
    station_id: int | None = None
    shift_ids: tuple[int, ...] = ()


# The order in which the planner reads the warnings.
ORDER = [
    "over_hours",
    "overlap",
    "absence",
    "off_day",
    "max_duration",
    "outside_agreement",
    "no_agreement",
    "holiday",
    "empty_station",
]


@dataclass
class PlanFacts:
    """What the rules look at: the shifts of [first, last] with their people, agreements and
    absences. `whole_plan`: every person's shifts, so empty stations count."""

    first: date
    last: date
    shifts: list[Shift]
    whole_plan: bool
    users: dict[int, User] = field(default_factory=dict)
    agreements: dict[int, list[Agreement]] = field(default_factory=dict)
    absences: dict[int, list[tuple[date, date, AttendanceEntry]]] = field(default_factory=dict)

    @classmethod
    def load(cls, first: date, last: date, shifts: list[Shift], *, whole_plan: bool) -> "PlanFacts":
        people = {s.user_id for s in shifts}
        return cls(
            first,
            last,
            shifts,
            whole_plan,
            users={u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(people)))},
            agreements=agreements_between(people, first, last) if people else {},
            absences=absences_between(people, first, last) if people else {},
        )

    @cached_property
    def by_user(self) -> dict[int, list[Shift]]:
        found: dict[int, list[Shift]] = defaultdict(list)
        for shift in self.shifts:
            found[shift.user_id].append(shift)
        return found

    def name(self, user_id: int) -> str:
        return self.users[user_id].short_name

    def agreement(self, shift: Shift) -> Agreement | None:
        """The agreement in force on the shift's day."""
        return covering(self.agreements.get(shift.user_id, []), shift.day)


def _about(shift: Shift, kind: str, message: str) -> PlanWarning:
    return PlanWarning(kind, message, shift.day, shift.user_id, shift.station_id, (shift.id,))


# ---------------------------------------------------------------- rules about one shift


def on_holiday(facts: PlanFacts, shift: Shift) -> PlanWarning | None:
    holiday = holiday_name(shift.day)
    if not holiday:
        return None
    return _about(
        shift,
        "holiday",
        _(
            "%(name)s: planned on a public holiday (%(holiday)s, %(day)s).",
            name=facts.name(shift.user_id),
            holiday=holiday,
            day=day_label(shift.day),
        ),
    )


def without_agreement(facts: PlanFacts, shift: Shift) -> PlanWarning | None:
    """No agreement in force that day: outside the person's agreement, or none at all yet."""
    if facts.agreement(shift) is not None:
        return None
    name = facts.name(shift.user_id)
    outside = [
        a
        for a in facts.agreements.get(shift.user_id, [])
        if a.starts_on > shift.day or (a.ends_on and a.ends_on < shift.day)
    ]
    if outside or agreements_for(shift.user_id):
        return _about(
            shift,
            "outside_agreement",
            _("%(name)s: %(day)s is outside the agreement.", name=name, day=day_label(shift.day)),
        )
    return _about(
        shift,
        "no_agreement",
        _(
            "%(name)s has no agreement yet (hours, days). Please ask the coordination.",
            name=name,
        ),
    )


def off_day(facts: PlanFacts, shift: Shift) -> PlanWarning | None:
    agreement = facts.agreement(shift)
    if agreement is None or shift.day.weekday() in agreement.workdays:
        return None
    return _about(
        shift,
        "off_day",
        _(
            "%(name)s: %(day)s is not an agreed workday.",
            name=facts.name(shift.user_id),
            day=day_label(shift.day),
        ),
    )


def past_max_duration(facts: PlanFacts, shift: Shift) -> PlanWarning | None:
    """The measure has lasted its longest agreed number of months by then."""
    agreement = facts.agreement(shift)
    if agreement is None or not agreement.max_months:
        return None
    if shift.day < months_after(agreement.starts_on, agreement.max_months):
        return None
    return _about(
        shift,
        "max_duration",
        _(
            "%(name)s: on %(day)s the measure is longer than %(months)s months (started %(start)s).",
            name=facts.name(shift.user_id),
            day=day_label(shift.day),
            months=agreement.max_months,
            start=day_label(agreement.starts_on),
        ),
    )


def while_absent(facts: PlanFacts, shift: Shift) -> PlanWarning | None:
    if facts.agreement(shift) is None:
        return None
    entry = next(
        (e for start, until, e in facts.absences.get(shift.user_id, []) if start <= shift.day <= until),
        None,
    )
    if entry is None:
        return None
    return _about(
        shift,
        "absence",
        _(
            "%(name)s: planned on %(day)s, but recorded as absent (%(code)s).",
            name=facts.name(shift.user_id),
            day=day_label(shift.day),
            code=code_label(entry.code),
        ),
    )


# ---------------------------------------------------------------- rules about one person


def overlaps(facts: PlanFacts, user_id: int, own: list[Shift]) -> list[PlanWarning]:
    """Two shifts of one person at the same time."""
    ordered = sorted(own, key=lambda s: s.starts_at)
    return [
        PlanWarning(
            "overlap",
            _(
                "%(name)s: two shifts at the same time on %(day)s.",
                name=facts.name(user_id),
                day=day_label(b.day),
            ),
            b.day,
            user_id,
            b.station_id,
            (a.id, b.id),
        )
        for a, b in zip(ordered, ordered[1:], strict=False)
        if b.starts_at < a.ends_at
    ]


def over_hours(facts: PlanFacts, user_id: int, own: list[Shift]) -> list[PlanWarning]:
    """More hours planned in a week (Monday to Sunday) than the agreement has."""
    weeks: dict[date, int] = defaultdict(int)
    for shift in own:
        weeks[week_start(shift.day)] += planned_minutes(shift)
    found = []
    for monday, minutes in sorted(weeks.items()):
        week = [s for s in own if week_start(s.day) == monday]
        agreement = next((a for s in week if (a := facts.agreement(s))), None)
        if agreement and minutes > agreement.weekly_minutes:
            found.append(
                PlanWarning(
                    "over_hours",
                    _(
                        "%(name)s: %(planned)s h planned in the week of %(day)s, only %(agreed)s h "
                        "agreed.",
                        name=facts.name(user_id),
                        planned=hours_text(minutes),
                        agreed=hours_text(agreement.weekly_minutes),
                        day=day_label(monday),
                    ),
                    None,
                    user_id,
                    None,
                    tuple(s.id for s in week),
                )
            )
    return found


# ---------------------------------------------------------------- rules about the plan


def empty_stations(facts: PlanFacts) -> list[PlanWarning]:
    """A station that needs people on a weekday, with nobody planned (public holidays aside)."""
    if not facts.whole_plan:
        return []
    staffed = {(s.station_id, s.day) for s in facts.shifts}
    found = []
    for station in list_stations():
        day = facts.first
        while day <= facts.last:
            if (
                day.weekday() in station.staffed_weekdays
                and (station.id, day) not in staffed
                and not holiday_name(day)
            ):
                found.append(
                    PlanWarning(
                        "empty_station",
                        _(
                            "%(station)s: nobody planned on %(day)s.",
                            station=station.name,
                            day=day_label(day),
                        ),
                        day,
                        None,
                        station.id,
                    )
                )
            day += timedelta(days=1)
    return found


SHIFT_RULES: list[Callable[[PlanFacts, Shift], PlanWarning | None]] = [
    on_holiday,
    without_agreement,
    off_day,
    past_max_duration,
    while_absent,
]
PERSON_RULES: list[Callable[[PlanFacts, int, list[Shift]], list[PlanWarning]]] = [
    overlaps,
    over_hours,
]
PLAN_RULES: list[Callable[[PlanFacts], list[PlanWarning]]] = [empty_stations]


def plan_warnings(
    first: date, last: date, *, shifts: list[Shift] | None = None, user_ids: Iterable[int] | None = None
) -> list[PlanWarning]:
    """Everything the planner should look at in [first, last] (normally one week)."""
    if shifts is None:
        shifts = shifts_between(first, last, user_ids=user_ids)
    facts = PlanFacts.load(first, last, shifts, whole_plan=user_ids is None)
    warnings: list[PlanWarning] = []
    for user_id, own in facts.by_user.items():
        for shift in own:
            warnings += [w for rule in SHIFT_RULES if (w := rule(facts, shift)) is not None]
        for rule in PERSON_RULES:
            warnings += rule(facts, user_id, own)
    for rule in PLAN_RULES:
        warnings += rule(facts)
    return sorted(
        warnings,
        key=lambda w: (ORDER.index(w.kind), w.day or first, facts.name(w.user_id) if w.user_id else ""),
    )
