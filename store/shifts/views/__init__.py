"""The pages of shifts, on two blueprints (see common):

- planning: the week plan, filling it from the templates, planning, moving, cancelling shifts
- setup: shift templates (planners) and stations (admins)
- own: the trainee's own shifts and calendar link, the iCalendar feed, Kommen / Gehen at the till
- attendance: the supervisor's day (confirm, absences, clock corrections)
- months: the monthly hours sheets and their files, closing a month
- agreements: the trainees' agreements

A view parses, calls store.shifts.services and redirects or renders; the request commits.
"""

from store.shifts.views import agreements, attendance, months, own, planning, setup
from store.shifts.views.common import attendance_bp, bp, parse_day, ui
from store.shifts.views.own import clock_panel, missing_clock_out_notice

# The modules above register their routes on the blueprints when imported.
ROUTES = (agreements, attendance, months, own, planning, setup)

__all__ = ["attendance_bp", "bp", "clock_panel", "missing_clock_out_notice", "parse_day", "ui"]
