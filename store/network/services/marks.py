"""What a participant has still to see (assessments, absences) and the "shown" marks: an
assessment or an absence goes to a partner only after the participant has seen it, in the app or
in a talk with a coordinator."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core.audit import Actor, audit
from store.core.errors import ValidationError
from store.core.timeutil import as_utc, month_key
from store.extensions import db
from store.network.models import Mark, MarkKind, OutboxEvent
from store.network.services.common import UNHELD_CODES
from store.network.services.events import release, release_held
from store.shifts.models import AttendanceEntry
from store.skills.models import Assessment


def marks_of(kind: MarkKind, object_type: str, ids: Iterable[int]) -> dict[int, Mark]:
    ids = list(ids)
    if not ids:
        return {}
    return {
        m.object_id: m
        for m in db.session.scalars(
            sa.select(Mark).where(
                Mark.kind == kind, Mark.object_type == object_type, Mark.object_id.in_(ids)
            )
        )
    }


@dataclass
class ToSee:
    """Assessments and absences of one participant that they have not seen yet."""

    assessments: list[Assessment]
    absences: list[AttendanceEntry]

    def __len__(self) -> int:
        return len(self.assessments) + len(self.absences)


def to_see(user: User) -> ToSee:
    assessments = list(
        db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.participant_id == user.id, Assessment.is_self.is_(False))
            .order_by(Assessment.day, Assessment.id)
        )
    )
    # A day corrected since counts as the correction (shown itself when it is an absence).
    replaced = sa.select(AttendanceEntry.replaces_id).where(
        AttendanceEntry.user_id == user.id, AttendanceEntry.replaces_id.is_not(None)
    )
    absences = list(
        db.session.scalars(
            sa.select(AttendanceEntry)
            .where(
                AttendanceEntry.user_id == user.id,
                AttendanceEntry.code.not_in([c.value for c in UNHELD_CODES]),
                AttendanceEntry.id.not_in(replaced),
            )
            .order_by(AttendanceEntry.day, AttendanceEntry.id)
        )
    )
    seen_a = marks_of(MarkKind.SHOWN, "assessment", [a.id for a in assessments])
    seen_e = marks_of(MarkKind.SHOWN, "attendance_entry", [e.id for e in absences])
    return ToSee(
        assessments=[a for a in assessments if a.id not in seen_a],
        absences=[e for e in absences if e.id not in seen_e],
    )


def unseen_among(user: User, assessment_ids: Iterable[int], absence_ids: Iterable[int]) -> ToSee:
    """Of the given items, those that are still unseen and belong to the person; nothing else."""
    items = to_see(user)
    wanted_a, wanted_e = set(assessment_ids), set(absence_ids)
    return ToSee(
        assessments=[a for a in items.assessments if a.id in wanted_a],
        absences=[e for e in items.absences if e.id in wanted_e],
    )


def unseen_absences_in(user: User, month: str) -> bool:
    return any(month_key(e.day.year, e.day.month) == month for e in to_see(user).absences)


def mark_shown(
    actor: Actor, user: User, items: ToSee, *, how: str = "app", now: datetime | None = None
) -> int:
    """Record that the participant has seen these items (in the app, or in a talk with a
    coordinator); events that waited for it are released."""
    now = as_utc(now)
    if how not in ("app", "talk"):
        raise ValidationError(_("Please choose how it was shown."), field="how")
    count = 0
    for object_type, objects in (
        ("assessment", items.assessments),
        ("attendance_entry", items.absences),
    ):
        for obj in objects:
            db.session.add(
                Mark(
                    kind=MarkKind.SHOWN,
                    participant_id=user.id,
                    object_type=object_type,
                    object_id=obj.id,
                    at=now,
                    by_id=actor.user_id,
                    how=how,
                )
            )
            count += 1
            release_held(object_type, obj.id, now=now)
    for event in db.session.scalars(
        sa.select(OutboxEvent).where(
            OutboxEvent.participant_id == user.id,
            OutboxEvent.type == "month.closed",
            OutboxEvent.released_at.is_(None),
        )
    ):
        if not unseen_absences_in(user, event.data["month"]):
            release(event, now=now)
    if count:
        audit(
            actor,
            "participant.shown",
            user,
            {
                "user": user.username,
                "how": how,
                "assessments": [a.id for a in items.assessments],
                "absences": [e.id for e in items.absences],
            },
            now=now,
        )
    return count
