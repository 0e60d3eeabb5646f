"""Partner sync: events from real bookings go out signed to a real HTTP receiver on loopback,
survive a receiver that is down, arrive once each, and stop when consent is withdrawn."""

import base64
import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from store.core.audit import Actor, AuditEntry
from store.core.errors import ValidationError
from store.core.timeutil import local_today, utcnow
from store.extensions import db
from store.network import outbox, services
from store.network.models import Delivery, DeliveryStatus, OutboxEvent
from store.shifts import services as shifts
from store.skills import services as skills
from tests.network.conftest import SECRET


@pytest.fixture
def app_config():
    # Small back-off and timeout: the tests move `now` instead of waiting.
    return {
        "OUTBOX_BACKOFF_SECONDS": 1,
        "OUTBOX_BACKOFF_MAX_SECONDS": 8,
        "OUTBOX_MAX_ATTEMPTS": 5,
        "OUTBOX_TIMEOUT_SECONDS": 0.5,
    }


class Receiver:
    """A partner's endpoint on 127.0.0.1. It answers the first requests as `plan` says
    ("503": refuse, "slow": answer 503 only after the client gave up), then stores each event
    and answers 200; a repeated event id is acknowledged but not stored again."""

    def __init__(self, secret: str = SECRET, plan: list[str] | None = None, always: str = "ok"):
        self.secret = secret
        self.plan = list(plan or [])
        self.always = always
        self.seen: list[dict] = []  # every request: headers, body, answer
        self.stored: dict[str, dict] = {}  # event id → body, as a partner keeps it
        self.acknowledged: Counter = Counter()  # event id → 2xx answers given
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/kaufhaus/events"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.handle(self, body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Nobody listens on the port any more: connections are refused."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        headers = dict(handler.headers.items())
        with self.lock:
            step = self.plan.pop(0) if self.plan else self.always
        if step == "slow":
            time.sleep(0.8)  # longer than OUTBOX_TIMEOUT_SECONDS
            step = "503"
        signed = check_signature(self.secret, headers, body)
        if not signed:
            answer = 401
        elif step == "503":
            answer = 503
        else:
            answer = 200
            event = json.loads(body)
            with self.lock:
                self.stored.setdefault(event["id"], event)
                self.acknowledged[event["id"]] += 1
        with self.lock:
            self.seen.append({"headers": headers, "body": body, "answer": answer, "at": time.time()})
        try:
            handler.send_response(answer)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        except OSError:
            pass  # the client gave up (timeout) and closed the connection

    def answers(self) -> Counter:
        return Counter(r["answer"] for r in self.seen)

    def wait_for(self, n: int, seconds: float = 3.0) -> None:
        """Until n requests were answered (a slow one finishes after the client gave up)."""
        deadline = time.monotonic() + seconds
        while len(self.seen) < n and time.monotonic() < deadline:
            time.sleep(0.02)


def check_signature(secret: str, headers: dict, body: bytes) -> bool:
    """The partner's check, with the Standard Webhooks library as a partner would use it
    (independently of store.network.outbox): the secret's bytes are the key."""
    try:
        Webhook(secret.encode()).verify(body, headers)
    except WebhookVerificationError:
        return False
    return True


@pytest.fixture
def receiver():
    made: list[Receiver] = []

    def make(**kwargs) -> Receiver:
        r = Receiver(**kwargs).start()
        made.append(r)
        return r

    yield make
    for r in made:
        r.stop()


def admin_actor(net) -> Actor:
    return Actor(user=net.admin, source="web")


def connect(net, partner, url: str, events=services.EVENT_TYPES, secret: str = SECRET):
    """Give a partner of the fixture an endpoint (as an admin does)."""
    services.save_partner(
        admin_actor(net),
        partner,
        name=partner.name,
        kind=partner.kind,
        contact=partner.contact,
        url=url,
        secret=secret,
        events=events,
    )
    db.session.commit()
    return partner


