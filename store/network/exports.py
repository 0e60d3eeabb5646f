"""Files people download from the network: the Jobcenter's monthly hours, a partner's copy of a
trainee's skills and hours, the pseudonymised evaluation dataset, everything stored about one
person (GDPR Art. 15), and the ESF+ aggregate report.

Each function returns an `ExportFile` (name, type, bytes) and writes one audit entry, because
every download of personal data is audit-logged. The caller commits. Every CSV and XLSX text cell
goes through `store.core.exports.safe_cell` (csv_bytes does it for CSV; the shifts exporters do
it for their XLSX), so a name like `=HYPERLINK(...)` stays text.
"""

import hashlib
import hmac
import io
import json
import os
import re
import secrets
import unicodedata
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import gettext as _

from store.auth.models import ApiToken, LoginAttempt, User
from store.core.access import Role
from store.core.audit import Actor, AuditEntry, audit
from store.core.errors import ValidationError
from store.core.exports import csv_bytes
from store.core.timeutil import local_today, to_local, utcnow
from store.extensions import db
from store.network import labels
from store.network import services as network
from store.network.models import (
    ConsentScope,
    Delivery,
    Education,
    EmploymentStatus,
    ExitReason,
    Gender,
    Mark,
    OutboxEvent,
    ParticipantRecord,
    Partner,
)
from store.shifts import exports as sheet_exports
from store.shifts import services as shifts
from store.shifts.labels import CODE_LABELS, MEASURE_LABELS
from store.shifts.models import (
    Agreement,
    AttendanceCode,
    AttendanceEntry,
    CalendarToken,
    ClockEvent,
    Measure,
    MonthClosing,
    Shift,
    ShiftStatus,
    ShiftTemplate,
    template_member,
)
from store.shifts.sheets import month_sheets
from store.skills import services as skills
from store.skills.models import Assessment, Goal
from store.skills.report import skills_report
from store.till.models import Sale

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
CSV = "text/csv"
HOURS_FORMATS = ("xlsx", "csv", "zip")
# The evaluation covers at most this many months: enough for a programme period, and a mistyped
# year cannot pull the whole database.
MAX_EVALUATION_MONTHS = 60


@dataclass
class ExportFile:
    """A file to download."""

    filename: str
    mimetype: str
    body: bytes


def _utc(now: datetime | None) -> datetime:
    return now or utcnow()


_ASCII = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ß": "ss",
        "ı": "i",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "Ae",
        "đ": "d",
        "Đ": "D",
    }
)


def ascii_name(*parts: str, length: int = 60) -> str:
    """'Wójcik', 'Dariusz' → 'Wojcik_Dariusz': safe in any ZIP tool and file system."""
    text = "_".join(p for p in parts if p).translate(_ASCII)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")[:length].strip("_") or "x"


def _unique(name: str, used: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}_{n}{dot}{ext}"
    used.add(candidate)
    return candidate


