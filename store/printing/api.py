"""API: the print queue, and the print agent's calls."""

import base64
from datetime import datetime

from flask import Response, url_for
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field

from store.auth import token_branch
from store.branches import services as branches
from store.core.access import STAFF, Role
from store.core.api import Schema, api_blueprint, endpoint
from store.core.bounds import Text
from store.core.errors import NotFoundError
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


# ---------------------------------------------------------------- the print agent in a shop


class AgentClaimIn(Schema):
    printers: list[Text(64, min_length=1)] = Field(min_length=1, max_length=20)
    limit: int = Field(default=10, ge=1, le=50)


class AgentJobOut(BaseModel):
    id: int
    printer: str
    kind: str
    title: str
    payload: str  # the exact ESC/POS bytes, base64
    lease: datetime  # the claim: send it back with the outcome; after it, the job is due again


class AgentClaimOut(BaseModel):
    jobs: list[AgentJobOut]


class AgentDoneIn(Schema):
    ok: bool
    lease: datetime
    error: Text(500) = ""


class AgentDoneOut(BaseModel):
    recorded: bool  # False: the claim had lapsed (the job went to another agent) or was reported


@endpoint(
    bp,
    "/print-agent/claim",
    methods=["POST"],
    roles=STAFF,
    summary="A print agent takes the due jobs of its printers (each job to one agent, with a lease)",
    body=AgentClaimIn,
    response=AgentClaimOut,
)
def agent_claim(body: AgentClaimIn):
    """For a token with the scope "print": the shop's print agent (hardware/agent.py) pulls the jobs
    of the printers with the connection "agent" it names, prints them and reports each. A token of
    one branch gets only the jobs of that branch's printers."""
    printers = body.printers
    if (branch := token_branch()) is not None:
        own = {printer.name for printer in services.list_printers({branch})}
        printers = [name for name in printers if name in own]
    claims = services.agent_claim(printers, body.limit)
    jobs = []
    for held in claims:
        job = services.get_job(held.row_id)
        payload = base64.b64encode(job.payload).decode("ascii")
        jobs.append(
            AgentJobOut(
                id=job.id,
                printer=job.printer.name,
                kind=job.kind,
                title=job.title,
                payload=payload,
                lease=held.lease,
            )
        )
    return AgentClaimOut(jobs=jobs)


@endpoint(
    bp,
    "/print-jobs/<int:job_id>/done",
    methods=["POST"],
    roles=STAFF,
    summary="A print agent reports a job it claimed: printed, or failed with the error",
    body=AgentDoneIn,
    response=AgentDoneOut,
)
def agent_done(job_id: int, body: AgentDoneIn):
    branch = token_branch()
    if branch is not None and services.get_job(job_id).printer.branch_id != branch:
        raise NotFoundError(_("This print job does not exist."))  # another branch's job
    recorded = services.agent_done(job_id, body.lease, body.ok, body.error)
    return AgentDoneOut(recorded=recorded)
