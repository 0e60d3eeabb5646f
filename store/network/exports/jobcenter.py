"""The Jobcenter's monthly hours: every trainee (of one measure) with an agreement in the month,
as XLSX, CSV, or a ZIP of both with one PDF sheet per trainee."""

from datetime import date, datetime

from flask_babel import gettext as _

from store.auth.models import User
from store.branches import services as branches
from store.core.audit import Actor, audit
from store.core.errors import ValidationError
from store.core.timeutil import add_months, as_utc, month_days_range, month_key
from store.network import services as network
from store.network.exports.files import CSV, XLSX, ZIP, ExportFile, ascii_name, unique_name, zip_files
from store.shifts import exports as sheet_exports
from store.shifts import services as shifts
from store.shifts.models import Measure
from store.shifts.sheets import month_sheets

HOURS_FORMATS = ("xlsx", "csv", "zip")


def default_hours_month(today: date) -> date:
    """The month the export form offers: the last full month (its first day)."""
    return add_months(today.replace(day=1), -1)


def hours_participants(
    year: int, month: int, measure: str | None = None, branch_id: int | None = None
) -> list[User]:
    """Trainees with an agreement in force in the month (of `measure`, if given; working in the
    branch `branch_id`, if given)."""
    first, last = month_days_range(year, month)
    agreements = shifts.agreements_between(None, first, last)
    if measure is not None:
        agreements = {
            uid: found for uid, found in agreements.items() if any(a.measure == measure for a in found)
        }
    branch_ids = {branch_id} if branch_id is not None else None
    return [
        u
        for u in shifts.list_trainees(include_inactive=True)
        if u.id in agreements and branches.works_in(u, branch_ids)
    ]


def hours_export(
    actor: Actor,
    year: int,
    month: int,
    fmt: str,
    measure: str | None = None,
    *,
    now: datetime | None = None,
    branch_id: int | None = None,
) -> ExportFile:
    """The monthly hours of every trainee (of one measure) for the Jobcenter: XLSX, CSV, or a
    ZIP with both and one PDF sheet per trainee.

    No consent is asked here: the provider must report hours and absences of a measure to the
    Jobcenter (§61 SGB II); this is a legal duty, not a voluntary transfer."""
    now = as_utc(now)
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
        month_days_range(year, month)
    except (ValueError, TypeError):
        raise ValidationError(
            _("Please give the month as YYYY-MM, e.g. 2026-03."), field="month"
        ) from None
    people = hours_participants(year, month, measure, branch_id)
    sheets = month_sheets(people, year, month) if people else []
    numbers = network.customer_numbers(p.id for p in people)
    for sheet in sheets:  # the Jobcenter's own reference, on its copy only
        sheet.reference = numbers.get(sheet.user.id)
    key = month_key(year, month)
    stem = f"Stunden_{key}" + (f"_{measure}" if measure else "")
    stem += f"_Filiale{branch_id}" if branch_id is not None else ""
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
            name = unique_name(f"Stunden_{key}_{person}.pdf", used)
            files.append((name, sheet_exports.sheet_pdf([sheet])))
        result = ExportFile(stem + ".zip", ZIP, zip_files(files))
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
