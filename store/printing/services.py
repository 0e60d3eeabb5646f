"""The print queue: jobs are added inside the booking's transaction and sent after its commit.

A job is claimed with a conditional UPDATE, so two workers never send the same job twice; a job whose
printer fails goes back to pending with a later next_attempt_at and the error kept for the screen.
"""

import logging
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from hardware import BACKENDS, PrinterError, make_backend
from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, ValidationError
from store.core.timeutil import utcnow
from store.core.transaction import after_commit
from store.extensions import db
from store.printing.models import JobStatus, Printer, PrintJob

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=2)  # a worker that died while printing


def enqueue(
    actor: Actor,
    printer: Printer,
    kind: str,
    payload: bytes,
    *,
    title: str,
    ref: tuple[str, str] | None = None,
    now: datetime | None = None,
) -> PrintJob:
    """Queue a job; it is sent once the caller has committed."""
    now = now or utcnow()
    job = PrintJob(
        printer=printer,
        kind=kind,
        title=title[:120],
        payload=payload,
        status=JobStatus.PENDING,
        attempts=0,
        created_at=now,
        created_by_id=actor.user_id,
        next_attempt_at=now,
        ref_type=ref[0] if ref else None,
        ref_id=str(ref[1]) if ref else None,
    )
    db.session.add(job)
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
    commit of every request that queued jobs.

    A thread sends them at once; what fails stays pending for the print worker to retry.
    """
    job_ids = [job if isinstance(job, int) else job.id for job in jobs]
    if not job_ids:
        return
    app = current_app._get_current_object()
    if app.config.get("PRINT_IN_REQUEST"):
        for job_id in job_ids:
            send_job(job_id)
        return

    def run():
        with app.app_context():
            try:
                for job_id in job_ids:
                    send_job(job_id)
            except Exception:  # noqa: BLE001 - the worker retries; a thread must not die loudly
                log.exception("printing jobs %s failed", job_ids)
            finally:
                db.session.remove()

    threading.Thread(target=run, name="print-kick", daemon=True).start()


def kick_due() -> None:
    """Send every job that is due now (after a commit that queued some), as kick() does."""
    due = db.session.scalars(
        sa.select(PrintJob.id)
        .where(PrintJob.status == JobStatus.PENDING, PrintJob.next_attempt_at <= utcnow())
        .order_by(PrintJob.id)
        .limit(50)
    ).all()
    kick(list(due))


def get_job(job_id: int) -> PrintJob:
    job = db.session.get(PrintJob, job_id)
    if job is None:
        raise NotFoundError(_("This print job does not exist."))
    return job


def list_jobs(limit: int = 100, status: JobStatus | None = None) -> list[PrintJob]:
    query = sa.select(PrintJob).order_by(PrintJob.id.desc()).limit(limit)
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


def process_due_jobs(now: datetime | None = None, limit: int = 20) -> int:
    """Send jobs that are due. Commits after each job. Returns how many were sent."""
    now = now or utcnow()
    db.session.execute(  # give back jobs of a worker that died mid-print
        sa.update(PrintJob)
        .where(PrintJob.status == JobStatus.PRINTING, PrintJob.claimed_at < now - STALE_CLAIM)
        .values(status=JobStatus.PENDING)
    )
    db.session.commit()
    due = db.session.scalars(
        sa.select(PrintJob.id)
        .where(PrintJob.status == JobStatus.PENDING, PrintJob.next_attempt_at <= now)
        .order_by(PrintJob.id)
        .limit(limit)
    ).all()
    sent = 0
    for job_id in due:
        sent += send_job(job_id, now=now)
    return sent


def send_job(job_id: int, now: datetime | None = None) -> bool:
    """Claim one job and send it. Commits. True if it printed."""
    now = now or utcnow()
    claimed = db.session.execute(
        sa.update(PrintJob)
        .where(PrintJob.id == job_id, PrintJob.status == JobStatus.PENDING)
        .values(status=JobStatus.PRINTING, claimed_at=now, attempts=PrintJob.attempts + 1)
    ).rowcount
    db.session.commit()
    if not claimed:
        return False
    job = db.session.get(PrintJob, job_id)
    try:
        if not job.printer.is_active:
            raise PrinterError("printer is switched off in the settings")
        backend_for(job.printer).send(job.payload)
    except PrinterError as error:
        cfg = current_app.config
        give_up = cfg["PRINT_MAX_ATTEMPTS"] and job.attempts >= cfg["PRINT_MAX_ATTEMPTS"]
        job.status = JobStatus.FAILED if give_up else JobStatus.PENDING
        job.last_error = str(error)[:500]
        delay = min(cfg["PRINT_RETRY_SECONDS"] * 2 ** min(job.attempts - 1, 6), 600)
        job.next_attempt_at = utcnow() + timedelta(seconds=delay)
        log.warning("print job %s on %s failed: %s", job.id, job.printer.name, error)
        db.session.commit()
        return False
    job.status = JobStatus.DONE
    job.printed_at = utcnow()
    job.last_error = None
    db.session.commit()
    return True


def run_worker(poll_seconds: float = 1.0, once: bool = False) -> None:
    """The print worker loop (flask --app store print-worker)."""
    while True:
        try:
            process_due_jobs()
        except Exception:  # noqa: BLE001 - the worker must outlive a bad job or a DB restart
            db.session.rollback()
            log.exception("print worker round failed")
        if once:
            return
        time.sleep(poll_seconds)


# ---------------------------------------------------------------- printers


def list_printers() -> list[Printer]:
    return list(db.session.scalars(sa.select(Printer).order_by(Printer.name)))


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
) -> Printer:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Please give the printer a name."), field="name")
    if backend not in BACKENDS:
        raise ValidationError(_("Unknown printer connection."), field="backend")
    clash = db.session.scalar(sa.select(Printer.id).where(Printer.name == name))
    if clash and (printer is None or clash != printer.id):
        raise ValidationError(_("A printer with this name exists already."), field="name")
    if printer is None:
        printer = Printer()
        db.session.add(printer)
    printer.name, printer.backend, printer.params = name, backend, params
    printer.codepage, printer.columns, printer.is_active = codepage, columns, is_active
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
