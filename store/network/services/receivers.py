"""The signal receivers that turn bookings of other areas into outbox events: a confirmed day
(shifts), a month closing (shifts), an assessment (skills). `connect()` is called once from
store.network.init_app. Absences and assessments wait until the participant has seen them."""

from store.auth.models import User
from store.core import events
from store.core.audit import Actor
from store.core.timeutil import month_days_range
from store.extensions import db
from store.network.services.common import UNHELD_CODES
from store.network.services.events import add_event
from store.network.services.marks import unseen_absences_in
from store.shifts import services as shifts
from store.shifts import sheets
from store.shifts.models import AttendanceEntry, MonthClosing
from store.skills.models import Assessment


def _on_attendance(entry: AttendanceEntry, actor: Actor | None = None, **_extra) -> None:
    held = entry.code not in UNHELD_CODES
    add_event(
        "attendance.confirmed",
        entry.user or db.session.get(User, entry.user_id),
        {
            "entry_id": entry.id,
            "day": entry.day.isoformat(),
            "code": entry.code.value,
            "minutes": entry.minutes,
            "late_minutes": entry.late_minutes,
            "early_leave_minutes": entry.early_leave_minutes,
            "certificate_until": entry.certificate_until.isoformat()
            if entry.certificate_until
            else None,
            "replaces_entry_id": entry.replaces_id,
            "correction": entry.replaces_id is not None or entry.reported_in is not None,
            "reported_in": entry.reported_in,
        },
        object_type="attendance_entry" if held else None,
        object_id=entry.id if held else None,
        held=held,
        now=entry.confirmed_at,
    )


def _on_month_closed(closing: MonthClosing, actor: Actor | None = None, **_extra) -> None:
    year, month = (int(x) for x in closing.month.split("-"))
    first, last = month_days_range(year, month)
    if closing.user_id is not None:
        users = [db.session.get(User, closing.user_id)]
    else:
        ids = shifts.agreements_between(None, first, last)
        users = [u for u in shifts.list_trainees(include_inactive=True) if u.id in ids]
    for sheet in sheets.month_sheets(users, year, month) if users else []:
        # Its absence counts wait, like the absences themselves, until the person has seen them.
        held = unseen_absences_in(sheet.user, closing.month)
        add_event(
            "month.closed",
            sheet.user,
            {
                "month": closing.month,
                "confirmed_minutes": sheet.confirmed,
                "attended_minutes": sheet.attended,
                "days": {str(code): n for code, n in sorted(sheet.counts.items())},
                "allowance_cents": sheet.allowance_cents,
                "corrections_cents": sheet.corrections_cents,
                "payable_cents": sheet.payable_cents,
            },
            object_type="month_closing" if held else None,
            object_id=closing.id if held else None,
            held=held,
            now=closing.closed_at,
        )


def _on_assessment(assessment: Assessment, actor: Actor | None = None, **_extra) -> None:
    if assessment.is_self:
        return  # the participant's own view of themselves stays in the store
    user = assessment.participant or db.session.get(User, assessment.participant_id)
    add_event(
        "assessment.recorded",
        user,
        {
            "assessment_id": assessment.id,
            "day": assessment.day.isoformat(),
            "assessor": assessment.assessor.display_name if assessment.assessor else None,
            "ratings": [
                {"skill": r.skill.name, "level": r.level, "descriptor": r.skill.descriptor(r.level)}
                for r in assessment.ratings
            ],
        },
        object_type="assessment",
        object_id=assessment.id,
        held=True,
        now=assessment.created_at,
    )


def connect() -> None:
    events.attendance_confirmed.connect(_on_attendance)
    events.month_closed.connect(_on_month_closed)
    events.assessment_recorded.connect(_on_assessment)
