"""API: exports for the Jobcenter, the evaluation, and the Art. 15 data export.

Coordinators only: they keep the participant records. Admins get 403 here; for technical
support they use the pages' audited views, not bulk downloads. Every download is audit-logged by
the export service and committed before the file goes out.
"""

import re
from typing import Literal

from flask_babel import gettext as _
from pydantic import Field, field_validator

from store.core.access import Role
from store.core.api import Schema, api_blueprint, endpoint
from store.core.bounds import Day, Id
from store.core.errors import ValidationError
from store.core.web import current_actor
from store.network import exports
from store.network import services as network
from store.network.export_views import send_export
from store.shifts import services as shifts

bp = api_blueprint("exports_api")

COORDINATORS = (Role.COORDINATOR,)
MONTH = re.compile(r"^\d{4}-\d{2}$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class HoursQuery(Schema):
    month: str = Field(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")
    fmt: Literal["xlsx", "csv", "zip"] = Field(
        default="zip",
        alias="format",
        description="xlsx, csv, or zip (XLSX + CSV + one PDF sheet per trainee)",
    )
    measure: Literal["agh", "tam", "internship", "apprenticeship", "volunteer"] | None = Field(
        default=None, description="only trainees with an agreement of this measure"
    )
    branch: Id | None = Field(default=None, description="only trainees working in this branch")


@endpoint(
    bp,
    "/exports/hours",
    roles=COORDINATORS,
    query=HoursQuery,
    produces="application/zip",
    summary="The monthly hours of all trainees for the Jobcenter (XLSX, CSV or ZIP)",
)
def hours(query: HoursQuery):
    """Trainees with an agreement in force in the month (of the measure, if given). The answer
    is XLSX, CSV (UTF-8 with BOM, `;`) or a ZIP of both plus one PDF sheet per trainee."""
    if not MONTH.match(query.month):
        raise ValidationError(_("Please give the month as YYYY-MM, e.g. 2026-03."), field="month")
    year, month = shifts.parse_month(query.month)
    export = exports.hours_export(
        current_actor(), year, month, query.fmt, query.measure, branch_id=query.branch
    )
    return send_export(export)


class EvaluationQuery(Schema):
    first: Day = Field(alias="from", description="first day, YYYY-MM-DD")
    last: Day = Field(alias="to", description="last day, YYYY-MM-DD (at most 5 years later)")

    @field_validator("first", "last", mode="before")
    @classmethod
    def iso_day(cls, value):
        if not isinstance(value, str) or not DAY.match(value):
            raise ValueError("a day as YYYY-MM-DD")
        return value


@endpoint(
    bp,
    "/exports/evaluation",
    roles=COORDINATORS,
    query=EvaluationQuery,
    produces="application/zip",
    summary="The pseudonymised evaluation dataset of a period (ZIP: CSV and codebook)",
)
def evaluation(query: EvaluationQuery):
    """One row per person and month, pseudonymised (GDPR Art. 89): no names, birth dates,
    numbers or free text. Only participants who consented, unless the evaluation is approved
    under §75 SGB X (`EVALUATION_APPROVED`)."""
    return send_export(exports.evaluation_export(current_actor(), query.first, query.last))


@endpoint(
    bp,
    "/participants/<int:user_id>/data-export",
    roles=COORDINATORS,
    produces="application/zip",
    summary="Everything stored about one participant (GDPR Art. 15), as a ZIP",
)
def data_export(user_id: int):
    """data.json (machine-readable) and a README in German and English."""
    participant = network.get_participant(user_id)
    return send_export(exports.data_export(current_actor(), participant))