def consent(net, user, partner, scopes=("hours", "skills", "exit"), given_on=date(2026, 1, 5)):
    given = services.give_consent(
        net.coord, user, partner_id=partner.id, scopes=list(scopes), given_on=given_on
    )
    db.session.commit()
    return given


def book_day(net, user, day: date, minutes: int = 240):
    entry = shifts.confirm_attendance(net.sup, user, day, "present", minutes=minutes)
    db.session.commit()
    return entry


def deliveries(**where) -> list[Delivery]:
    db.session.expire_all()
    query = sa.select(Delivery).order_by(Delivery.id)
    for key, value in where.items():
        query = query.where(getattr(Delivery, key) == value)
    return list(db.session.scalars(query))


def run_until_quiet(
    start: datetime | None = None, step: timedelta = timedelta(seconds=10), rounds: int = 40
) -> datetime:
    """Call the worker again and again with its clock moved forward until nothing is pending."""
    now = start or utcnow()
    for _ in range(rounds):
        outbox.deliver_due(now=now)
        if not deliveries(status=DeliveryStatus.PENDING):
            return now
        now += step
    raise AssertionError("deliveries still pending")


# ---------------------------------------------------------------- signing


def test_sign_and_verify():
    # Standard Webhooks (changed from X-Kaufhaus-Signature on purpose, issue 15): the signature
    # covers "<id>.<timestamp>.<body>" and is base64.
    body = b'{"id":"x","type":"month.closed"}'
    t = 1_780_000_000
    headers = outbox.sign("s3cret-s3cret-s3cret", body, t, "evt_1")
    mac = hmac.new(b"s3cret-s3cret-s3cret", b"evt_1.1780000000." + body, hashlib.sha256).digest()
    expected = base64.b64encode(mac).decode()
    assert headers == {
        "webhook-id": "evt_1",
        "webhook-timestamp": "1780000000",
        "webhook-signature": f"v1,{expected}",
    }
    assert outbox.verify("s3cret-s3cret-s3cret", headers, body, now=t + 10)
    assert outbox.verify("s3cret-s3cret-s3cret", headers, body, now=datetime.fromtimestamp(t + 299, UTC))
    assert not outbox.verify("another-secret-0000", headers, body, now=t)
    assert not outbox.verify("s3cret-s3cret-s3cret", headers, body + b" ", now=t)
    assert not outbox.verify("s3cret-s3cret-s3cret", {**headers, "webhook-id": "evt_2"}, body, now=t)
    # replayed later than the tolerance: refused even with a correct signature
    assert not outbox.verify("s3cret-s3cret-s3cret", headers, body, now=t + 301)
    assert not outbox.verify("s3cret-s3cret-s3cret", headers, body, tolerance=60, now=t + 61)
    for broken in (
        {},
        None,
        {**headers, "webhook-signature": expected},
        {**headers, "webhook-timestamp": "abc"},
    ):
        assert not outbox.verify("s3cret-s3cret-s3cret", broken, body, now=t)
    # a partner changing its secret may list two signatures
    two = {**headers, "webhook-signature": f"v1,AAAA v1,{expected}"}
    assert outbox.verify("s3cret-s3cret-s3cret", two, body, now=t)
    # a whsec_ secret is the specification's base64 key, as the library reads it
    key = "whsec_" + base64.b64encode(b"k" * 32).decode()
    signed = outbox.sign(key, body, t, "evt_1")
    assert signed["webhook-signature"] == Webhook(key).sign(
        "evt_1", datetime.fromtimestamp(t, UTC), body.decode()
    )


# ---------------------------------------------------------------- the whole way