def _zip(files: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files:
            archive.writestr(name, body)
    return out.getvalue()


def _month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _months(first: date, last: date) -> list[tuple[int, int]]:
    found, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        found.append((year, month))
        year, month = year + (month == 12), month % 12 + 1
    return found


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    days = shifts.month_days(year, month)
    return days[0], days[-1]


# ---------------------------------------------------------------- Jobcenter: hours of a month


def hours_participants(year: int, month: int, measure: str | None = None) -> list[User]:
    """Trainees with an agreement in force in the month (of `measure`, if given)."""
    first, last = _month_bounds(year, month)
    agreements = shifts.agreements_between(None, first, last)
    if measure is not None:
        agreements = {
            uid: found for uid, found in agreements.items() if any(a.measure == measure for a in found)
        }
    return [u for u in shifts.list_trainees(include_inactive=True) if u.id in agreements]


def hours_export(
    actor: Actor,
    year: int,
    month: int,
    fmt: str,
    measure: str | None = None,
    *,
    now: datetime | None = None,
) -> ExportFile:
    """The monthly hours of every trainee (of one measure) for the Jobcenter: XLSX, CSV, or a
    ZIP with both and one PDF sheet per trainee.

    No consent is asked here: the provider must report hours and absences of a measure to the
    Jobcenter (§61 SGB II); this is a legal duty, not a voluntary transfer."""
    now = _utc(now)
    if fmt not in HOURS_FORMATS:
        raise ValidationError(_("Please choose XLSX, CSV or ZIP."), field="format")
    if measure in ("", None):
        measure = None
    else:
        try:
            measure = Measure(measure).value
        except ValueError:
            raise ValidationError(
                _("Please choose one of the offered measures."), field="measure"
            ) from None
    try:
        shifts.month_days(year, month)
    except (ValueError, TypeError):
        raise ValidationError(
            _("Please give the month as YYYY-MM, e.g. 2026-03."), field="month"
        ) from None
    people = hours_participants(year, month, measure)
    sheets = month_sheets(people, year, month) if people else []
    numbers = network.customer_numbers(p.id for p in people)
    for sheet in sheets:  # the Jobcenter's own reference, on its copy only
        sheet.reference = numbers.get(sheet.user.id)
    key = _month_key(year, month)
    stem = f"Stunden_{key}" + (f"_{measure}" if measure else "")
    if fmt == "xlsx":
        result = ExportFile(stem + ".xlsx", XLSX, sheet_exports.month_xlsx(sheets))
    elif fmt == "csv":
        result = ExportFile(stem + ".csv", CSV, sheet_exports.month_csv(sheets))
    else:
        used = {stem + ".xlsx", stem + ".csv"}
        files = [
            (stem + ".xlsx", sheet_exports.month_xlsx(sheets)),
            (stem + ".csv", sheet_exports.month_csv(sheets)),
        ]
        for sheet in sheets:
            person = ascii_name(sheet.user.last_name, sheet.user.first_name)
            name = _unique(f"Stunden_{key}_{person}.pdf", used)
            files.append((name, sheet_exports.sheet_pdf([sheet])))
        result = ExportFile(stem + ".zip", ZIP, _zip(files))
    audit(
        actor,
        "export.hours",
        None,
        {
            "month": key,
            "format": fmt,
            "measure": measure,
            "participants": len(sheets),
            "file": result.filename,
        },
        now=now,
    )
    return result


# ---------------------------------------------------------------- partners


ABSENCE_CODES = [c for c in AttendanceCode if c != AttendanceCode.PRESENT]


def hours_summary_rows(user: User, today: date) -> tuple[list[str], list[list]]:
    """One row per month from the entry to this month (or the end): hours and absence days."""
    start = network.entry_date(user.id)
    if start is None:
        return _summary_header(), []
    end = min(today, network.end_date(user.id, network.record_of(user)) or today)
    rows = []
    for year, month in _months(start, max(start, end)):
        sheet = month_sheets([user], year, month)[0]
        rows.append(
            [
                _month_key(year, month),
                sheet_exports.hours_cell(sheet.confirmed),
                sheet_exports.hours_cell(sheet.attended),
                *[sheet.counts.get(code, 0) for code in ABSENCE_CODES],
            ]
        )
    return _summary_header(), rows


def _summary_header() -> list[str]:
    return [
        _("Month"),
        _("Confirmed (h)"),
        _("Hours attended"),
        *[_("Days: %(code)s", code=CODE_LABELS[c]) for c in ABSENCE_CODES],
    ]


def partner_export(
    actor: Actor, participant: User, partner: Partner, *, now: datetime | None = None
) -> ExportFile:
    """A trainee's skills report and hours summary for one partner, each only where the
    person's consent covers that partner."""
    now = _utc(now)
    today = local_today(now)
    if participant.role != Role.TRAINEE:
        raise ValidationError(_("Exports are made for participants only."))
    with_skills = network.covers(participant.id, partner.id, ConsentScope.SKILLS, today)
    with_hours = network.covers(participant.id, partner.id, ConsentScope.HOURS, today)
    if not (with_skills or with_hours):
        raise ValidationError(
            _(
                "No consent of %(name)s covers sharing skills or hours with %(partner)s. Record "
                "the consent first.",
                name=participant.display_name,
                partner=partner.name,
            )
        )
    if with_skills:
        unseen = network.to_see(participant).assessments
        if unseen:
            # An assessment goes out only after the participant has seen it (LSG Hamburg,
            # L 5 AS 48/09); the record page marks it as shown.
            raise ValidationError(
                _(
                    "%(name)s has not seen %(n)s assessment(s) yet. Show them to the participant "
                    "first, then export.",
                    name=participant.display_name,
                    n=len(unseen),
                )
            )
    if with_hours:
        unseen_days = network.to_see(participant).absences
        if unseen_days:
            raise ValidationError(
                _(
                    "%(name)s has not seen %(n)s absence day(s) yet. Show them to the participant "
                    "first, then export.",
                    name=participant.display_name,
                    n=len(unseen_days),
                )
            )
    stem = ascii_name(participant.last_name, participant.first_name)
    files, parts = [], []
    if with_skills:
        files.append((f"Kompetenznachweis_{stem}.pdf", skills_report(participant)))
        parts.append("skills")
    if with_hours:
        header, rows = hours_summary_rows(participant, today)
        files.append((f"Stunden_{stem}.csv", csv_bytes(header, rows)))
        parts.append("hours")
    result = ExportFile(
        f"{ascii_name(partner.name, length=30)}_{stem}_{today.isoformat()}.zip", ZIP, _zip(files)
    )
    audit(
        actor,
        "export.partner",
        participant,
        {"partner_id": partner.id, "partner": partner.name, "parts": parts, "file": result.filename},
        now=now,
    )
    return result


# ---------------------------------------------------------------- evaluation (pseudonymised)


def pseudonym_key() -> bytes:
    """The secret of the pseudonyms: `PSEUDONYM_KEY`, else the file `pseudonym_key` in the
    instance folder, made on first use. It is never stored in the database, so a copy of the
    database and the datasets together still cannot be re-identified ("key kept separately",
    GDPR Art. 89). Losing the key means new pseudonyms: keep it in the backup of the instance
    folder, apart from the database dumps."""
    configured = current_app.config.get("PSEUDONYM_KEY")
    if configured:
        key = configured.encode() if isinstance(configured, str) else bytes(configured)
    else:
        path = Path(current_app.instance_path) / "pseudonym_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written under another name, then linked into place: a second process that
            # starts at the same moment either wins or reads the first one's key, never half.
            temp = path.with_name(f".pseudonym_key.{os.getpid()}.{secrets.token_hex(4)}")
            descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32))
            try:
                os.link(temp, path)
            except FileExistsError:
                pass
            finally:
                temp.unlink()
        key = path.read_text().strip().encode()
    if len(key) < 16:
        raise ValidationError(_("The pseudonym key is too short: it needs at least 16 characters."))
    return key


