"""The print agent in a shop pulls its printers' jobs from a live server over real HTTP, prints each
once, and reports; the server's workers leave those jobs alone."""

import threading

import pytest
import requests
import sqlalchemy as sa
from werkzeug.serving import make_server

from hardware import agent as shop_agent
from hardware.backends import VirtualBackend
from store.auth import services as auth
from store.core.audit import Actor
from store.extensions import db
from store.printing import services as printing
from store.printing.models import JobStatus, PrintJob


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def agent_printer(app):
    printer = printing.save_printer(
        Actor.system(), None, name="Bon Filiale A", backend="agent", params={}
    )
    db.session.commit()
    return printer


@pytest.fixture
def print_token(app, make_user):
    user = make_user("supervisor", username="agent-a")
    _token, plain = auth.create_api_token(Actor.system(), user, "Druckagent A", scope="print")
    db.session.commit()
    return plain


class Paper:
    """A printer that keeps what it printed (and can be out of paper)."""

    def __init__(self):
        self.printed: list[bytes] = []
        self.lock = threading.Lock()
        self.empty = False

    def send(self, data: bytes) -> None:
        if self.empty:
            raise shop_agent.PrinterError("paper out")
        with self.lock:
            self.printed.append(data)


def jobs(printer, n: int) -> list[bytes]:
    payloads = [f"Bon {i}\n".encode() for i in range(n)]
    for payload in payloads:
        printing.enqueue(Actor.system(), printer, "receipt", payload, title="Bon")
    db.session.commit()
    return payloads


def make_agent(url, token, paper, tmp_path, name="a") -> shop_agent.Agent:
    journal = shop_agent.Journal.open(tmp_path / f"{name}.json")
    return shop_agent.Agent(url, token, {"Bon Filiale A": paper}, journal, timeout=10)


def test_the_agent_prints_over_https_and_the_workers_leave_its_jobs(
    app, live_server, agent_printer, print_token, tmp_path, monkeypatch
):
    payloads = jobs(agent_printer, 3)
    assert printing.process_due_jobs() == 0  # the server cannot reach the shop's printer
    assert printing.kick_due() is None
    db.session.expire_all()
    assert {j.status for j in db.session.scalars(sa.select(PrintJob))} == {JobStatus.PENDING}

    printed = []
    monkeypatch.setattr(VirtualBackend, "send", lambda self, data: printed.append(data))
    name, backend, settings = shop_agent.parse_printer(f"Bon Filiale A=virtual:folder={tmp_path / 'v'}")
    journal = shop_agent.Journal.open(tmp_path / "journal.json")
    agent = shop_agent.Agent(
        live_server, print_token, {name: shop_agent.make_backend(backend, **settings)}, journal
    )
    agent.run(once=True)
    assert sorted(printed) == sorted(payloads)
    db.session.expire_all()
    rows = db.session.scalars(sa.select(PrintJob)).all()
    assert {(row.status, row.attempts) for row in rows} == {(JobStatus.DONE, 1)}
    agent.run(once=True)
    assert len(printed) == 3  # nothing twice
    assert journal.unreported == {}


