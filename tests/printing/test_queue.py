"""Printers fail; the booking stays, the job waits, retries and prints later with the same bytes."""

import time
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


# ---------------------------------------------------------------- the queue core under the print queue


def _receipt_job(shop) -> PrintJob:
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 2000)])
    db.session.commit()
    return db.session.scalar(sa.select(PrintJob).where(PrintJob.kind == "receipt"))


def test_a_worker_that_died_while_printing_loses_its_claim_and_nothing_else(app, shop):
    from store.core import queue

    job = _receipt_job(shop)
    start = utcnow()
    held = queue.claim(printing.PRINT_QUEUE, job.id, start)  # worker A takes it, then dies
    db.session.refresh(job)
    assert held is not None and job.status == JobStatus.PRINTING and job.claimed_at is not None
    assert printing.send_job(job.id) is False  # nobody else sends it while the claim holds
    printing.process_due_jobs(now=start + timedelta(minutes=1))
    db.session.refresh(job)
    assert job.status == JobStatus.PRINTING

    # After the lease the job is given back and printed by the next round …
    printing.process_due_jobs(now=start + printing.CLAIM_LEASE + timedelta(seconds=1))
    db.session.refresh(job)
    assert job.status == JobStatus.DONE and job.attempts == 1
    # … and what worker A might still write is not recorded over it.
    late = queue.Failed("paper out")
    assert not queue.record(
        printing.PRINT_QUEUE, held, {"status": JobStatus.PENDING, "last_error": late.error}
    )
    db.session.refresh(job)
    assert job.status == JobStatus.DONE and job.last_error is None


def test_a_switched_off_printer_is_a_failed_attempt_and_the_job_gives_up_at_the_maximum(app, shop):
    app.config["PRINT_MAX_ATTEMPTS"] = 2
    job = _receipt_job(shop)
    shop.till.receipt_printer.is_active = False
    db.session.commit()
    assert printing.send_job(job.id) is False
    db.session.refresh(job)
    assert job.status == JobStatus.PENDING and job.attempts == 1
    assert job.last_error == "printer is switched off in the settings"
    printing.process_due_jobs(now=utcnow() + timedelta(minutes=5))
    db.session.refresh(job)
    assert job.status == JobStatus.FAILED and job.attempts == 2
    assert job in printing.problems()


def test_the_pause_between_attempts_doubles_and_is_capped(app):
    app.config["PRINT_RETRY_SECONDS"] = 10
    assert [printing._pause(n) for n in (1, 2, 3, 4, 7, 8, 30)] == [10, 20, 40, 80, 600, 600, 600]
    app.config["PRINT_RETRY_SECONDS"] = 2
    assert [printing._pause(n) for n in (1, 7, 8, 30)] == [2, 128, 128, 128]  # 64 × the first


