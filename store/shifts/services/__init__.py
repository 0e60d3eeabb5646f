"""Shifts and attendance as service functions, one module per use case:

- common: the area's settings (defaults, break rules), limits, and small shared checks
- days: week and month keys, parsing months, hours and times, local instants, holidays, words
- people: the trainees, and the own-records rule (a trainee reads only their own records)
- stations: the places of work and the weekdays they need people
- agreements: each trainee's agreement (measure, hours, workdays, allowance, longest duration)
- templates: weekly shift patterns and the trainees who usually work them
- planning: plan, move and cancel a shift; fill a week from the templates
- warnings: the planning warnings, one small rule function each, run by plan_warnings
- week: the planner's week grid and the trainee's own two weeks
- clock: Kommen / Gehen, added and corrected clock entries, worked time per day, lateness
- entries: the attendance entries that count (after corrections) and recorded absences
- attendance: confirming a day or recording an absence; the supervisor's day view
- months: month closings
- calendar: the secret calendar links for the iCalendar feed

Clock events, attendance entries and month closings are bookings: only ever inserted (the database
refuses UPDATE and DELETE). A correction is a counter-entry that replaces an earlier row, with its
reason and who made it; the history shows both. Planned shifts are plans: they are changed in place,
and every change is in the audit log. Callers import this package (`services.confirm_attendance`).
"""

from store.shifts.services.agreements import (
    agreement_on,
    agreements_between,
    agreements_for,
    covering,
    current_agreement,
    get_agreement,
    save_agreement,
)
from store.shifts.services.attendance import (
    DayRow,
    confirm_attendance,
    confirm_clocked,
    day_overview,
    record_absence,
    record_day,
)
from store.shifts.services.calendar import (
    active_calendar_token,
    create_calendar_token,
    revoke_calendar_tokens,
    user_for_calendar_token,
)
from store.shifts.services.clock import (
    MissingClockOut,
    add_clock_event,
    added_time,
    clock,
    clock_by_badge,
    clock_event_range,
    clock_events,
    clock_events_on,
    correct_clock_event,
    corrected_time,
    day_clocks,
    get_clock_event,
    last_clock_event,
    lateness,
    missing_clock_outs,
    open_clock_in,
)
from store.shifts.services.common import (
    ABSENT_CODES,
    MAX_SHIFT_MINUTES,
    MAX_WEEKLY_MINUTES,
    break_rules,
    defaults,
)
from store.shifts.services.days import (
    check_range,
    clock_time,
    day_label,
    following_month,
    holiday_name,
    hours_plain,
    hours_text,
    local_instant,
    long_day_label,
    month_days,
    month_key,
    month_or_current,
    months_after,
    parse_hours,
    parse_hours_per_week,
    parse_month,
    parse_time,
    shift_bounds,
    week_start,
)
from store.shifts.services.entries import (
    absences_between,
    code_label,
    effective_entries,
    entry_history,
    resolve_entries,
)
from store.shifts.services.months import (
    close_month,
    closing_for,
    closings_of,
    first_open_month_after,
    month_is_over,
)
from store.shifts.services.people import (
    check_own_records,
    get_trainee,
    list_trainees,
    may_see_records,
    trainee_by_badge,
    trainees_of,
    visible_trainee,
    visible_trainees,
    visible_user_ids,
)
from store.shifts.services.planning import (
    FillResult,
    assign_shift,
    cancel_shift,
    change_shift,
    get_shift,
    plan_week,
    planned_minutes,
    planned_work,
    shift_range,
    shifts_between,
)
from store.shifts.services.stations import get_station, list_stations, save_station
from store.shifts.services.templates import (
    DEFAULT_TIMES,
    get_template,
    list_templates,
    save_template,
    usual_times,
)
from store.shifts.services.warnings import PlanWarning, plan_warnings
from store.shifts.services.week import WeekPlan, own_weeks, week_plan

__all__ = [
    "ABSENT_CODES",
    "DEFAULT_TIMES",
    "MAX_SHIFT_MINUTES",
    "MAX_WEEKLY_MINUTES",
    "DayRow",
    "FillResult",
    "MissingClockOut",
    "PlanWarning",
    "WeekPlan",
    "absences_between",
    "active_calendar_token",
    "add_clock_event",
    "added_time",
    "agreement_on",
    "agreements_between",
    "agreements_for",
    "assign_shift",
    "break_rules",
    "cancel_shift",
    "change_shift",
    "check_own_records",
    "check_range",
    "clock",
    "clock_by_badge",
    "clock_event_range",
    "clock_events",
    "clock_events_on",
    "clock_time",
    "close_month",
    "closing_for",
    "closings_of",
    "code_label",
    "confirm_attendance",
    "confirm_clocked",
    "correct_clock_event",
    "corrected_time",
    "covering",
    "create_calendar_token",
    "current_agreement",
    "day_clocks",
    "day_label",
    "day_overview",
    "defaults",
    "effective_entries",
    "entry_history",
    "first_open_month_after",
    "following_month",
    "get_agreement",
    "get_clock_event",
    "get_shift",
    "get_station",
    "get_template",
    "get_trainee",
    "holiday_name",
    "hours_plain",
    "hours_text",
    "last_clock_event",
    "lateness",
    "list_stations",
    "list_templates",
    "list_trainees",
    "trainees_of",
    "local_instant",
    "long_day_label",
    "may_see_records",
    "missing_clock_outs",
    "month_days",
    "month_is_over",
    "month_key",
    "month_or_current",
    "months_after",
    "open_clock_in",
    "own_weeks",
    "parse_hours",
    "parse_hours_per_week",
    "parse_month",
    "parse_time",
    "plan_warnings",
    "plan_week",
    "planned_minutes",
    "planned_work",
    "record_absence",
    "record_day",
    "resolve_entries",
    "revoke_calendar_tokens",
    "save_agreement",
    "save_station",
    "save_template",
    "shift_bounds",
    "shift_range",
    "shifts_between",
    "trainee_by_badge",
    "usual_times",
    "user_for_calendar_token",
    "visible_trainee",
    "visible_trainees",
    "visible_user_ids",
    "week_plan",
    "week_start",
]
