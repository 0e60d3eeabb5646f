"""Prompt reports: an unexcused absence or a dropout that the Jobcenter must hear about without
delay, and the "reported" mark once it has."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core.audit import Actor, audit
from store.core.errors import ValidationError
from store.core.timeutil import as_utc
from store.extensions import db
from store.network.models import ExitReason, Mark, MarkKind, ParticipantRecord
from store.network.services.marks import marks_of
from store.shifts import services as shifts
from store.shifts.models import AttendanceCode, AttendanceEntry


@dataclass
class PromptReport:
    """An unexcused absence or a dropout that the Jobcenter must hear about without delay."""

    kind: str  # unexcused | dropout
    user: User
    day: date
    object_type: str
    object_id: int
    shown: bool


def prompt_reports() -> list[PromptReport]:
    """Open reports: unexcused days still current (not corrected away) and dropouts, not yet
    marked as reported."""
    found: list[PromptReport] = []
    rows = list(
        db.session.scalars(
            sa.select(AttendanceEntry).where(AttendanceEntry.code == AttendanceCode.UNEXCUSED)
        )
    )
    if rows:
        users = {r.user_id for r in rows}
        current = shifts.effective_entries(users, min(r.day for r in rows), max(r.day for r in rows))
        rows = [r for r in rows if current.get((r.user_id, r.day)) is r]
    reported = marks_of(MarkKind.REPORTED, "attendance_entry", [r.id for r in rows])
    shown = marks_of(MarkKind.SHOWN, "attendance_entry", [r.id for r in rows])
    for row in rows:
        if row.id not in reported:
            found.append(
                PromptReport("unexcused", row.user, row.day, "attendance_entry", row.id, row.id in shown)
            )
    dropouts = list(
        db.session.scalars(
            sa.select(ParticipantRecord).where(
                ParticipantRecord.exit_reason == ExitReason.DROPOUT,
                ParticipantRecord.anonymised_at.is_(None),
            )
        )
    )
    reported = marks_of(MarkKind.REPORTED, "participant_record", [r.id for r in dropouts])
    for record in dropouts:
        if record.id not in reported:
            found.append(
                PromptReport(
                    "dropout", record.user, record.exit_on, "participant_record", record.id, True
                )
            )
    return sorted(found, key=lambda r: (r.day, r.user.first_name))


def mark_reported(
    actor: Actor, object_type: str, object_id: int, *, how: str = "letter", now: datetime | None = None
) -> Mark:
    now = as_utc(now)
    report = next(
        (r for r in prompt_reports() if r.object_type == object_type and r.object_id == object_id), None
    )
    if report is None:
        raise ValidationError(_("This is reported already, or there is nothing to report."))
    if how not in ("letter", "phone", "email", "sync"):
        raise ValidationError(_("Please choose how it was reported."), field="how")
    mark = Mark(
        kind=MarkKind.REPORTED,
        participant_id=report.user.id,
        object_type=object_type,
        object_id=object_id,
        at=now,
        by_id=actor.user_id,
        how=how,
    )
    db.session.add(mark)
    audit(
        actor,
        "participant.reported",
        report.user,
        {"kind": report.kind, "day": report.day.isoformat(), "how": how},
        now=now,
    )
    return mark


# ---------------------------------------------------------------- outbox
