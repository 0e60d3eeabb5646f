"""The pseudonymised evaluation dataset (GDPR Art. 89): who is in it, one row per person and month
in the programme within the period (long format), and the ZIP with the dataset and its codebook."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import gettext as _

from store.auth.models import User
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import ValidationError
from store.core.exports import csv_bytes
from store.core.timeutil import (
    add_months,
    as_utc,
    local_today,
    month_days_range,
    month_key,
    months_between,
)
from store.extensions import db
from store.network import services as network
from store.network.exports.codebook import code_value, codebook_markdown, evaluation_columns, flag
from store.network.exports.files import ZIP, ExportFile, zip_files
from store.network.exports.pseudonyms import pseudonym, pseudonym_key
from store.network.models import ConsentScope, ParticipantRecord
from store.shifts import exports as sheet_exports
from store.shifts import services as shifts
from store.shifts.models import Agreement, AttendanceCode, Shift, ShiftStatus
from store.skills import services as skills
from store.skills.models import Assessment

# The evaluation covers at most this many months: enough for a programme period, and a mistyped
# year cannot pull the whole database.
MAX_EVALUATION_MONTHS = 60


def evaluation_approved() -> bool:
    """Whether an approval under §75 SGB X covers the evaluation (`EVALUATION_APPROVED`): then
    every participant of the period is in it, not only those who consented."""
    return bool(current_app.config.get("EVALUATION_APPROVED"))


def default_evaluation_period(today: date) -> tuple[date, date]:
    """The period the export form offers: the last twelve full months."""
    this_month = today.replace(day=1)
    return add_months(this_month, -12), this_month - timedelta(days=1)


def _check_period(first: date | None, last: date | None) -> None:
    if first is None or last is None:
        raise ValidationError(_("Please give the first and the last day."), field="from")
    if last < first:
        raise ValidationError(_("The last day is before the first day."), field="to")
    if last >= add_months(first, MAX_EVALUATION_MONTHS):
        raise ValidationError(
            _("The period can be at most %(n)s years long.", n=MAX_EVALUATION_MONTHS // 12), field="to"
        )


def evaluation_included(first: date, last: date, today: date) -> list[int]:
    """Ids of the participants the evaluation may contain: an agreement overlapping the period
    and a consent to the evaluation, unless the evaluation is approved under §75 SGB X (then
    data from the Jobcenter may go to the research institute without each person's consent)."""
    approved = evaluation_approved()
    ids = set(shifts.agreements_between(None, first, last))
    trainees = (
        set(db.session.scalars(sa.select(User.id).where(User.id.in_(ids), User.role == Role.TRAINEE)))
        if ids
        else set()
    )
    return sorted(
        uid for uid in trainees if approved or network.covers(uid, None, ConsentScope.EVALUATION, today)
    )


@dataclass
class _Facts:
    """What the rows are made of, read once for everybody in the period."""

    agreements: dict[int, list[Agreement]]
    records: dict[int, ParticipantRecord]
    entries: dict[int, date]  # the first day of each person's first agreement
    minutes: dict[tuple[int, str], Counter]  # (person, month) → planned, confirmed, attended
    days: dict[tuple[int, str], Counter]  # (person, month) → days by code
    assessments: dict[int, list[Assessment]]  # oldest first


def evaluation_rows(first: date, last: date, user_ids: list[int], skill_list, key: bytes) -> list[list]:
    """The long-format rows: one per person and month in the programme within the period."""
    if not user_ids:
        return []
    facts = _facts(first, last, user_ids)
    rows = []
    for uid in user_ids:
        rows += _person_rows(uid, first, last, facts, skill_list, pseudonym(uid, key))
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


def _facts(first: date, last: date, user_ids: list[int]) -> _Facts:
    agreements = shifts.agreements_between(user_ids, first, last)
    records = {
        r.user_id: r
        for r in db.session.scalars(
            sa.select(ParticipantRecord).where(ParticipantRecord.user_id.in_(user_ids))
        )
    }
    entries = dict(
        db.session.execute(
            sa.select(Agreement.user_id, sa.func.min(Agreement.starts_on))
            .where(Agreement.user_id.in_(user_ids))
            .group_by(Agreement.user_id)
        ).all()
    )
    minutes, days = _time_by_month(first, last, user_ids)
    return _Facts(agreements, records, entries, minutes, days, _assessments(user_ids, last))


def _time_by_month(first: date, last: date, user_ids: list[int]) -> tuple[dict, dict]:
    """Hours and days: the entry that counts now (after corrections), only days in the period;
    planned hours of the planned shifts (after the break rule)."""
    minutes: dict[tuple[int, str], Counter] = defaultdict(Counter)
    days: dict[tuple[int, str], Counter] = defaultdict(Counter)
    for (uid, day), entry in shifts.effective_entries(user_ids, first, last, rows=True).items():
        month = month_key(day.year, day.month)
        minutes[(uid, month)]["confirmed"] += entry.minutes
        if entry.code == AttendanceCode.PRESENT:
            minutes[(uid, month)]["attended"] += entry.minutes
        days[(uid, month)][entry.code] += 1
    rules = shifts.break_rules()
    for uid, day, starts_at, ends_at in db.session.execute(
        sa.select(Shift.user_id, Shift.day, Shift.starts_at, Shift.ends_at).where(
            Shift.user_id.in_(user_ids),
            Shift.day >= first,
            Shift.day <= last,
            Shift.status == ShiftStatus.PLANNED,
        )
    ):
        minutes[(uid, month_key(day.year, day.month))]["planned"] += shifts.planned_work(
            starts_at, ends_at, rules
        )
    return minutes, days


def _assessments(user_ids: list[int], last: date) -> dict[int, list[Assessment]]:
    """Supervisors' assessments up to the last day, by person, oldest first."""
    found: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in db.session.scalars(
        sa.select(Assessment)
        .where(
            Assessment.participant_id.in_(user_ids),
            Assessment.is_self.is_(False),
            Assessment.day <= last,
        )
        .options(so.selectinload(Assessment.ratings))
        .order_by(Assessment.day, Assessment.created_at, Assessment.id)
    ):
        found[assessment.participant_id].append(assessment)
    return found


def _person_rows(
    uid: int, first: date, last: date, facts: _Facts, skill_list, person: str
) -> list[list]:
    """One person's rows: each month with an agreement in force, up to the month of exit."""
    record = facts.records.get(uid)
    exit_on = record.exit_on if record is not None else None
    own = facts.agreements.get(uid, [])
    levels: dict[int, int] = {}
    pending = list(facts.assessments.get(uid, []))
    rows = []
    for year, month in months_between(first, last):
        month_first, month_last = month_days_range(year, month)
        start, end = max(month_first, first), min(month_last, last)
        is_exit_month = exit_on is not None and start <= exit_on <= end
        if exit_on is not None and exit_on < start:
            break  # left before this month
        if exit_on is not None:
            end = min(end, exit_on)
        overlapping = [
            a for a in own if a.starts_on <= end and (a.ends_on is None or a.ends_on >= start)
        ]
        if not overlapping and not is_exit_month:
            continue
        while pending and pending[0].day <= end:
            for rating in pending.pop(0).ratings:
                levels[rating.skill_id] = rating.level
        measure = max(overlapping, key=lambda a: a.starts_on).measure if overlapping else None
        row = [
            person,
            *_month_cells(uid, year, month, measure, facts),
            *[levels.get(skill.id, "") for skill in skill_list],
            *(_exit_cells(record) if is_exit_month else ["", "", "", "", ""]),
        ]
        rows.append(["" if v is None else v for v in row])
    return rows


def _month_cells(uid: int, year: int, month: int, measure, facts: _Facts) -> list:
    """From the month to the days by code: the month, the entry data, hours and days."""
    month_text = month_key(year, month)
    entry_on = facts.entries.get(uid)
    used = facts.minutes.get((uid, month_text), Counter())
    counted = facts.days.get((uid, month_text), Counter())
    return [
        month_text,
        (year - entry_on.year) * 12 + month - entry_on.month + 1 if entry_on else "",
        code_value(measure),
        *_entry_cells(facts.records.get(uid), entry_on),
        sheet_exports.hours_cell(used["planned"]),
        sheet_exports.hours_cell(used["confirmed"]),
        sheet_exports.hours_cell(used["attended"]),
        *[counted.get(code, 0) for code in AttendanceCode],
    ]


def _entry_cells(record: ParticipantRecord | None, entry_on: date | None) -> list:
    """Age band, gender, employment status and education at entry, and whether it is complete."""
    if record is None:
        return [None, "", "", "", "0"]
    return [
        record.entry_age_band or network.age_band(record.birth_date, entry_on),
        code_value(record.gender),
        code_value(record.employment_status),
        code_value(record.education),
        flag(record.entry_completed_at is not None),
    ]


def _exit_cells(record: ParticipantRecord) -> list:
    return [
        code_value(record.exit_reason),
        flag(record.exit_job_seeking),
        flag(record.exit_in_education),
        flag(record.exit_qualification),
        flag(record.exit_employed),
    ]


def evaluation_export(
    actor: Actor, first: date | None, last: date | None, *, now: datetime | None = None
) -> ExportFile:
    """The pseudonymised dataset for the evaluation: a ZIP with evaluation.csv, codebook.csv
    and codebook.md."""
    now = as_utc(now)
    _check_period(first, last)
    today = local_today(now)
    if first > today:
        raise ValidationError(_("The period has not begun yet."), field="from")
    last_shown = min(last, today)
    key = pseudonym_key()
    approved = evaluation_approved()
    user_ids = evaluation_included(first, last_shown, today)
    skill_list = sorted(skills.skills(include_inactive=True), key=lambda s: s.id)
    columns = evaluation_columns(skill_list)
    rows = evaluation_rows(first, last_shown, user_ids, skill_list, key)
    persons = len({r[0] for r in rows})
    dataset = csv_bytes([c.name for c in columns], rows)
    codebook = csv_bytes(
        ["column", "description", "values"], [[c.name, c.description, c.values] for c in columns]
    )
    readme = codebook_markdown(
        first, last, columns, persons=persons, rows=len(rows), approved=approved, today=today
    )
    result = ExportFile(
        f"Evaluation_{first.isoformat()}_{last.isoformat()}.zip",
        ZIP,
        zip_files(
            [("evaluation.csv", dataset), ("codebook.csv", codebook), ("codebook.md", readme.encode())]
        ),
    )
    audit(
        actor,
        "export.evaluation",
        None,
        {
            "from": first.isoformat(),
            "to": last.isoformat(),
            "persons": persons,
            "rows": len(rows),
            "approved": approved,
            "file": result.filename,
        },
        now=now,
    )
    return result