@pytest.mark.clock  # the exit "today" within the agreement of 2026
def test_bookings_reach_a_receiver_that_is_down_at_first_once_each(net, receiver):
    partner_end = receiver(plan=["503", "503", "slow"])
    connect(net, net.jobcenter, partner_end.url)
    connect(net, net.workshop, partner_end.url)  # subscribes, but nobody consented to it
    consent(net, net.olena, net.jobcenter)
    # Olena consented: her bookings go out. Ahmad did not: his stay in the store.
    book_day(net, net.olena, date(2026, 11, 2))
    book_day(net, net.olena, date(2026, 11, 3), minutes=180)
    book_day(net, net.ahmad, date(2026, 11, 2))
    shifts.close_month(net.coord, 2026, 10, user=net.olena)
    db.session.commit()
    rate = [skills.RatingInput(s.id, 3) for s in skills.skills()[:2]]
    assessment = skills.record_assessment(net.sup, net.olena, date(2026, 11, 4), rate)
    db.session.commit()
    assert len(deliveries()) == 3  # the assessment waits until Olena has seen it
    services.mark_shown(net.coord, net.olena, services.to_see(net.olena))
    services.record_exit(
        net.coord,
        net.olena,
        exit_on=local_today(),
        reason="job",
        job_seeking=False,
        in_education=False,
        qualification=False,
        employed=True,
    )
    db.session.commit()
    queued = deliveries()
    assert len(queued) == 5
    assert {d.partner_id for d in queued} == {net.jobcenter.id}
    assert all(d.event.participant_id == net.olena.id for d in queued)
    ahmad_events = db.session.scalars(
        sa.select(OutboxEvent.id).where(OutboxEvent.participant_id == net.ahmad.id)
    ).all()
    assert len(ahmad_events) == 1  # written, but for nobody

    # The partner's system is down: connection refused.
    partner_end.stop()
    start = utcnow()
    outbox.deliver_due(now=start)
    down = deliveries()
    assert all(d.status == DeliveryStatus.PENDING and d.attempts == 1 for d in down)
    assert all(d.last_error.startswith("ConnectionError") for d in down)
    assert all(d.last_status_code is None for d in down)
    assert all(d.next_attempt_at == start + timedelta(seconds=1) for d in down)
    outbox.deliver_due(now=start)  # not due yet: nothing is tried
    assert all(d.attempts == 1 for d in deliveries())

    # Back up, but it refuses twice and is too slow once before it accepts.
    partner_end.start()
    run_until_quiet(start + timedelta(seconds=1))
    done = deliveries()
    assert all(d.status == DeliveryStatus.DELIVERED for d in done)
    assert all(d.last_status_code == 200 and d.last_error is None for d in done)
    assert sum(d.attempts for d in done) == 5 + 5 + 3  # refused 5×, then 503, 503, timeout
    partner_end.wait_for(8)
    assert partner_end.answers() == Counter({200: 5, 503: 3})

    events = {d.event_id: d.event for d in done}
    assert set(partner_end.stored) == set(events)
    assert all(n == 1 for n in partner_end.acknowledged.values())

    # Nothing is sent again once acknowledged.
    seen = len(partner_end.seen)
    run_until_quiet(utcnow() + timedelta(hours=2))
    outbox.deliver_due(now=utcnow() + timedelta(days=3))
    assert len(partner_end.seen) == seen

    for request in partner_end.seen:
        headers, body = request["headers"], request["body"]
        assert headers["Content-Type"] == "application/json"
        assert headers["User-Agent"].startswith("Kaufhaus")
        assert outbox.verify(SECRET, headers, body)
        t = int(headers["webhook-timestamp"])
        assert abs(t - request["at"]) < 5
        payload = json.loads(body)
        assert set(payload) == {"id", "type", "created_at", "data"}
        assert headers["X-Kaufhaus-Event"] == payload["type"]
        assert headers["webhook-id"] == payload["id"]
        event = events[payload["id"]]
        assert payload["type"] == event.type
        created = datetime.fromisoformat(payload["created_at"].replace("Z", "+00:00"))
        assert created == event.created_at and created.tzinfo is not None
        assert payload["data"]["participant"]["id"] == net.olena.id

    by_type = {}
    for payload in partner_end.stored.values():
        by_type.setdefault(payload["type"], []).append(payload["data"])
    assert sorted(by_type) == [
        "assessment.recorded",
        "attendance.confirmed",
        "month.closed",
        "participant.exited",
    ]
    days = sorted((d["day"], d["minutes"], d["code"]) for d in by_type["attendance.confirmed"])
    assert days == [("2026-11-02", 240, "present"), ("2026-11-03", 180, "present")]
    assert by_type["month.closed"][0]["month"] == "2026-10"
    assert by_type["assessment.recorded"][0]["assessment_id"] == assessment.id
    assert by_type["participant.exited"][0]["reason"] == "job"
    assert by_type["attendance.confirmed"][0]["participant"]["customer_number"] == "123D456789"