def test_the_print_worker_loop_survives_a_failing_round(app, monkeypatch, caplog):
    def broken(**_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(printing, "process_due_jobs", broken)
    printing.run_worker(once=True)
    assert "print worker round failed" in caplog.text


def test_a_job_sent_again_from_the_page_prints_after_the_commit(client, shop, login):
    job = _receipt_job(shop)
    login(shop.supervisor)
    response = client.post(f"/print-jobs/{job.id}/resend")
    assert response.status_code == 302
    copies = db.session.scalars(
        sa.select(PrintJob).where(PrintJob.id != job.id, PrintJob.kind == "receipt")
    )
    [copy] = copies.all()
    assert copy.status == JobStatus.DONE and copy.payload == job.payload


def test_sent_again_goes_back_to_the_page_it_came_from_on_this_site_only(client, shop, login):
    job = _receipt_job(shop)
    login(shop.supervisor)
    url = f"/print-jobs/{job.id}/resend"
    here = client.post(url, headers={"Referer": "http://localhost/print-jobs?status=pending"})
    assert here.headers["Location"] == "/print-jobs?status=pending"
    away = client.post(url, headers={"Referer": "https://evil.example/phish"})
    assert away.headers["Location"] == "/print-jobs"


def test_the_test_page_is_printed_at_once_and_a_failure_shown(app, client, shop, make_user, login):
    printer = shop.till.receipt_printer
    login(make_user("admin"))
    response = client.post(f"/admin/printers/{printer.id}/test", follow_redirects=True)
    test_job = db.session.scalar(sa.select(PrintJob).where(PrintJob.kind == "test"))
    assert test_job.status == JobStatus.DONE and test_job.attempts == 1
    offline_flag(app, printer).touch()
    page = client.post(f"/admin/printers/{printer.id}/test", follow_redirects=True)
    failed = db.session.scalars(sa.select(PrintJob).where(PrintJob.kind == "test")).all()[-1]
    assert failed.status == JobStatus.PENDING and failed.attempts == 1
    assert "switched off" in page.get_data(as_text=True)
    assert response.status_code == 200


def test_without_print_in_request_a_thread_prints_after_the_commit(app, client, shop, login):
    app.config["PRINT_IN_REQUEST"] = False
    job = _receipt_job(shop)
    login(shop.supervisor)
    assert client.post(f"/print-jobs/{job.id}/resend").status_code == 302
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        db.session.expire_all()
        copy = db.session.scalar(
            sa.select(PrintJob).where(PrintJob.id > job.id, PrintJob.kind == "receipt")
        )
        if copy is not None and copy.status == JobStatus.DONE:
            break
        time.sleep(0.05)
    assert copy is not None and copy.status == JobStatus.DONE and copy.attempts == 1


def _sold_by_the_api(client, shop, api_token, afterwards=lambda: None) -> PrintJob:
    """One item sold through the API (`afterwards` is called once it is answered); its receipt's
    print job."""
    body = {
        "id": "4f1c2a9e-0d5b-4e8a-9c61-3b2f7d8e1a05",
        "till": shop.till.id,
        "lines": [{"code": shop.items[0].code}],
        "payments": [{"method": "cash", "amount_cents": 2000}],
    }
    assert client.post("/api/v1/sales", json=body, headers=api_token(shop.cashier)).status_code == 201
    afterwards()
    return db.session.scalar(sa.select(PrintJob).where(PrintJob.kind == "receipt"))


def test_a_receipt_written_claimed_by_a_request_that_died_is_printed_after_its_lease(
    app, client, shop, api_token, monkeypatch
):
    """A sale's request writes its receipt job already claimed (its wake-up prints it without a claim
    of its own). If the process dies before the wake-up, the worker prints it once the lease lapsed."""
    from store.core import queue

    monkeypatch.setattr(queue, "wake", lambda *args, **kwargs: None)  # died right after the commit
    job = _sold_by_the_api(client, shop, api_token)
    assert job.status == JobStatus.PRINTING and job.claimed_at is not None
    lease = job.next_attempt_at
    printing.process_due_jobs(now=lease - timedelta(seconds=1))
    db.session.refresh(job)
    assert job.status == JobStatus.PRINTING  # nobody prints it while the claim holds
    printing.process_due_jobs(now=lease + timedelta(seconds=1))
    db.session.refresh(job)
    assert job.status == JobStatus.DONE and job.attempts == 1


def test_the_wake_up_prints_a_receipt_written_claimed_once(app, client, shop, api_token):
    job = _sold_by_the_api(client, shop, api_token)
    assert job.status == JobStatus.DONE and job.attempts == 1
    assert printing.send_job(job.id) is False  # done: nobody sends it again


def test_a_wake_up_in_a_request_starts_once_the_answer_is_sent(app):
    """The thread that prints a sale's receipt shares the process with the request: it waits until the
    server has sent the answer (and closes the response), so the till is answered first."""
    from store.core import queue

    with app.test_request_context("/api/v1/sales", method="POST"):
        answered = queue._answered()
        response = app.process_response(app.response_class("{}"))
        assert not answered.is_set()  # built, not sent
        response.close()  # what the server does after the last byte
        assert answered.is_set()
    with app.app_context():
        assert queue._answered().is_set()  # outside a request (a worker): at once


def test_the_wake_up_prints_a_sales_receipt_without_reading_the_job_back(app, client, shop, api_token):
    """What to send was prepared in memory before the commit: the wake-up only sends and records."""
    seen = []

    def note(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()[:4]))

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        _sold_by_the_api(client, shop, api_token, afterwards=lambda: seen.append("END"))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    job = db.session.scalar(sa.select(PrintJob).where(PrintJob.kind == "receipt"))
    seen = seen[: seen.index("END")]
    assert job.status == JobStatus.DONE and job.attempts == 1
    after_insert = seen[[n for n, s in enumerate(seen) if s.startswith("INSERT INTO print_job")][0] :]
    assert not [s for s in after_insert if s.startswith("SELECT")], after_insert
    assert [s for s in after_insert if s.startswith("UPDATE print_job")], after_insert


def test_a_prepared_job_whose_lease_is_old_is_read_back_and_left_to_the_worker(app, shop):
    """A wake-up that comes late (its lease half gone) trusts nothing in memory: it reads the row,
    and a row a worker took over meanwhile is not sent twice."""
    from store.core import queue

    job = _receipt_job(shop)
    sent = []
    late = queue.Claim(
        job.id, utcnow() - timedelta(seconds=1), JobStatus.PRINTING, lambda: sent.append(1)
    )
    assert queue.work_claimed(printing.PRINT_QUEUE, late) is False
    assert sent == []
