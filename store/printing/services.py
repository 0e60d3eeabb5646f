"""Printers and the print queue: jobs are added inside the booking's transaction and sent after its
commit (at once by kick(), else by the print worker).

The queue runs on store.core.queue: a job is claimed with a conditional UPDATE (status "printing" and
a lease), so two workers never send the same job twice; a job whose printer fails goes back to pending
with a later next_attempt_at and the error kept for the screen. What is the printers' own is here: the
printer must be switched on, and how the bytes reach it (backend_for).
"""

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from hardware import BACKENDS, PrinterError, make_backend
from store.branches.services import is_branch
from store.core import queue
from store.core.access import PUBLIC, SIGNED_IN, allowed_roles, user_has_role
from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from store.core.rows import insert_now, related
from store.core.timeutil import as_utc, utcnow
from store.core.transaction import after_commit
from store.extensions import db
from store.printing.models import JobStatus, Printer, PrintJob

# How long a worker holds a job while printing; after that it is given back (the worker died).
CLAIM_LEASE = timedelta(minutes=2)
# A printer inside a shop's network that the server cannot reach: a print agent there pulls its jobs
# over the API (hardware/agent.py) and reports how they went; the workers leave them alone.
AGENT = "agent"
MAX_PAUSE_SECONDS = 600


def enqueue(
    actor: Actor,
    printer: Printer,
    kind: str,
    payload: bytes,
    *,
    title: str,
    ref: tuple[str, str] | None = None,
    now: datetime | None = None,
    claimed: bool = False,
) -> PrintJob:
    """Queue a job; it is sent once the caller has committed. `claimed`: the job is written claimed
    by this process, for a caller whose commit runs the after-commit hooks (a request): the wake-up
    prints it without claiming it first (queue.born_claimed)."""
    now = now or utcnow()
    claimed = claimed and printer.backend != AGENT  # an agent in the shop takes its jobs itself
    state = {"status": JobStatus.PENDING, "next_attempt_at": now}
    if claimed:
        state = queue.born_claimed(PRINT_QUEUE, now)
    if printer.id is None:
        db.session.flush()  # a printer made in this transaction
    job = PrintJob(
        printer_id=printer.id,
        kind=kind,
        title=title[:120],
        payload=payload,
        attempts=0,
        created_at=now,
        created_by_id=actor.user_id,
        ref_type=ref[0] if ref else None,
        ref_id=str(ref[1]) if ref else None,
        **state,
    )
    job.born_claim = state["next_attempt_at"] if claimed else None  # kept in memory for kick()
    insert_now(job)
    related(job, printer=printer)
    if claimed:
        ready = _prepare(job, now)  # in memory: the wake-up need not read the job back
        job.ready = ready if callable(ready) else None
    after_commit(kick, job)
    return job


def resend(actor: Actor, job: PrintJob, printer: Printer | None = None) -> PrintJob:
    """Send a job's bytes again (as a new job), e.g. after a paper jam or to another printer."""
    copy = enqueue(
        actor,
        printer or job.printer,
        job.kind,
        job.payload,
        title=job.title,
        ref=(job.ref_type, job.ref_id) if job.ref_type else None,
    )
    audit(actor, "print_job.resend", job, {"new_printer": copy.printer.name})
    return copy


def kick(jobs: list[PrintJob | int]) -> None:
    """Print committed jobs now, without making the request wait for the printer. Runs after the
    commit of every request that queued jobs (enqueue registers it).

    A thread sends them at once (PRINT_IN_REQUEST: the request itself, as in tests); what fails
    stays pending for the print worker to retry.
    """
    queue.wake(
        PRINT_QUEUE,
        [_row(job) for job in jobs],
        in_request=bool(current_app.config.get("PRINT_IN_REQUEST")),
    )


def _row(job: PrintJob | int) -> int | queue.Claim:
    """A committed job as the queue wakes it: its id, or the claim it was written with. Read from
    memory: the commit expired the job's columns, and loading them again would cost a SELECT."""
    if isinstance(job, int):
        return job
    job_id = sa.inspect(job).identity[0]
    lease = getattr(job, "born_claim", None)
    if not lease:
        return job_id
    return queue.Claim(job_id, lease, JobStatus.PRINTING, getattr(job, "ready", None))


def kick_due() -> None:
    """Send every job that is due now, as kick() does."""
    kick([job_id for job_id, _seen_at in queue.due(PRINT_QUEUE, utcnow(), 50)])


def get_job(job_id: int) -> PrintJob:
    job = db.session.get(PrintJob, job_id)
    if job is None:
        raise NotFoundError(_("This print job does not exist."))
    return job


# Who may read a job is who may read what it prints: the route that shows the printed thing, by
# kind (and, for reports, by what the report is of). Asked by endpoint name, so printing needs to
# know nothing of the till or the goods.
READ_AS = {
    "receipt": "till_receipts.sale",
    "drawer": "till_receipts.sale",
    "label": "goods.intake",
    "report": "till_office.closing",
    "test": "printing.printers",
}
FALLBACK_READER = "printing.jobs"


