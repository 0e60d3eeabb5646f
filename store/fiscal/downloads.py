"""Fiscal downloads as the pages and the API offer them: the period a page suggests, file names, and
the audit entry every download leaves (who took which records out, and when)."""

from datetime import date

from store.core.audit import Actor, audit
from store.core.timeutil import local_today
from store.fiscal.dsfinvk import Export


def suggested_period(today: date | None = None) -> tuple[date, date]:
    """The period the export page suggests: this month up to today."""
    today = today or local_today()
    return today.replace(day=1), today


def registration_filename(today: date | None = None) -> str:
    return f"kassen-meldung-{(today or local_today()).isoformat()}.csv"


def record_download(actor: Actor, data: dict) -> None:
    """Every fiscal download is in the audit log."""
    audit(actor, "fiscal.export", None, data)


def record_dsfinvk_download(actor: Actor, export: Export, **data) -> None:
    record_download(
        actor,
        {
            "format": "dsfinvk",
            "file": export.filename,
            "closings": export.closings,
            "rows": sum(export.rows.values()),
            **data,
        },
    )
