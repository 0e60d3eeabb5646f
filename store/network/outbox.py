"""Partner sync: the worker that sends the outbox to partners' systems.

Each delivery (one event for one partner) is POSTed as JSON to the partner's URL, signed with the
partner's secret as the Standard Webhooks specification says (https://www.standardwebhooks.com/), so
a partner verifies with a ready library (`standardwebhooks`, or Svix's):

    webhook-id: <event id>
    webhook-timestamp: <unix seconds>
    webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">
    X-Kaufhaus-Event: attendance.confirmed

A secret that starts with `whsec_` is the specification's base64 key; any other secret is used as
its bytes (docs/partners.md). The connection goes through store.core.outbound: the partner's host
is resolved and checked at every sending.

The body is `{"created_at", "data", "id", "type"}`. A partner answers 2xx once it has stored the
event; anything else (or no answer) is tried again with a growing pause (`backoff_seconds`) until
OUTBOX_MAX_ATTEMPTS, then the delivery is FAILED and a coordinator may re-send it.

Exactly once, as far as a network allows: the queue runs on store.core.queue. A delivery is claimed
with a conditional UPDATE and a lease in next_attempt_at (two workers never send the same one at the
same time), and the answer is committed before the next, only while the claim still holds.
A delivery that was acknowledged is never sent again. Only if a worker dies between the partner's
2xx and our commit does the event go out once more after the claim lapses; partners deduplicate on
the event id (`webhook-id`, the body's `id`).
"""

import base64
import binascii
import hmac
import json
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import gettext as _
from standardwebhooks.webhooks import Webhook

from store.core import crypto, outbound, queue
from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, ValidationError
from store.core.timeutil import local_today, utcnow
from store.core.transaction import after_commit
from store.extensions import db
from store.network import services
from store.network.models import Delivery, DeliveryStatus, OutboxEvent, Partner, PartnerKind

USER_AGENT = "Kaufhaus"
# Beyond the request timeout, how long a claim holds before another worker may try (a worker that
# died while sending).
LEASE_EXTRA_SECONDS = 30
# Stored in last_error; the pages translate them.
CONSENT_WITHDRAWN = "consent withdrawn"
PARTNER_OFF = "partner switched off"


# ---------------------------------------------------------------- signing


def webhook(secret: str) -> Webhook:
    """The Standard Webhooks signer of a partner's secret: `whsec_<base64>` is the specification's
    key; any other secret signs as its UTF-8 bytes."""
    return Webhook(secret if secret.startswith("whsec_") else secret.encode())


def sign(secret: str, body: bytes, t: int, msg_id: str) -> dict[str, str]:
    """The Standard Webhooks headers of one request: webhook-id, webhook-timestamp and
    webhook-signature (`v1,<base64 HMAC-SHA256 of "<id>.<t>.<body>">`)."""
    moment = datetime.fromtimestamp(int(t), UTC)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(t)),
        "webhook-signature": webhook(secret).sign(msg_id, moment, body.decode("utf-8")),
    }