def reader_endpoint(job: PrintJob) -> str:
    """The route whose readers may read this job."""
    if job.kind == "report" and job.ref_type == "x_report":
        return "till_office.x_report"
    return READ_AS.get(job.kind, FALLBACK_READER)


def may_read(user, job: PrintJob) -> bool:
    """Whether `user` may see the job's bytes: only who may see what it prints (a trainee sees the
    till's receipts and labels, never a Z report with its counted cash)."""
    access = allowed_roles(current_app.view_functions.get(reader_endpoint(job)))
    return access is not None and access not in (PUBLIC, SIGNED_IN) and user_has_role(user, access)


def readable_job(user, job_id: int) -> PrintJob:
    """The job, if `user` may read it; else PermissionDeniedError (403)."""
    job = get_job(job_id)
    if not may_read(user, job):
        raise PermissionDeniedError(_("You are not allowed to see this print job."))
    return job


def job_branch_id(job_id: int) -> int | None:
    """The branch of a job's printer (None: no such job), for the views' branch guard."""
    return db.session.scalar(
        sa.select(Printer.branch_id)
        .join(PrintJob, PrintJob.printer_id == Printer.id)
        .where(PrintJob.id == job_id)
    )


def printer_branch_id(printer_id: int) -> int | None:
    return db.session.scalar(sa.select(Printer.branch_id).where(Printer.id == printer_id))


def list_jobs(
    limit: int = 100, status: JobStatus | None = None, branch_ids: set[int] | None = None
) -> list[PrintJob]:
    """The newest jobs (of the printers of these branches; None: of all)."""
    query = sa.select(PrintJob).order_by(PrintJob.id.desc()).limit(limit)
    if branch_ids is not None:
        query = query.join(Printer, PrintJob.printer_id == Printer.id).where(
            Printer.branch_id.in_(branch_ids)
        )
    if status is not None:
        query = query.where(PrintJob.status == status)
    return list(db.session.scalars(query))


def problems() -> list[PrintJob]:
    """Jobs that did not print yet although they were tried: shown on till and supervisor screens."""
    query = (
        sa.select(PrintJob)
        .where(PrintJob.status.in_([JobStatus.PENDING, JobStatus.FAILED]), PrintJob.attempts > 0)
        .order_by(PrintJob.id)
    )
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- sending


def backend_for(printer: Printer):
    params = dict(printer.params or {})
    if printer.backend == "virtual":
        params.setdefault(
            "folder", str(Path(current_app.instance_path) / "virtual-printers" / printer.name)
        )
    return make_backend(printer.backend, **params)


def _prepare(job: PrintJob, now: datetime) -> queue.Outcome | queue.Send:
    """Just before sending: the printer must be switched on. The connection and the bytes are read
    here, so sending them needs no database."""
    if not job.printer.is_active:
        return queue.Failed("printer is switched off in the settings")
    try:
        backend = backend_for(job.printer)
    except PrinterError as error:
        return queue.Failed(str(error))
    payload = job.payload

    def send() -> queue.Outcome:
        try:
            backend.send(payload)
        except PrinterError as error:
            return queue.Failed(str(error))
        return queue.Sent()

    return send


def _pause(attempts: int) -> float:
    """PRINT_RETRY_SECONDS, doubled after each failure: at most 64 times that, and 10 minutes."""
    base = current_app.config["PRINT_RETRY_SECONDS"]
    return queue.backoff(attempts, base, min(64 * base, MAX_PAUSE_SECONDS))


PRINT_QUEUE = queue.Queue(
    name="print job",
    model=PrintJob,
    pending=JobStatus.PENDING,
    working=JobStatus.PRINTING,
    done=JobStatus.DONE,
    failed=JobStatus.FAILED,
    prepare=_prepare,
    lease=lambda: CLAIM_LEASE,
    backoff=_pause,
    max_attempts=lambda: current_app.config["PRINT_MAX_ATTEMPTS"],
    done_at="printed_at",
    claimed_at="claimed_at",
    takes=lambda: ~PrintJob.printer_id.in_(sa.select(Printer.id).where(Printer.backend == AGENT)),
)


def process_due_jobs(now: datetime | None = None, limit: int = 20) -> int:
    """Send jobs that are due. Commits after each job. Returns how many were sent."""
    return queue.work_due(PRINT_QUEUE, now=now, limit=limit)


def send_job(job_id: int, now: datetime | None = None) -> bool:
    """Claim one pending job and send it at once. Commits. True if it printed."""
    return queue.work_one(PRINT_QUEUE, job_id, now=now)


def run_worker(poll_seconds: float = 1.0, once: bool = False) -> None:
    """The print worker loop (flask --app store print-worker)."""
    queue.run_worker(
        lambda limit: process_due_jobs(limit=limit),
        name="print",
        poll_seconds=poll_seconds,
        once=once,
        limit=20,
    )