def pseudonym(user_id: int, key: bytes | str | None = None) -> str:
    """A stable pseudonym: HMAC-SHA256 of the user id with the secret key, first 64 bits.
    The same person gets the same pseudonym in every export; without the key nobody can
    compute it back or check a guess."""
    if key is None:
        key = pseudonym_key()
    if isinstance(key, str):
        key = key.encode()
    digest = hmac.new(key, f"participant:{user_id}".encode(), hashlib.sha256).hexdigest()
    return "P-" + digest[:16]


def _check_period(first: date | None, last: date | None) -> None:
    if first is None or last is None:
        raise ValidationError(_("Please give the first and the last day."), field="from")
    if last < first:
        raise ValidationError(_("The last day is before the first day."), field="to")
    if last >= shifts.months_after(first, MAX_EVALUATION_MONTHS):
        raise ValidationError(
            _("The period can be at most %(n)s years long.", n=MAX_EVALUATION_MONTHS // 12), field="to"
        )


def evaluation_included(first: date, last: date, today: date) -> list[int]:
    """Ids of the participants the evaluation may contain: an agreement overlapping the period
    and a consent to the evaluation, unless the evaluation is approved under §75 SGB X (then
    data from the Jobcenter may go to the research institute without each person's consent)."""
    approved = bool(current_app.config.get("EVALUATION_APPROVED"))
    ids = set(shifts.agreements_between(None, first, last))
    trainees = (
        set(db.session.scalars(sa.select(User.id).where(User.id.in_(ids), User.role == Role.TRAINEE)))
        if ids
        else set()
    )
    return sorted(
        uid for uid in trainees if approved or network.covers(uid, None, ConsentScope.EVALUATION, today)
    )


def _flag(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


def _value(value) -> str:
    if value is None:
        return ""
    return value.value if isinstance(value, Enum) else str(value)


@dataclass
class Column:
    """A column of the evaluation dataset and what the codebook says about it."""

    name: str
    description: str
    values: str = ""


def evaluation_columns(skill_list) -> list[Column]:
    def codes(mapping) -> str:
        return "; ".join(f"{_value(code)} = {label}" for code, label in mapping.items())

    yes_no = _("1 = yes, 0 = no, empty = not recorded")
    columns = [
        Column(
            "pseudonym",
            _(
                "The person's pseudonym: the same in every export made with the "
                "same key; it cannot be traced back without the key, which the "
                "store keeps."
            ),
            "P- + 16 hex digits",
        ),
        Column("month", _("The calendar month of the row."), "YYYY-MM"),
        Column(
            "month_in_programme", _("Months since entry: 1 = the month of entry."), _("whole number")
        ),
        Column(
            "measure",
            _(
                "The measure in that month (the agreement in force on the last "
                "covered day of the month)."
            ),
            codes(MEASURE_LABELS),
        ),
        Column(
            "age_band_at_entry",
            _("Age at the first day of the first agreement (ESF+ bands)."),
            codes(labels.AGE_BANDS),
        ),
        Column("gender", _("Gender (ESF+ monitoring at entry)."), codes(labels.GENDERS)),
        Column(
            "employment_status_at_entry",
            _("Employment status at entry (ESF+)."),
            codes(labels.EMPLOYMENT),
        ),
        Column(
            "education_isced",
            _("Highest education reached at entry, ISCED band (ESF+)."),
            codes(labels.EDUCATION),
        ),
        Column(
            "entry_complete",
            _("Whether the ESF+ entry data were complete (only complete entries count for the funder)."),
            yes_no,
        ),
        Column(
            "hours_planned",
            _("Hours of planned shifts in the month (after the break rule)."),
            _("hours, decimal comma"),
        ),
        Column(
            "hours_confirmed",
            _(
                "Hours confirmed by a supervisor in the month, all codes "
                "(the current state, corrections included)."
            ),
            _("hours, decimal comma"),
        ),
        Column(
            "hours_attended",
            _("Of these, hours confirmed as present (what the allowance pays)."),
            _("hours, decimal comma"),
        ),
    ]
    for code in AttendanceCode:
        columns.append(
            Column(
                f"days_{code.value}",
                _("Days in the month with the code “%(code)s”.", code=CODE_LABELS[code]),
                _("whole number"),
            )
        )
    for skill in skill_list:
        levels = "; ".join(
            f"{n} = {text.rstrip('.')}" for n, text in enumerate(skill.descriptors, start=1)
        )
        columns.append(
            Column(
                f"skill_{skill.id}",
                _(
                    "Skill “%(skill)s” (%(group)s): the latest level a supervisor gave on or before "
                    "the end of the month; empty = not assessed yet.",
                    skill=skill.name,
                    group=skill.group.name,
                ),
                levels or "1–4",
            )
        )
    columns += [
        Column(
            "exit_reason",
            _(
                "Why the person left. Only in the row of the month of exit; "
                "empty in the other rows and while the person is still in "
                "the programme."
            ),
            codes(labels.EXIT_REASONS),
        ),
        Column("exit_job_seeking", _("At exit: seeking a job (ESF+). Only in the exit row."), yes_no),
        Column(
            "exit_in_education",
            _("At exit: in education or training (ESF+). Only in the exit row."),
            yes_no,
        ),
        Column(
            "exit_qualification",
            _("At exit: gained a qualification (ESF+). Only in the exit row."),
            yes_no,
        ),
        Column(
            "exit_employed",
            _("At exit: employed, including self-employed (ESF+). Only in the exit row."),
            yes_no,
        ),
    ]
    return columns


def evaluation_rows(first: date, last: date, user_ids: list[int], skill_list, key: bytes) -> list[list]:
    """The long-format rows: one per person and month in the programme within the period."""
    if not user_ids:
        return []
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

    # Hours and days: the entry that counts now (after corrections), only days in the period.
    minutes: dict[tuple[int, str], Counter] = defaultdict(Counter)
    days: dict[tuple[int, str], Counter] = defaultdict(Counter)
    for (uid, day), entry in shifts.effective_entries(user_ids, first, last, rows=True).items():
        month = shifts.month_key(day)
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
        minutes[(uid, shifts.month_key(day))]["planned"] += shifts.planned_work(
            starts_at, ends_at, rules
        )

    assessments: dict[int, list[Assessment]] = defaultdict(list)
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
        assessments[assessment.participant_id].append(assessment)

    rows = []
    for uid in user_ids:
        record = records.get(uid)
        entry_on = entries.get(uid)
        exit_on = record.exit_on if record is not None else None
        own = agreements.get(uid, [])
        levels: dict[int, int] = {}
        pending = list(assessments.get(uid, []))
        person = pseudonym(uid, key)
        for year, month in _months(first, last):
            month_first, month_last = _month_bounds(year, month)
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
            month_text = _month_key(year, month)
            measure = max(overlapping, key=lambda a: a.starts_on).measure if overlapping else None
            used = minutes.get((uid, month_text), Counter())
            counted = days.get((uid, month_text), Counter())
            row = [
                person,
                month_text,
                (year - entry_on.year) * 12 + month - entry_on.month + 1 if entry_on else "",
                _value(measure),
                (record.entry_age_band or network.age_band(record.birth_date, entry_on))
                if record
                else None,
                _value(record.gender) if record else "",
                _value(record.employment_status) if record else "",
                _value(record.education) if record else "",
                _flag(record.entry_completed_at is not None) if record else "0",
                sheet_exports.hours_cell(used["planned"]),
                sheet_exports.hours_cell(used["confirmed"]),
                sheet_exports.hours_cell(used["attended"]),
                *[counted.get(code, 0) for code in AttendanceCode],
                *[levels.get(skill.id, "") for skill in skill_list],
            ]
            if is_exit_month:
                row += [
                    _value(record.exit_reason),
                    _flag(record.exit_job_seeking),
                    _flag(record.exit_in_education),
                    _flag(record.exit_qualification),
                    _flag(record.exit_employed),
                ]
            else:
                row += ["", "", "", "", ""]
            rows.append(["" if v is None else v for v in row])
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


def codebook_markdown(
    first: date,
    last: date,
    columns: list[Column],
    *,
    persons: int,
    rows: int,
    approved: bool,
    today: date,
) -> str:
    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    basis = (
        _(
            "An approval under §75 SGB X covers this evaluation, so every participant of the "
            "period is included."
        )
        if approved
        else _(
            "Only participants who consented to the evaluation (and have not withdrawn the "
            "consent) are included; data from the Jobcenter may go to research only with "
            "consent or an approval under §75 SGB X."
        )
    )
    lines = [
        "# " + _("Evaluation dataset: codebook"),
        "",
        _(
            "Period: %(first)s to %(last)s. Made on %(today)s. %(persons)s persons, %(rows)s rows.",
            first=first.isoformat(),
            last=last.isoformat(),
            today=today.isoformat(),
            persons=persons,
            rows=rows,
        ),
        "",
        "## " + _("What the dataset is"),
        "",
        _(
            "A pseudonymised dataset for scientific evaluation (GDPR Art. 89): one row per person "
            "and calendar month in which the person was in a measure within the period (long "
            "format). Months after the day of the export are left out."
        ),
        "",
        _(
            "It contains no names, dates of birth, customer numbers, user names, badge numbers, "
            "contact data, free texts (notes, reasons) or partner names. Age is given in bands "
            "only. The special categories (disability, minority) are not included."
        ),
        "",
        _(
            "The pseudonym is a keyed hash (HMAC-SHA256) of the store's internal person number. "
            "The key stays with the store, apart from the database: the same person has the same "
            "pseudonym in every export, and without the key no one can find out who it is."
        ),
        "",
        basis,
        "",
        _(
            "File format: evaluation.csv is UTF-8 with a byte order mark, separated by "
            "semicolons, with a decimal comma (R: read.csv2). Text cells that begin with = + - @, a "
            "tab or a carriage return are prefixed with an apostrophe so that spreadsheets do not "
            "run them; plain negative numbers are left as they are."
        ),
        "",
        _(
            "Hours and days count only the days within the period; a row for a month cut by the "
            "start or end of the period covers only its part. Skill levels: 1 = first steps, "
            "2 = with help, 3 = on one's own, 4 = can show others."
        ),
        "",
        "## " + _("Columns"),
        "",
        "| " + " | ".join([_("Column"), _("Meaning"), _("Values")]) + " |",
        "|---|---|---|",
    ]
    for column in columns:
        lines.append(f"| `{column.name}` | {cell(column.description)} | {cell(column.values)} |")
    return "\n".join(lines) + "\n"


def evaluation_export(
    actor: Actor, first: date, last: date, *, now: datetime | None = None
) -> ExportFile:
    """The pseudonymised dataset for the evaluation: a ZIP with evaluation.csv, codebook.csv
    and codebook.md."""
    now = _utc(now)
    _check_period(first, last)
    today = local_today(now)
    if first > today:
        raise ValidationError(_("The period has not begun yet."), field="from")
    last_shown = min(last, today)
    key = pseudonym_key()
    approved = bool(current_app.config.get("EVALUATION_APPROVED"))
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
        _zip(
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


# ---------------------------------------------------------------- Art. 15: a person's data

# The README of the Art. 15 export is bilingual by design (German and English in one file),
# so it is not translated.
DATA_README = """\
Auskunft nach Art. 15 DSGVO / Access under Art. 15 GDPR
========================================================

Deutsch
-------
Diese Datei enthält alle Daten, die das Kaufhaus über die genannte Person
gespeichert hat, maschinenlesbar in data.json (JSON, UTF-8). Datumsangaben im
Format JJJJ-MM-TT, Zeitpunkte in UTC nach ISO 8601.

Inhalt von data.json:
- person: das Benutzerkonto (ohne Passwort und PIN, die nur verschlüsselt
  gespeichert sind)
- participant_record: die Teilnehmendenakte (Kontakt, Zuweisung,
  ESF+-Angaben, Austritt), falls angelegt
- agreements: die Vereinbarungen zur Maßnahme (Zeitraum, Stunden, Entschädigung)
- consents: Einwilligungen (was an wen weitergegeben werden darf, seit wann,
  Widerruf)
- marks: Vermerke "der Person gezeigt" und "dem Jobcenter gemeldet"
- shifts, shift_templates: geplante Schichten und feste Schichtmuster
- clock_events: Kommen/Gehen mit Korrekturen
- attendance_entries: bestätigte Tage und Abwesenheiten, auch ersetzte Einträge
- month_closings: Monatsabschlüsse, die die Person betreffen
- assessments, goals, evidence: Kompetenzeinschätzungen mit Stufen und
  Notizen, Ziele, Nachweise aus der Arbeit (Zahlen)
- sales: Verkäufe, bei denen die Person an der Kasse stand (nur Nummer, Datum,
  Betrag, Art)
- outbox_events: Meldungen an Partner und ihr Zustellstatus je Partner
- audit: Protokolleinträge über die Person, ihre Akte und ihre Buchungen sowie
  Handlungen der Person (Zeitpunkt, Aktion, Objekt)
- api_tokens, calendar_links, login_attempts: Zugänge und Anmeldeversuche

Fragen zur Verarbeitung beantwortet die Koordination.

English
-------
This file holds everything the store keeps about the person named, in
machine-readable form in data.json (JSON, UTF-8). Dates are YYYY-MM-DD, points
in time are UTC in ISO 8601.

Contents of data.json:
- person: the user account (without password and PIN, which are only stored
  as hashes)
- participant_record: the participant record (contact, referral, ESF+ data,
  exit), if there is one
- agreements: the agreements of the measure (period, hours, allowance)
- consents: what may be shared with whom, since when, withdrawals
- marks: "shown to the person" and "reported to the Jobcenter" marks
- shifts, shift_templates: planned shifts and regular shift patterns
- clock_events: clocking in and out, with corrections
- attendance_entries: confirmed days and absences, replaced entries included
- month_closings: month closings that concern the person
- assessments, goals, evidence: skill assessments with levels and notes,
  goals, evidence from the work (figures)
- sales: sales the person booked at the till (number, date, total, kind only)
- outbox_events: messages to partners and their delivery status per partner
- audit: log entries about the person, their record and their bookings, and
  actions of the person (time, action, object)
- api_tokens, calendar_links, login_attempts: access tokens and sign-in attempts

The coordination team answers questions about the processing.
"""


def _json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"not serialisable: {type(value).__name__}")


def _by(user: User | None, uid: int) -> str | None:
    """Who did it: "self", or a staff member's short name; never another participant."""
    if user is None:
        return None
    if user.id == uid:
        return "self"
    return user.short_name if user.role != Role.TRAINEE else None


def _all(query) -> list:
    return list(db.session.scalars(query))


def person_data(participant: User, *, now: datetime | None = None) -> dict:
    """Everything stored about one participant, as plain JSON-ready data."""
    now = _utc(now)
    uid = participant.id
    record = network.record_of(participant)
    data: dict = {
        "generated_at": now,
        "controller": {
            "name": current_app.config.get("STORE_NAME"),
            "address": current_app.config.get("STORE_ADDRESS") or None,
        },
        "person": {
            "id": uid,
            "username": participant.username,
            "first_name": participant.first_name,
            "last_name": participant.last_name,
            "role": participant.role,
            "badge": participant.badge,
            "locale": participant.locale,
            "is_active": participant.is_active_account,
            "has_password": participant.password_hash is not None,
            "has_pin": participant.pin_hash is not None,
            "locked_until": participant.locked_until,
            "created_at": participant.created_at,
        },
        "participant_record": None,
        "entry_on": network.entry_date(uid),
        "end_on": network.end_date(uid, record),
    }
    if record is not None:
        data["participant_record"] = {
            "id": record.id,
            "phone": record.phone,
            "email": record.email,
            "birth_date": record.birth_date,
            "referring_partner": record.referring_partner.name if record.referring_partner else None,
            "referrer_contact": record.referrer_contact,
            "customer_number": record.customer_number,
            "languages": record.languages,
            "gender": record.gender,
            "employment_status": record.employment_status,
            "education": record.education,
            "entry_completed_at": record.entry_completed_at,
            "disability": record.disability,
            "minority": record.minority,
            "exit_on": record.exit_on,
            "exit_reason": record.exit_reason,
            "exit_job_seeking": record.exit_job_seeking,
            "exit_in_education": record.exit_in_education,
            "exit_qualification": record.exit_qualification,
            "exit_employed": record.exit_employed,
            "created_at": record.created_at,
            "updated_at": record.updated_at,
            "anonymised_at": record.anonymised_at,
        }
    agreements = sorted(shifts.agreements_for(uid), key=lambda a: a.starts_on)
    data["agreements"] = [
        {
            "id": a.id,
            "measure": a.measure,
            "starts_on": a.starts_on,
            "ends_on": a.ends_on,
            "weekly_minutes": a.weekly_minutes,
            "workdays": a.workdays,
            "hourly_allowance_cents": a.hourly_allowance_cents,
            "max_months": a.max_months,
            "updated_at": a.updated_at,
        }
        for a in agreements
    ]
    consents = network.consents_of(uid)
    data["consents"] = [
        {
            "id": c.id,
            "partner": c.partner.name if c.partner else None,
            "scopes": c.scopes,
            "basis": c.basis,
            "given_on": c.given_on,
            "recorded_at": c.recorded_at,
            "recorded_by": _by(c.recorded_by, uid),
            "withdrawn_on": c.withdrawn_on,
            "withdrawn_at": c.withdrawn_at,
            "withdrawn_by": _by(c.withdrawn_by, uid),
        }
        for c in consents
    ]
    marks = _all(sa.select(Mark).where(Mark.participant_id == uid).order_by(Mark.at, Mark.id))
    data["marks"] = [
        {
            "id": m.id,
            "kind": m.kind,
            "object_type": m.object_type,
            "object_id": m.object_id,
            "at": m.at,
            "by": _by(m.by, uid),
            "how": m.how,
        }
        for m in marks
    ]
    shift_rows = _all(sa.select(Shift).where(Shift.user_id == uid).order_by(Shift.day, Shift.starts_at))
    data["shifts"] = [
        {
            "id": s.id,
            "day": s.day,
            "station": s.station.name,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "status": s.status,
            "created_at": s.created_at,
            "updated_at": s.updated_at,
        }
        for s in shift_rows
    ]
    templates = _all(
        sa.select(ShiftTemplate)
        .join(template_member, template_member.c.template_id == ShiftTemplate.id)
        .where(template_member.c.user_id == uid)
        .order_by(ShiftTemplate.id)
    )
    data["shift_templates"] = [
        {
            "id": t.id,
            "station": t.station.name,
            "weekdays": t.weekdays,
            "starts_at": t.starts_at.strftime("%H:%M"),
            "ends_at": t.ends_at.strftime("%H:%M"),
            "is_active": t.is_active,
        }
        for t in templates
    ]
    clock_rows = _all(
        sa.select(ClockEvent).where(ClockEvent.user_id == uid).order_by(ClockEvent.at, ClockEvent.id)
    )
    data["clock_events"] = [
        {
            "id": e.id,
            "kind": e.kind,
            "at": e.at,
            "recorded_at": e.recorded_at,
            "recorded_by": _by(e.recorded_by, uid),
            "till_id": e.till_id,
            "source": e.source,
            "address": e.address,
            "replaces": e.replaces_id,
            "reason": e.reason,
        }
        for e in clock_rows
    ]
    entries = _all(
        sa.select(AttendanceEntry)
        .where(AttendanceEntry.user_id == uid)
        .order_by(AttendanceEntry.day, AttendanceEntry.id)
    )
    replaced = {e.replaces_id for e in entries if e.replaces_id}
    data["attendance_entries"] = [
        {
            "id": e.id,
            "day": e.day,
            "code": e.code,
            "minutes": e.minutes,
            "break_minutes": e.break_minutes,
            "late_minutes": e.late_minutes,
            "early_leave_minutes": e.early_leave_minutes,
            "certificate_until": e.certificate_until,
            "note": e.note,
            "confirmed_by": _by(e.confirmed_by, uid),
            "confirmed_at": e.confirmed_at,
            "source": e.source,
            "replaces": e.replaces_id,
            "reason": e.reason,
            "reported_in": e.reported_in,
            "replaced": e.id in replaced,
        }
        for e in entries
    ]
    months = sorted(
        {shifts.month_key(e.day) for e in entries} | {shifts.month_key(s.day) for s in shift_rows}
    )
    closings = (
        _all(
            sa.select(MonthClosing)
            .where(
                sa.or_(
                    MonthClosing.user_id == uid,
                    sa.and_(MonthClosing.user_id.is_(None), MonthClosing.month.in_(months)),
                )
            )
            .order_by(MonthClosing.month, MonthClosing.id)
        )
        if months
        else _all(sa.select(MonthClosing).where(MonthClosing.user_id == uid))
    )
    data["month_closings"] = [
        {
            "id": c.id,
            "month": c.month,
            "for": "person" if c.user_id else "everybody",
            "closed_at": c.closed_at,
            "closed_by": _by(c.closed_by, uid),
        }
        for c in closings
    ]
    assessments = skills.assessments_of(uid)
    data["assessments"] = [
        {
            "id": a.id,
            "day": a.day,
            "self": a.is_self,
            "assessor": _by(a.assessor, uid),
            "created_at": a.created_at,
            "ratings": [
                {
                    "skill": r.skill.name,
                    "level": r.level,
                    "descriptor": r.skill.descriptor(r.level),
                    "note": r.note,
                }
                for r in a.ratings
            ],
        }
        for a in assessments
    ]
    goals = _all(sa.select(Goal).where(Goal.participant_id == uid).order_by(Goal.created_at))
    data["goals"] = [
        {
            "id": g.id,
            "skill": g.skill.name,
            "target_level": g.target_level,
            "due_on": g.due_on,
            "set_by": _by(g.set_by, uid),
            "created_at": g.created_at,
            "closed_at": g.closed_at,
        }
        for g in goals
    ]
    evidence = skills.evidence(uid, today=local_today(now))
    data["evidence"] = {
        "minutes_by_station": [
            {"station": station, "minutes": minutes}
            for station, minutes in evidence.minutes_by_station.items()
        ],
        "sales": evidence.sales,
        "voids": evidence.voids,
        "items_taken_in": evidence.items_taken_in,
        "till_closings": evidence.closings,
        "till_closings_with_difference": evidence.closings_with_difference,
        "till_difference_cents": evidence.difference_cents,
    }
    data["sales"] = [
        {"id": s.id, "date": to_local(s.created_at).date(), "total_cents": s.total_cents, "kind": s.kind}
        for s in _all(sa.select(Sale).where(Sale.cashier_id == uid).order_by(Sale.created_at, Sale.id))
    ]
    events = _all(
        sa.select(OutboxEvent)
        .where(OutboxEvent.participant_id == uid)
        .options(so.selectinload(OutboxEvent.deliveries).selectinload(Delivery.partner))
        .order_by(OutboxEvent.created_at)
    )
    data["outbox_events"] = [
        {
            "id": e.id,
            "type": e.type,
            "scope": e.scope,
            "created_at": e.created_at,
            "released_at": e.released_at,
            "data": e.data,
            "deliveries": [
                {
                    "partner": d.partner.name,
                    "status": d.status,
                    "attempts": d.attempts,
                    "delivered_at": d.delivered_at,
                    "last_error": d.last_error,
                }
                for d in sorted(e.deliveries, key=lambda d: d.id)
            ],
        }
        for e in events
    ]
    tokens = _all(sa.select(ApiToken).where(ApiToken.user_id == uid).order_by(ApiToken.id))
    data["api_tokens"] = [
        {
            "id": t.id,
            "name": t.name,
            "prefix": t.prefix,
            "created_at": t.created_at,
            "revoked_at": t.revoked_at,
        }
        for t in tokens
    ]
    links = _all(sa.select(CalendarToken).where(CalendarToken.user_id == uid).order_by(CalendarToken.id))
    data["calendar_links"] = [
        {"id": t.id, "created_at": t.created_at, "revoked_at": t.revoked_at} for t in links
    ]
    attempts = _all(sa.select(LoginAttempt).where(LoginAttempt.user_id == uid).order_by(LoginAttempt.at))
    data["login_attempts"] = [
        {"at": a.at, "method": a.method, "success": a.success, "address": a.address} for a in attempts
    ]
    # The log: entries about the person and the things that are theirs, and what they did.
    own = {
        "user": [uid],
        "participant_record": [record.id] if record else [],
        "agreement": [a.id for a in agreements],
        "consent": [c.id for c in consents],
        "record_mark": [m.id for m in marks],
        "shift": [s.id for s in shift_rows],
        "clock_event": [e.id for e in clock_rows],
        "attendance_entry": [e.id for e in entries],
        "assessment": [a.id for a in assessments],
        "skill_goal": [g.id for g in goals],
        "calendar_token": [t.id for t in links],
        "api_token": [t.id for t in tokens],
    }
    conditions = [AuditEntry.user_id == uid]
    for object_type, ids in own.items():
        for n in range(0, len(ids), 500):
            conditions.append(
                sa.and_(
                    AuditEntry.object_type == object_type,
                    AuditEntry.object_id.in_([str(i) for i in ids[n : n + 500]]),
                )
            )
    data["audit"] = [
        {
            "at": a.at,
            "action": a.action,
            "object_type": a.object_type,
            "object_id": a.object_id,
            "by_self": a.user_id == uid,
        }
        for a in _all(
            sa.select(AuditEntry).where(sa.or_(*conditions)).order_by(AuditEntry.at, AuditEntry.id)
        )
    ]
    return data


def data_export(actor: Actor, participant: User, *, now: datetime | None = None) -> ExportFile:
    """Everything stored about one participant (GDPR Art. 15): data.json and a README."""
    now = _utc(now)
    if participant.role != Role.TRAINEE:
        raise ValidationError(_("This export is made for participants only."))
    body = json.dumps(
        person_data(participant, now=now), default=_json_default, ensure_ascii=False, indent=2
    )
    stem = ascii_name(participant.last_name, participant.first_name)
    result = ExportFile(
        f"Auskunft_{stem}_{local_today(now).isoformat()}.zip",
        ZIP,
        _zip([("data.json", body.encode()), ("README.txt", DATA_README.encode())]),
    )
    audit(actor, "export.data", participant, {"file": result.filename}, now=now)
    return result


# ---------------------------------------------------------------- ESF+ aggregate report


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
    audit(actor, "export.esf", None, {"year": year, "file": result.filename}, now=_utc(now))
    return result


def esf_years(today: date | None = None) -> list[int]:
    """The years the report can be made for: from the first entry to this year."""
    today = today or local_today()
    first = db.session.scalar(sa.select(sa.func.min(Agreement.starts_on)))
    start = first.year if first else today.year
    return list(range(today.year, start - 1, -1))
