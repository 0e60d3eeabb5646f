"""The week plan as the planner sees it (stations × days, hours per trainee, warnings) and the
trainee's own two weeks."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from store.auth.models import User
from store.branches.services import works_in
from store.shifts.models import Agreement, AttendanceEntry, Shift, Station
from store.shifts.services.agreements import agreements_between, covering
from store.shifts.services.days import holiday_name, week_start
from store.shifts.services.entries import absences_between
from store.shifts.services.people import list_trainees
from store.shifts.services.planning import planned_minutes, shifts_between
from store.shifts.services.stations import list_stations
from store.shifts.services.warnings import PlanWarning, plan_warnings


@dataclass
class WeekPlan:
    monday: date
    days: list[date]
    holidays: dict[date, str]
    stations: list[Station]
    cells: dict[tuple[int, date], list[Shift]]
    warnings: list[PlanWarning]
    hours: list[tuple[User, int, Agreement | None]]  # planned minutes per trainee

    @property
    def flagged(self) -> dict[int, list[str]]:
        """Warnings by shift id, to mark the shifts in the grid."""
        found: dict[int, list[str]] = defaultdict(list)
        for warning in self.warnings:
            for shift_id in warning.shift_ids:
                found[shift_id].append(warning.message)
        return found

    @property
    def empty_cells(self) -> set[tuple[int, date]]:
        return {(w.station_id, w.day) for w in self.warnings if w.kind == "empty_station"}

    @property
    def over_hours(self) -> set[int]:
        return {w.user_id for w in self.warnings if w.kind == "over_hours"}


def week_plan(monday: date, branch_ids: set[int] | None = None) -> WeekPlan:
    """The plan of a week, of the stations of these branches (None: of all)."""
    monday = week_start(monday)
    days = [monday + timedelta(days=n) for n in range(7)]
    shifts = shifts_between(days[0], days[-1])
    if branch_ids is not None:
        shifts = [s for s in shifts if s.station.branch_id in branch_ids]
    stations = list_stations(branch_ids=branch_ids)
    known = {s.id for s in stations}
    for shift in shifts:  # a station switched off after planning still shows its shifts
        if shift.station_id not in known:
            stations.append(shift.station)
            known.add(shift.station_id)
    for weekend_day in (6, 5):  # the weekend only when someone works or should work then
        if (
            days[-1].weekday() == weekend_day
            and not any(s.day.weekday() == weekend_day for s in shifts)
            and not any(weekend_day in st.staffed_weekdays for st in stations)
        ):
            days = days[:-1]
    cells: dict[tuple[int, date], list[Shift]] = defaultdict(list)
    minutes: dict[int, int] = defaultdict(int)
    for shift in shifts:
        cells[(shift.station_id, shift.day)].append(shift)
        minutes[shift.user_id] += planned_minutes(shift)
    trainees = [t for t in list_trainees() if works_in(t, branch_ids)]
    agreements = agreements_between([t.id for t in trainees], days[0], days[-1])
    hours = [
        (
            t,
            minutes.get(t.id, 0),
            covering(agreements.get(t.id, []), days[0]) or next(iter(agreements.get(t.id, [])), None),
        )
        for t in trainees
    ]
    return WeekPlan(
        monday=monday,
        days=days,
        holidays={d: h for d in days if (h := holiday_name(d))},
        stations=stations,
        cells=cells,
        warnings=[
            w
            for w in plan_warnings(monday, monday + timedelta(days=6), shifts=shifts)
            if w.station_id is None or w.station_id in known
        ],
        hours=hours,
    )


# A day of the trainee's own page: (day, shifts, the absence recorded for it, public holiday).
OwnDay = tuple[date, list[Shift], AttendanceEntry | None, str | None]


def own_weeks(user_id: int, today: date) -> list[tuple[date, list[OwnDay]]]:
    """This week and the next of one trainee: the days with a shift or an absence, and today."""
    monday = week_start(today)
    last = monday + timedelta(days=13)
    shifts = shifts_between(monday, last, user_ids=[user_id])
    absences = absences_between([user_id], monday, last).get(user_id, [])
    weeks = []
    for start in (monday, monday + timedelta(days=7)):
        days = []
        for n in range(7):
            day = start + timedelta(days=n)
            absent = next((e for first, until, e in absences if first <= day <= until), None)
            todays = [s for s in shifts if s.day == day]
            if todays or day == today or absent:
                days.append((day, todays, absent, holiday_name(day)))
        weeks.append((start, days))
    return weeks