def test_a_booking_on_a_page_reaches_the_partner_at_once(app, net, receiver, client, login):
    """After the commit, the request wakes the outbox: no worker round is needed."""
    app.config["OUTBOX_SEND_AT_ONCE"] = True
    partner_end = receiver()
    connect(net, net.jobcenter, partner_end.url)
    consent(net, net.olena, net.jobcenter)
    login(net.supervisor)
    day = date(2026, 11, 2)
    form = {
        "user_id": net.olena.id,
        "day": day.isoformat(),
        f"u{net.olena.id}-code": "present",
        f"u{net.olena.id}-hours": "4:00",
    }
    assert client.post("/attendance/confirm", data=form).status_code == 302
    partner_end.wait_for(1)
    [event] = partner_end.stored.values()
    assert event["type"] == "attendance.confirmed"
    deadline = time.monotonic() + 3  # the sending thread records the answer after the partner's 200
    while deliveries(status=DeliveryStatus.PENDING) and time.monotonic() < deadline:
        time.sleep(0.02)
    [delivery] = deliveries()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1


def test_only_the_events_a_partner_chose_and_its_consent_covers(net, receiver):
    partner_end = receiver()
    connect(net, net.jobcenter, partner_end.url, events=["attendance.confirmed"])
    consent(net, net.olena, net.jobcenter, scopes=["skills"])  # not hours
    consent(net, net.ahmad, net.jobcenter, scopes=["hours"])
    book_day(net, net.olena, date(2026, 11, 2))
    book_day(net, net.ahmad, date(2026, 11, 2))
    shifts.close_month(net.coord, 2026, 10)  # month.closed: not chosen by the partner
    db.session.commit()
    run_until_quiet()
    received = list(partner_end.stored.values())
    assert [(p["type"], p["data"]["participant"]["id"]) for p in received] == [
        ("attendance.confirmed", net.ahmad.id)
    ]


# ---------------------------------------------------------------- consent and settings


def test_consent_withdrawal_cancels_pending_deliveries_and_stops_new_ones(net, receiver):
    partner_end = receiver()
    connect(net, net.jobcenter, partner_end.url)
    given = consent(net, net.olena, net.jobcenter)
    book_day(net, net.olena, date(2026, 11, 2))
    [pending] = deliveries()
    assert pending.status == DeliveryStatus.PENDING

    services.withdraw_consent(net.coord, given)
    db.session.commit()
    run_until_quiet(utcnow() + timedelta(minutes=1))
    [cancelled] = deliveries()
    assert cancelled.status == DeliveryStatus.CANCELLED
    assert cancelled.last_error == outbox.CONSENT_WITHDRAWN
    book_day(net, net.olena, date(2026, 11, 3))
    assert len(deliveries()) == 1  # the new day is not even queued
    outbox.deliver_due(now=utcnow() + timedelta(days=1))
    assert partner_end.seen == []

    with pytest.raises(ValidationError):  # no re-send while consent does not cover it
        outbox.resend(net.coord, cancelled)
    db.session.rollback()
    consent(net, net.olena, net.jobcenter)  # she agrees again
    outbox.resend(net.coord, deliveries()[0])
    db.session.commit()
    run_until_quiet()
    assert [p["data"]["day"] for p in partner_end.stored.values()] == ["2026-11-02"]