# ---------------------------------------------------------------- the print agent


def agent_queue(printers: list[Printer]) -> queue.Queue:
    """The print queue as a print agent takes it: the jobs of these agent printers only."""
    ids = [printer.id for printer in printers]
    return dataclasses.replace(PRINT_QUEUE, takes=lambda: PrintJob.printer_id.in_(ids))


def agent_printers(names: list[str]) -> list[Printer]:
    """The agent printers of these names; another printer, or an unknown name, is refused."""
    found = db.session.scalars(sa.select(Printer).where(Printer.name.in_(names))).all()
    agents = [printer for printer in found if printer.backend == AGENT]
    missing = sorted(set(names) - {printer.name for printer in agents})
    if missing:
        raise ValidationError(
            _("These are no printers of a print agent: %(names)s", names=", ".join(missing)),
            field="printers",
        )
    return agents


def agent_claim(names: list[str], limit: int, now: datetime | None = None) -> list[queue.Claim]:
    """Claim up to `limit` due jobs of these agent printers for a print agent, each with a lease
    (as a worker's claim: SKIP LOCKED on PostgreSQL, so two agents never get the same job). Only
    active printers; a job whose lease lapses (the agent went away) is due again. Commits."""
    now = as_utc(now)
    active = [printer for printer in agent_printers(names) if printer.is_active]
    if not active:
        return []
    jobs = agent_queue(active)
    queue.give_back_lapsed(jobs, now)
    db.session.commit()
    claims: list[queue.Claim] = []
    while len(claims) < limit:
        held = queue.claim_next(jobs, now, [c.row_id for c in claims])
        if held is None:
            break
        claims.append(held)
    return claims


def agent_done(
    job_id: int, lease: datetime, ok: bool, error: str = "", now: datetime | None = None
) -> bool:
    """What the agent reports of a job it claimed (`lease`: the claim's, as it got it). Printed:
    done; failed: tried again after the back-off like any job. Only while the claim holds (False if
    it lapsed and the job went to someone else, or it was reported already). Commits."""
    job = db.session.get(PrintJob, job_id)
    if job is None or job.printer.backend != AGENT:
        raise NotFoundError(_("This print job does not exist."))
    held = queue.Claim(job_id, as_utc(lease), JobStatus.PRINTING)
    outcome = queue.Sent() if ok else queue.Failed(error or "the print agent could not print")
    return queue.report(PRINT_QUEUE, held, outcome, now=now)


# ---------------------------------------------------------------- printers


def list_printers(branch_ids: set[int] | None = None) -> list[Printer]:
    query = sa.select(Printer).order_by(Printer.name)
    if branch_ids is not None:
        query = query.where(Printer.branch_id.in_(branch_ids))
    return list(db.session.scalars(query))


def save_printer(
    actor: Actor,
    printer: Printer | None,
    *,
    name: str,
    backend: str,
    params: dict,
    codepage: str = "CP858",
    columns: int = 48,
    is_active: bool = True,
    branch_id: int | None = None,
) -> Printer:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Please give the printer a name."), field="name")
    if backend not in BACKENDS and backend != AGENT:
        raise ValidationError(_("Unknown printer connection."), field="backend")
    clash = db.session.scalar(sa.select(Printer.id).where(Printer.name == name))
    if clash and (printer is None or clash != printer.id):
        raise ValidationError(_("A printer with this name exists already."), field="name")
    if printer is None:
        printer = Printer()
        db.session.add(printer)
    printer.name, printer.backend, printer.params = name, backend, params
    printer.codepage, printer.columns, printer.is_active = codepage, columns, is_active
    if branch_id is not None and not is_branch(branch_id):
        raise ValidationError(_("There is no such branch."), field="branch_id")
    if branch_id is not None:  # None: a new printer stands in the first branch, a saved one stays
        printer.branch_id = branch_id
    audit(actor, "printer.save", printer, {"name": name, "backend": backend, "params": params})
    return printer


def jobs_for(ref: tuple[str, str]) -> list[PrintJob]:
    """The jobs printed for one thing (an item's labels, a sale's receipts)."""
    query = sa.select(PrintJob).where(PrintJob.ref_type == ref[0], PrintJob.ref_id == ref[1])
    return list(db.session.scalars(query.order_by(PrintJob.id)))


# Which printer a device uses: areas that own devices (the till) register a lookup
# (device id, "receipt" | "label") → Printer | None, so printing needs to know nothing of them.
DEVICE_LOOKUPS: list = []


def register_device_lookup(lookup) -> None:
    if lookup not in DEVICE_LOOKUPS:
        DEVICE_LOOKUPS.append(lookup)


def device_printer(device_id: int, kind: str) -> Printer | None:
    for lookup in DEVICE_LOOKUPS:
        printer = lookup(device_id, kind)
        if printer is not None:
            return printer
    return None
