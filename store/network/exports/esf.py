"""The ESF+ aggregate report for the funder (Annex I): entries with complete data by gender,
employment status, age band and education, and exits by reason and the four answers at exit.
Counts only, no person."""

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import ValidationError
from store.core.exports import csv_bytes
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.network import labels
from store.network import services as network
from store.network.exports.files import CSV, ExportFile
from store.network.models import Education, EmploymentStatus, ExitReason, Gender, ParticipantRecord
from store.shifts.models import Agreement


@dataclass
class EsfReport:
    """Counts for the funder (ESF+ Annex I). Only participants with complete entry data count."""

    first: date
    last: date
    entries: int = 0
    incomplete: int = 0
    # For the coordinator's page only (never in the file): whose record to complete.
    incomplete_people: list[tuple[User, list[str]]] = field(default_factory=list)
    gender: dict[str, int] = field(default_factory=dict)
    employment_status: dict[str, int] = field(default_factory=dict)
    age_band: dict[str, int] = field(default_factory=dict)
    education: dict[str, int] = field(default_factory=dict)
    exits: int = 0
    exits_not_counted: int = 0
    exit_reason: dict[str, int] = field(default_factory=dict)
    exit_answers: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def sections(self) -> list[tuple[str, object, dict[str, int], dict]]:
        """(key, title, counts, labels) of each table, in the order the funder reads them."""
        return [
            ("gender", labels.FIELD_LABELS["gender"], self.gender, labels.GENDERS),
            (
                "employment_status",
                labels.FIELD_LABELS["employment_status"],
                self.employment_status,
                labels.EMPLOYMENT,
            ),
            ("age_band", _("age band at entry"), self.age_band, labels.AGE_BANDS),
            ("education", labels.FIELD_LABELS["education"], self.education, labels.EDUCATION),
        ]


EXIT_QUESTIONS = ("exit_job_seeking", "exit_in_education", "exit_qualification", "exit_employed")


def exit_question_labels() -> dict[str, str]:
    return {
        "exit_job_seeking": _("seeking a job"),
        "exit_in_education": _("in education or training"),
        "exit_qualification": _("gained a qualification"),
        "exit_employed": _("employed"),
    }


def year_period(year: int) -> tuple[date, date]:
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Please choose a year."), field="year")
    return date(year, 1, 1), date(year, 12, 31)


def esf_report(
    year: int | None = None, *, first: date | None = None, last: date | None = None
) -> EsfReport:
    """Entries (by their first agreement's start) and exits in a year or period, counted."""
    if year is not None:
        first, last = year_period(year)
    if first is None or last is None or last < first:
        raise ValidationError(_("Please give the first and the last day."), field="year")
    report = EsfReport(
        first=first,
        last=last,
        gender={g.value: 0 for g in Gender},
        employment_status={e.value: 0 for e in EmploymentStatus},
        age_band={b: 0 for b in network.AGE_BANDS},
        education={e.value: 0 for e in Education},
        exit_reason={r.value: 0 for r in ExitReason},
        exit_answers={q: {"yes": 0, "no": 0} for q in EXIT_QUESTIONS},
    )
    starts = dict(
        db.session.execute(
            sa.select(Agreement.user_id, sa.func.min(Agreement.starts_on)).group_by(Agreement.user_id)
        ).all()
    )
    records = {r.user_id: r for r in db.session.scalars(sa.select(ParticipantRecord))}
    entered = [uid for uid, day in starts.items() if first <= day <= last]
    people = (
        {
            u.id: u
            for u in db.session.scalars(
                sa.select(User).where(User.id.in_(entered), User.role == Role.TRAINEE)
            )
        }
        if entered
        else {}
    )

    def complete(record: ParticipantRecord | None) -> bool:
        return (
            record is not None
            and record.entry_completed_at is not None
            and not network.missing_entry_fields(record)
        )

    for uid in sorted(people, key=lambda i: (people[i].last_name, people[i].first_name)):
        record = records.get(uid)
        if not complete(record):
            report.incomplete += 1
            report.incomplete_people.append(
                (people[uid], network.missing_entry_fields(record) or ["complete"])
            )
            continue
        report.entries += 1
        report.gender[record.gender.value] += 1
        report.employment_status[record.employment_status.value] += 1
        report.education[record.education.value] += 1
        band = record.entry_age_band or network.age_band(record.birth_date, starts[uid])
        report.age_band[band] += 1
    for record in records.values():
        if record.exit_on is None or not first <= record.exit_on <= last:
            continue
        if not complete(record):
            report.exits_not_counted += 1
            continue
        report.exits += 1
        report.exit_reason[record.exit_reason.value] += 1
        for question in EXIT_QUESTIONS:
            answer = getattr(record, question)
            if answer is not None:
                report.exit_answers[question]["yes" if answer else "no"] += 1
    return report


def esf_rows(report: EsfReport) -> tuple[list[str], list[list]]:
    header = [_("Section"), _("Code"), _("Meaning"), _("Persons")]
    rows: list[list] = [
        ["entries", "counted", _("entries with complete data"), report.entries],
        ["entries", "incomplete", _("entries with incomplete data (not counted)"), report.incomplete],
    ]
    for key, _title, counts, names in report.sections:
        for code, n in counts.items():
            rows.append([key, code, str(names.get(code, code)), n])
    rows += [
        ["exits", "counted", _("exits (complete entry data)"), report.exits],
        [
            "exits",
            "not_counted",
            _("exits with incomplete entry data (not counted)"),
            report.exits_not_counted,
        ],
    ]
    for code, n in report.exit_reason.items():
        rows.append(["exit_reason", code, str(labels.EXIT_REASONS[ExitReason(code)]), n])
    questions = exit_question_labels()
    for question, answers in report.exit_answers.items():
        for answer, n in answers.items():
            rows.append(
                [question, answer, f"{questions[question]}: {labels.YES_NO[answer == 'yes']}", n]
            )
    return header, rows


def esf_export(actor: Actor, year: int, *, now: datetime | None = None) -> ExportFile:
    """The ESF+ report of a year as CSV (aggregates only, no person)."""
    report = esf_report(year)
    header, rows = esf_rows(report)
    result = ExportFile(f"ESF_{year}.csv", CSV, csv_bytes(header, rows))
    audit(actor, "export.esf", None, {"year": year, "file": result.filename}, now=as_utc(now))
    return result


def esf_years(today: date | None = None) -> list[int]:
    """The years the report can be made for: from the first entry to this year."""
    today = today or local_today()
    first = db.session.scalar(sa.select(sa.func.min(Agreement.starts_on)))
    start = first.year if first else today.year
    return list(range(today.year, start - 1, -1))


def esf_year(year: int | None, today: date | None = None) -> int:
    """The year the report is made for: the chosen one, else this year."""
    return year or (today or local_today()).year
