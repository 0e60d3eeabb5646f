"""What the page modules of shifts share: the two blueprints (shifts: planning and the trainee's own
pages; attendance: the day, the hours sheets, the agreements), the words the templates use, and
reading a day from the query string."""

from datetime import date

from flask import Blueprint

from store.core.access import Role
from store.core.timeutil import local_today
from store.shifts import services
from store.shifts.exports import day_note
from store.shifts.labels import (
    CODE_LABELS,
    KIND_LABELS,
    MEASURE_LABELS,
    MEASURE_SHORT,
    SOURCE_LABELS,
    weekday_list,
)
from store.shifts.models import AttendanceCode

bp = Blueprint("shifts", __name__)
attendance_bp = Blueprint("attendance", __name__)

PLANNERS = (Role.SUPERVISOR, Role.ADMIN)
CONFIRMERS = (Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN)
KEEPERS = (Role.COORDINATOR, Role.ADMIN)


def ui() -> dict:
    """Words and helpers the templates of this area use."""
    return {
        "code_labels": CODE_LABELS,
        "measure_labels": MEASURE_LABELS,
        "measure_short": MEASURE_SHORT,
        "kind_labels": KIND_LABELS,
        "source_labels": SOURCE_LABELS,
        "weekday_list": weekday_list,
        "present": AttendanceCode.PRESENT,
        "note": day_note,
    }


bp.context_processor(ui)
attendance_bp.context_processor(ui)


def parse_day(text: str | None, default: date | None = None) -> date:
    try:
        return date.fromisoformat(text) if text else (default or local_today())
    except ValueError:
        return default or local_today()


def shift_time(shift) -> str:
    return f"{services.clock_time(shift.starts_at)}–{services.clock_time(shift.ends_at)}"
