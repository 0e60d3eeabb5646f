"""Printers fail; the booking stays, the job waits, retries and prints later with the same bytes."""

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from store.core.timeutil import utcnow
from store.extensions import db
from store.printing import services as printing
from store.printing.models import JobStatus, PrintJob
from store.till import services as t
from store.till.models import Sale


def offline_flag(app, printer) -> Path:
    return Path(app.instance_path) / "virtual-printers" / printer.name / "OFFLINE"


def test_printer_failure_loses_nothing(app, shop):
    printer = shop.till.receipt_printer
    flag = offline_flag(app, printer)
    flag.parent.mkdir(parents=True, exist_ok=True)
    flag.touch()  # paper out

    t.add_code(shop.actor, shop.till, shop.items[0].code)
    sale, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 2000)])
    db.session.commit()
    printing.process_due_jobs()

    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sale)) == 1
    receipt = db.session.scalar(sa.select(PrintJob).where(PrintJob.kind == "receipt"))
    assert receipt.status == JobStatus.PENDING and receipt.attempts == 1
    assert "switched off" in receipt.last_error
    assert receipt in printing.problems()
    payload = receipt.payload

    # retried later (the back-off moved next_attempt_at), still failing: still kept
    printing.process_due_jobs(now=utcnow() + timedelta(minutes=5))
    db.session.refresh(receipt)
    assert receipt.attempts == 2 and receipt.status == JobStatus.PENDING

    flag.unlink()  # paper back in
    printing.process_due_jobs(now=utcnow() + timedelta(minutes=30))
    db.session.refresh(receipt)
    assert receipt.status == JobStatus.DONE and receipt.payload == payload
    assert receipt not in printing.problems()


def test_two_workers_never_print_a_job_twice(app, shop):
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 2000)])
    db.session.commit()
    job = db.session.scalar(sa.select(PrintJob).where(PrintJob.kind == "receipt"))
    assert printing.send_job(job.id) is True
    assert printing.send_job(job.id) is False  # already claimed and printed
    db.session.refresh(job)
    assert job.attempts == 1


def test_resend_makes_a_new_job_with_the_same_bytes(app, shop):
    from store.core.audit import Actor

    t.add_code(shop.actor, shop.till, shop.items[0].code)
    t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 2000)])
    db.session.commit()
    job = db.session.scalar(sa.select(PrintJob).where(PrintJob.kind == "receipt"))
    copy = printing.resend(Actor.system(), job)
    db.session.commit()
    assert copy.id != job.id and copy.payload == job.payload and copy.status == JobStatus.PENDING


def test_print_jobs_api_lists_bytes_link(client, shop, api_token):
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 2000)])
    db.session.commit()
    headers = api_token(shop.supervisor)
    jobs = client.get("/api/v1/print-jobs", headers=headers).json["print_jobs"]
    receipt = next(j for j in jobs if j["kind"] == "receipt")
    assert receipt["printer"] == "Bondrucker 1" and receipt["status"] == "pending"
    raw = client.get(receipt["bytes_url"], headers=headers)
    assert raw.status_code == 200 and raw.data.startswith(b"\x1bt")