def verify(
    secret: str,
    headers: dict | None,
    body: bytes,
    tolerance: int = 300,
    now: float | datetime | None = None,
) -> bool:
    """What a partner does with a request (the `standardwebhooks` library does the same): check the
    signature over the id, timestamp and exact bytes received, and that the timestamp is within
    `tolerance` seconds of now (an old request replayed is refused). Several space-separated v1
    signatures are accepted, so a secret can change without a gap."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    msg_id, t, signatures = (
        headers.get("webhook-id"),
        headers.get("webhook-timestamp", ""),
        headers.get("webhook-signature"),
    )
    if not (secret and msg_id and signatures and t.isascii() and t.isdigit()):
        return False
    if isinstance(now, datetime):
        now = now.timestamp()
    if abs((time.time() if now is None else now) - int(t)) > tolerance:
        return False
    expected = sign(secret, body, int(t), msg_id)["webhook-signature"].partition(",")[2]
    for signature in signatures.split(" "):
        version, _sep, value = signature.partition(",")
        try:
            if version == "v1" and hmac.compare_digest(
                base64.b64decode(expected), base64.b64decode(value, validate=True)
            ):
                return True
        except (binascii.Error, ValueError):
            continue
    return False


def body_of(event: OutboxEvent, partner: Partner | None = None) -> bytes:
    """The exact bytes sent (and signed) for an event: the same on every attempt. The Jobcenter's
    customer number goes to the Jobcenter only."""
    created = event.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    data = dict(event.data)
    person = data.get("participant")
    if isinstance(person, dict) and (partner is None or partner.kind != PartnerKind.JOBCENTER):
        data["participant"] = {k: v for k, v in person.items() if k != "customer_number"}
    return json.dumps(
        {"id": event.id, "type": event.type, "created_at": created, "data": data},
        separators=(",", ":"),
        sort_keys=True,
        ensure_ascii=False,
    ).encode("utf-8")


# ---------------------------------------------------------------- sending


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config["OUTBOX_TIMEOUT_SECONDS"] + LEASE_EXTRA_SECONDS)


def _prepare(delivery: Delivery, now: datetime) -> queue.Outcome | queue.Send:
    """Just before sending: consent and the partner's settings are checked again (either may have
    changed since the event was queued); then the body is built and signed, so the POST needs no
    database."""
    event, partner = delivery.event, delivery.partner
    if not partner.syncs or event.type not in (partner.events or []):
        return queue.Dropped(DeliveryStatus.CANCELLED, PARTNER_OFF)
    if not services.covers(event.participant_id, partner.id, event.scope, local_today(now)):
        return queue.Dropped(DeliveryStatus.CANCELLED, CONSENT_WITHDRAWN)
    body = body_of(event, partner)
    url, secret, event_id, event_type = partner.url, partner.secret, event.id, event.type
    timeout = current_app.config["OUTBOX_TIMEOUT_SECONDS"]
    policy = outbound.Policy.current()

    def send() -> queue.Outcome:
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Kaufhaus-Event": event_type,
            # The partner checks the timestamp against its own clock: the real time of sending.
            **sign(secret, body, int(time.time()), event_id),
        }
        try:
            # Every connection resolves and checks the partner's host (store.core.outbound).
            response = outbound.session(policy).post(
                url, data=body, headers=headers, timeout=timeout, allow_redirects=False
            )
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, it is a failed attempt
            return queue.Failed(f"{type(exc).__name__}: {exc}", {"last_status_code": None})
        answer = {"last_status_code": response.status_code}
        if 200 <= response.status_code < 300:
            return queue.Sent(answer)
        return queue.Failed(
            " ".join(f"HTTP {response.status_code} {response.reason or ''}".split()), answer
        )

    return send


OUTBOX = queue.Queue(
    name="outbox delivery",
    model=Delivery,
    pending=DeliveryStatus.PENDING,
    done=DeliveryStatus.DELIVERED,
    failed=DeliveryStatus.FAILED,
    prepare=_prepare,
    lease=_lease,
    backoff=lambda attempts: services.backoff_seconds(attempts),
    max_attempts=lambda: current_app.config["OUTBOX_MAX_ATTEMPTS"],
    done_at="delivered_at",
    updated_at="updated_at",
)


def wake(deliveries: list[Delivery]) -> None:
    """Send new deliveries right after the commit that queued them (after_commit, see
    services.release), on a thread, so a partner hears of a booking at once; what fails waits for
    the worker. OUTBOX_SEND_AT_ONCE = False leaves everything to the worker."""
    if current_app.config["OUTBOX_SEND_AT_ONCE"]:
        queue.wake(OUTBOX, [delivery.id for delivery in deliveries])


def deliver_due(now: datetime | None = None, limit: int = 50) -> int:
    """Send the deliveries that are due. Commits after each one. Returns how many arrived.

    `now` is the clock of the queue (tests move it forward); without it each delivery reads the
    clock when it is tried."""
    return queue.work_due(OUTBOX, now=now, limit=limit)


def _claim(delivery_id: int, seen_at: datetime, now: datetime) -> queue.Claim | None:
    """Take the delivery for this worker: only if nobody changed it since we looked. Commits."""
    return queue.claim(OUTBOX, delivery_id, now, seen_at)


def deliver_one(delivery_id: int, seen_at: datetime, *, now: datetime | None = None) -> bool:
    """Claim one delivery, check it may still go, send it, record the answer. Commits.
    True if the partner acknowledged it."""
    return queue.work_one(OUTBOX, delivery_id, now=now, seen_at=seen_at)


def run_worker(poll_seconds: float = 1.0, once: bool = False) -> None:
    """The outbox worker loop (flask --app store outbox-worker)."""
    queue.run_worker(
        lambda limit: deliver_due(limit=limit), name="outbox", poll_seconds=poll_seconds, once=once
    )


def rotate_secrets() -> int:
    """Encrypt every stored partner secret again with the newest key (flask rotate-secrets)."""
    rows = db.session.execute(sa.select(Partner.id, sa.cast(Partner.secret, sa.String))).all()
    n = 0
    for partner_id, stored in rows:
        if stored:
            db.session.execute(
                sa.update(Partner.__table__)
                .where(Partner.__table__.c.id == partner_id)
                .values(secret=sa.literal(crypto.rotate(stored), sa.String))
            )
            n += 1
    return n


# ---------------------------------------------------------------- the coordinator's view


def get_delivery(delivery_id: int | None) -> Delivery:
    delivery = db.session.get(Delivery, delivery_id) if delivery_id is not None else None
    if delivery is None:
        raise NotFoundError(_("There is no delivery with this number."))
    return delivery


def resend(actor: Actor, delivery: Delivery, now: datetime | None = None) -> Delivery:
    """Queue a failed or cancelled delivery again, from its first attempt. Refused while it is
    pending or once the partner has it, and while consent or the partner's settings forbid it."""
    now = now or utcnow()
    if delivery.status == DeliveryStatus.DELIVERED:
        raise ValidationError(_("This was delivered already; it is not sent twice."))
    if delivery.status == DeliveryStatus.PENDING:
        raise ValidationError(_("This is waiting to be sent already."))
    event, partner = delivery.event, delivery.partner
    if not partner.syncs or event.type not in (partner.events or []):
        raise ValidationError(_("The partner is switched off or no longer receives this kind of event."))
    if not services.covers(event.participant_id, partner.id, event.scope, local_today(now)):
        raise ValidationError(_("The person's consent does not cover this for the partner."))
    before = delivery.status.value
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.last_error = None
    delivery.updated_at = now
    audit(
        actor,
        "outbox.resend",
        delivery,
        {"partner": partner.name, "event": event.id, "type": event.type, "was": before},
        now=now,
    )
    after_commit(wake, delivery)
    return delivery


