"""A partner's copy of one trainee: the skills report and an hours summary, each only where the
person's consent covers that partner, and only what the person has seen."""

from datetime import date, datetime

from flask_babel import gettext as _

from store.auth.models import User
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import ValidationError
from store.core.exports import csv_bytes
from store.core.timeutil import as_utc, local_today, month_key, months_between
from store.network import services as network
from store.network.exports.files import ZIP, ExportFile, ascii_name, zip_files
from store.network.models import ConsentScope, Partner
from store.shifts import exports as sheet_exports
from store.shifts.labels import CODE_LABELS
from store.shifts.models import AttendanceCode
from store.shifts.sheets import month_sheets
from store.skills.report import skills_report

ABSENCE_CODES = [c for c in AttendanceCode if c != AttendanceCode.PRESENT]


def hours_summary_rows(user: User, today: date) -> tuple[list[str], list[list]]:
    """One row per month from the entry to this month (or the end): hours and absence days."""
    start = network.entry_date(user.id)
    if start is None:
        return _summary_header(), []
    end = min(today, network.end_date(user.id, network.record_of(user)) or today)
    rows = []
    for year, month in months_between(start, max(start, end)):
        sheet = month_sheets([user], year, month)[0]
        rows.append(
            [
                month_key(year, month),
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
    now = as_utc(now)
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
        f"{ascii_name(partner.name, length=30)}_{stem}_{today.isoformat()}.zip", ZIP, zip_files(files)
    )
    audit(
        actor,
        "export.partner",
        participant,
        {"partner_id": partner.id, "partner": partner.name, "parts": parts, "file": result.filename},
        now=now,
    )
    return result
