"""The columns of the evaluation dataset and its codebook (what each column means, which values
it takes), as CSV and Markdown."""

from dataclasses import dataclass
from datetime import date
from enum import Enum

from flask_babel import gettext as _

from store.network import labels
from store.shifts.labels import CODE_LABELS, MEASURE_LABELS
from store.shifts.models import AttendanceCode


def flag(value: bool | None) -> str:
    """A yes/no answer as the dataset codes it: 1, 0, or empty when it was not recorded."""
    return "" if value is None else ("1" if value else "0")


def code_value(value) -> str:
    """A code as the dataset writes it: the enum's value, or the text; empty for None."""
    if value is None:
        return ""
    return value.value if isinstance(value, Enum) else str(value)


@dataclass
class Column:
    """A column of the evaluation dataset and what the codebook says about it."""

    name: str
    description: str
    values: str = ""


def _codes(mapping) -> str:
    return "; ".join(f"{code_value(code)} = {label}" for code, label in mapping.items())


def _yes_no() -> str:
    return _("1 = yes, 0 = no, empty = not recorded")


def evaluation_columns(skill_list) -> list[Column]:
    """The columns in order: the person and the month, hours and days, one per skill, the exit."""
    return [*_person_columns(), *_hours_columns(), *_skill_columns(skill_list), *_exit_columns()]


def _person_columns() -> list[Column]:
    yes_no = _yes_no()
    return [
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
            _codes(MEASURE_LABELS),
        ),
        Column(
            "age_band_at_entry",
            _("Age at the first day of the first agreement (ESF+ bands)."),
            _codes(labels.AGE_BANDS),
        ),
        Column("gender", _("Gender (ESF+ monitoring at entry)."), _codes(labels.GENDERS)),
        Column(
            "employment_status_at_entry",
            _("Employment status at entry (ESF+)."),
            _codes(labels.EMPLOYMENT),
        ),
        Column(
            "education_isced",
            _("Highest education reached at entry, ISCED band (ESF+)."),
            _codes(labels.EDUCATION),
        ),
        Column(
            "entry_complete",
            _("Whether the ESF+ entry data were complete (only complete entries count for the funder)."),
            yes_no,
        ),
    ]


def _hours_columns() -> list[Column]:
    columns = [
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
    return columns


def _skill_columns(skill_list) -> list[Column]:
    columns = []
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
    return columns


def _exit_columns() -> list[Column]:
    yes_no = _yes_no()
    return [
        Column(
            "exit_reason",
            _(
                "Why the person left. Only in the row of the month of exit; "
                "empty in the other rows and while the person is still in "
                "the programme."
            ),
            _codes(labels.EXIT_REASONS),
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