@pytest.mark.clock  # "today" and "tomorrow" fixed
def test_the_worker_checks_consent_again_just_before_sending(net, receiver):
    partner_end = receiver()
    connect(net, net.jobcenter, partner_end.url)
    given = consent(net, net.olena, net.jobcenter)
    book_day(net, net.olena, date(2026, 11, 2))
    # Withdrawn from tomorrow on: still covered today, so the delivery stays queued …
    services.withdraw_consent(net.coord, given, withdrawn_on=local_today() + timedelta(days=1))
    db.session.commit()
    [delivery] = deliveries()
    assert delivery.status == DeliveryStatus.PENDING
    # … but the partner was down today, and the next try is after the withdrawal.
    outbox.deliver_due(now=utcnow() + timedelta(days=2))
    [delivery] = deliveries()
    assert delivery.status == DeliveryStatus.CANCELLED
    assert delivery.last_error == outbox.CONSENT_WITHDRAWN
    assert delivery.attempts == 0
    assert partner_end.seen == []


def test_a_partner_switched_off_gets_nothing_until_switched_on_and_re_sent(net, receiver):
    partner_end = receiver()
    connect(net, net.jobcenter, partner_end.url)
    consent(net, net.olena, net.jobcenter)
    book_day(net, net.olena, date(2026, 11, 2))
    partner = net.jobcenter
    services.save_partner(
        admin_actor(net),
        partner,
        name=partner.name,
        kind=partner.kind,
        url=partner.url,
        events=partner.events,
        is_active=False,
    )
    db.session.commit()
    run_until_quiet()
    [delivery] = deliveries()
    assert delivery.status == DeliveryStatus.CANCELLED
    assert delivery.last_error == outbox.PARTNER_OFF
    with pytest.raises(ValidationError):
        outbox.resend(net.coord, delivery)
    db.session.rollback()
    services.save_partner(
        admin_actor(net),
        partner,
        name=partner.name,
        kind=partner.kind,
        url=partner.url,
        events=partner.events,
        is_active=True,
    )
    outbox.resend(net.coord, deliveries()[0])
    db.session.commit()
    run_until_quiet()
    assert deliveries()[0].status == DeliveryStatus.DELIVERED
    assert len(partner_end.stored) == 1


# ---------------------------------------------------------------- giving up, re-sending


def test_failed_after_the_last_attempt_with_the_error_then_re_sent(net, receiver):
    partner_end = receiver(always="503")
    connect(net, net.jobcenter, partner_end.url)
    consent(net, net.olena, net.jobcenter)
    book_day(net, net.olena, date(2026, 11, 2))
    run_until_quiet()
    [failed] = deliveries()
    assert failed.status == DeliveryStatus.FAILED
    assert failed.attempts == 5  # OUTBOX_MAX_ATTEMPTS
    assert failed.last_error.startswith("HTTP 503")
    assert failed.last_status_code == 503
    assert partner_end.answers() == Counter({503: 5})
    outbox.deliver_due(now=utcnow() + timedelta(days=1))
    assert len(partner_end.seen) == 5  # failed means: no more tries by itself
    assert outbox.summary() == {
        net.jobcenter.id: {"pending": 0, "delivered": 0, "failed": 1, "cancelled": 0}
    }
    assert outbox.failed_count() == 1

    partner_end.always = "ok"
    outbox.resend(net.coord, failed)
    db.session.commit()
    [again] = deliveries()
    assert (again.status, again.attempts, again.last_error) == (DeliveryStatus.PENDING, 0, None)
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "outbox.resend"))
    assert audit.user_id == net.coordinator.id and audit.object_id == str(again.id)
    assert audit.data["was"] == "failed"
    with pytest.raises(ValidationError):  # pending: it is on its way already
        outbox.resend(net.coord, again)
    db.session.rollback()
    run_until_quiet()
    [done] = deliveries()
    assert done.status == DeliveryStatus.DELIVERED and done.attempts == 1
    with pytest.raises(ValidationError):  # delivered: never twice
        outbox.resend(net.coord, done)
    db.session.rollback()
    assert list(partner_end.acknowledged.values()) == [1]


