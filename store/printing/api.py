"""API: the print queue."""

from datetime import datetime

from flask import Response, url_for
from flask_login import current_user
from pydantic import BaseModel, Field

from store.branches import services as branches
from store.core.access import STAFF, Role
from store.core.api import Schema, api_blueprint, endpoint
from store.printing import services
from store.printing.models import JobStatus, PrintJob

bp = api_blueprint("printing_api")


class PrintJobOut(BaseModel):
    id: int
    printer: str
    kind: str
    title: str
    status: JobStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    printed_at: datetime | None
    ref_type: str | None
    ref_id: str | None
    bytes_url: str
    branch: str  # the branch (Filiale) of its printer

    @classmethod
    def of(cls, job: PrintJob) -> "PrintJobOut":
        return cls(
            id=job.id,
            printer=job.printer.name,
            branch=job.printer.branch.name,
            kind=job.kind,
            title=job.title,
            status=job.status,
            attempts=job.attempts,
            last_error=job.last_error,
            created_at=job.created_at,
            printed_at=job.printed_at,
            ref_type=job.ref_type,
            ref_id=job.ref_id,
            bytes_url=url_for("printing_api.print_job_bytes", job_id=job.id, _external=True),
        )


class PrintJobList(BaseModel):
    print_jobs: list[PrintJobOut]


class PrintJobQuery(Schema):
    status: JobStatus | None = None
    limit: int = Field(default=100, ge=1, le=1000)


@endpoint(
    bp,
    "/print-jobs",
    roles=STAFF,
    summary="Recent print jobs, newest first",
    query=PrintJobQuery,
    response=PrintJobList,
)
def print_jobs(query: PrintJobQuery):
    jobs = services.list_jobs(query.limit, query.status, branches.visible_ids(current_user))
    return PrintJobList(
        print_jobs=[PrintJobOut.of(j) for j in jobs if services.may_read(current_user, j)]
    )


@endpoint(
    bp,
    "/print-jobs/<int:job_id>/bytes",
    roles=[Role.TRAINEE, *STAFF],
    summary="The exact ESC/POS bytes of a job",
    produces="application/octet-stream",
)
def print_job_bytes(job_id: int):
    """Only for who may read what the job prints (a Z report: supervisors; a receipt: the till's
    staff); else 403."""
    job = services.readable_job(current_user, job_id)
    return Response(job.payload, mimetype="application/octet-stream")