def test_two_agents_pulling_at_once_print_each_job_once(
    app, live_server, agent_printer, print_token, tmp_path
):
    payloads = jobs(agent_printer, 40)
    paper = Paper()
    agents = [make_agent(live_server, print_token, paper, tmp_path, name) for name in ("a", "b")]
    barrier = threading.Barrier(2)

    def pull(agent):
        barrier.wait()
        while agent.round(limit=3):
            pass

    threads = [threading.Thread(target=pull, args=(a,)) for a in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(paper.printed) == sorted(payloads)  # each exactly once
    db.session.expire_all()
    assert {row.status for row in db.session.scalars(sa.select(PrintJob))} == {JobStatus.DONE}


def test_a_failed_print_is_retried_and_a_lost_report_is_not_printed_again(
    app, live_server, agent_printer, print_token, tmp_path
):
    (payload,) = jobs(agent_printer, 1)
    paper = Paper()
    paper.empty = True
    agent = make_agent(live_server, print_token, paper, tmp_path)
    agent.run(once=True)
    job = db.session.scalar(sa.select(PrintJob))
    db.session.refresh(job)
    assert (job.status, job.attempts, job.last_error) == (JobStatus.PENDING, 1, "paper out")

    paper.empty = False  # paper back in; PRINT_RETRY_SECONDS is 0 in tests: due again at once
    real_post = agent._post

    def server_away_for_reports(path, body):
        if path.endswith("/done"):
            raise shop_agent.ServerAway("connection refused")
        return real_post(path, body)

    agent._post = server_away_for_reports
    agent.run(once=True)  # printed, the report did not arrive
    assert paper.printed == [payload]
    assert list(agent.journal.unreported) == [str(job.id)]

    agent._post = real_post
    reopened = make_agent(live_server, print_token, paper, tmp_path)  # the agent restarted
    reopened.run(once=True)
    assert paper.printed == [payload]  # reported from the journal, not printed again
    db.session.refresh(job)
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)


def test_a_print_token_does_only_print(app, live_server, agent_printer, print_token, client):
    headers = {"Authorization": f"Bearer {print_token}"}
    assert (
        requests.get(f"{live_server}/api/v1/print-jobs", headers=headers, timeout=10).status_code == 403
    )
    assert (
        requests.post(f"{live_server}/api/v1/sales", json={}, headers=headers, timeout=10).status_code
        == 403
    )
    claim = requests.post(
        f"{live_server}/api/v1/print-agent/claim",
        json={"printers": ["Bon Filiale A"]},
        headers=headers,
        timeout=10,
    )
    assert claim.status_code == 200 and claim.json() == {"jobs": []}


def test_an_agent_may_only_claim_agent_printers(app, live_server, shop, print_token):
    answer = requests.post(
        f"{live_server}/api/v1/print-agent/claim",
        json={"printers": [shop.till.receipt_printer.name]},
        headers={"Authorization": f"Bearer {print_token}"},
        timeout=10,
    )
    assert answer.status_code == 422
    too_many = requests.post(
        f"{live_server}/api/v1/print-agent/claim",
        json={"printers": ["x"] * 21},
        headers={"Authorization": f"Bearer {print_token}"},
        timeout=10,
    )
    assert too_many.status_code == 422


def test_parse_printer():
    assert shop_agent.parse_printer("Bon A=network:host=192.168.1.5,port=9100") == (
        "Bon A",
        "network",
        {"host": "192.168.1.5", "port": "9100"},
    )
    with pytest.raises(ValueError):
        shop_agent.parse_printer("Bon A=laser")


def test_a_sale_at_a_till_printing_through_an_agent_leaves_its_receipt_to_the_agent(
    app, client, shop, api_token, live_server, print_token, tmp_path
):
    """A request writes its receipt claimed for its own wake-up, but never for an agent's printer:
    the agent in the shop takes it at once."""
    shop.till.receipt_printer.backend = "agent"
    shop.till.receipt_printer.name = "Bon Filiale A"
    db.session.commit()
    body = {
        "id": "6a0f5d1e-2b7c-4e93-a8d4-1c9e7b3f5a20",
        "till": shop.till.id,
        "lines": [{"code": shop.items[0].code}],
        "payments": [{"method": "cash", "amount_cents": 2000}],
    }
    assert client.post("/api/v1/sales", json=body, headers=api_token(shop.cashier)).status_code == 201
    job = db.session.scalar(sa.select(PrintJob).where(PrintJob.kind == "receipt"))
    assert job.status == JobStatus.PENDING and job.attempts == 0  # not the server's to print
    paper = Paper()
    make_agent(live_server, print_token, paper, tmp_path).round()
    db.session.refresh(job)
    assert job.status == JobStatus.DONE and len(paper.printed) == 1