def test_backoff_grows_and_is_capped(app):
    app.config.update(OUTBOX_BACKOFF_SECONDS=30, OUTBOX_BACKOFF_MAX_SECONDS=3600)
    assert [services.backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert services.backoff_seconds(20) == 3600


def test_a_wrong_secret_on_the_partner_side_is_an_error_the_coordinator_sees(net, receiver):
    partner_end = receiver(secret="the-partner-has-another-secret")
    connect(net, net.jobcenter, partner_end.url)
    consent(net, net.olena, net.jobcenter)
    book_day(net, net.olena, date(2026, 11, 2))
    outbox.deliver_due()
    [delivery] = deliveries()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_status_code == 401 and delivery.last_error.startswith("HTTP 401")


# ---------------------------------------------------------------- workers


def test_two_workers_at_once_send_each_delivery_once(app, net, receiver):
    partner_end = receiver()
    connect(net, net.jobcenter, partner_end.url)
    for user in (net.olena, net.ahmad):
        consent(net, user, net.jobcenter)
    for day in range(2, 7):
        for user in (net.olena, net.ahmad):
            book_day(net, user, date(2026, 11, day))
    assert len(deliveries()) == 10
    now = utcnow()
    barrier = threading.Barrier(2)
    errors = []

    def work():
        with app.app_context():
            try:
                barrier.wait()
                outbox.deliver_due(now=now)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert all(d.status == DeliveryStatus.DELIVERED for d in deliveries())
    assert len(partner_end.seen) == 10
    assert sorted(partner_end.acknowledged.values()) == [1] * 10


def test_a_claimed_delivery_is_not_sent_by_a_second_worker(net, receiver):
    partner_end = receiver()
    connect(net, net.jobcenter, partner_end.url)
    consent(net, net.olena, net.jobcenter)
    book_day(net, net.olena, date(2026, 11, 2))
    [delivery] = deliveries()
    seen_at = delivery.next_attempt_at
    assert outbox._claim(delivery.id, seen_at, utcnow())  # worker A took it
    assert not outbox.deliver_one(delivery.id, seen_at)  # worker B looked at the same time
    assert partner_end.seen == []
    # A worker that died while sending: after the lease the delivery is tried again.
    outbox.deliver_due(now=utcnow() + timedelta(seconds=5))
    assert partner_end.seen == []
    outbox.deliver_due(now=utcnow() + timedelta(minutes=2))
    assert deliveries()[0].status == DeliveryStatus.DELIVERED


def test_the_worker_loop_survives_a_failing_round(app, monkeypatch, caplog):
    def broken(**_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(outbox, "deliver_due", broken)
    with app.app_context():
        outbox.run_worker(once=True)
    assert "outbox worker round failed" in caplog.text


def test_outbox_worker_command(net, receiver, runner):
    partner_end = receiver()
    connect(net, net.jobcenter, partner_end.url)
    consent(net, net.olena, net.jobcenter)
    book_day(net, net.olena, date(2026, 11, 2))
    book_day(net, net.olena, date(2026, 11, 3))
    result = runner.invoke(args=["outbox-worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "2 delivered" in result.output
    assert all(d.status == DeliveryStatus.DELIVERED for d in deliveries())
    assert len(partner_end.stored) == 2
    again = runner.invoke(args=["outbox-worker", "--once"])
    assert again.exit_code == 0 and "0 delivered" in again.output
    assert len(partner_end.seen) == 2