def deliveries_for(
    partner_id: int | None, status: DeliveryStatus | str | None = None, limit: int = 200
) -> list[Delivery]:
    """The newest deliveries of one partner (None: of all partners), optionally of one status."""
    query = (
        sa.select(Delivery)
        .options(so.joinedload(Delivery.event), so.joinedload(Delivery.partner))
        .order_by(Delivery.created_at.desc(), Delivery.id.desc())
        .limit(limit)
    )
    if partner_id is not None:
        query = query.where(Delivery.partner_id == partner_id)
    if status:
        query = query.where(Delivery.status == DeliveryStatus(status))
    return list(db.session.scalars(query))


def summary() -> dict[int, dict[str, int]]:
    """Partner id → {status: count}, every status present (zero where there is none)."""
    counts: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        sa.select(Delivery.partner_id, Delivery.status, sa.func.count()).group_by(
            Delivery.partner_id, Delivery.status
        )
    )
    for partner_id, status, n in rows:
        per = counts.setdefault(partner_id, dict.fromkeys((s.value for s in DeliveryStatus), 0))
        per[DeliveryStatus(status).value] = n
    return counts


def totals(counts: dict[int, dict[str, int]] | None = None) -> dict[str, int]:
    """The counts of `summary()` added up over all partners."""
    result = dict.fromkeys((s.value for s in DeliveryStatus), 0)
    for per in (summary() if counts is None else counts).values():
        for status, n in per.items():
            result[status] += n
    return result


def failed_count() -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Delivery)
            .where(Delivery.status == DeliveryStatus.FAILED)
        )
        or 0
    )
