"""Partner sync: the worker that sends the outbox to partners' systems.

Each delivery (one event for one partner) is POSTed as JSON to the partner's URL, signed with the
partner's secret:

    X-Kaufhaus-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">
    X-Kaufhaus-Event: attendance.confirmed
    X-Kaufhaus-Delivery: <event id>

The body is `{"created_at", "data", "id", "type"}`. A partner answers 2xx once it has stored the
event; anything else (or no answer) is tried again with a growing pause (`backoff_seconds`) until
OUTBOX_MAX_ATTEMPTS, then the delivery is FAILED and a coordinator may re-send it.

Exactly once, as far as a network allows: a delivery is claimed with a conditional UPDATE (two
workers never send the same one at the same time), and the answer is committed before the next.
A delivery that was acknowledged is never sent again. Only if a worker dies between the partner's
2xx and our commit does the event go out once more after the claim lapses; partners deduplicate on
the event id (`X-Kaufhaus-Delivery`, the body's `id`).
"""

import hashlib
import hmac
import json
import logging
import time
from datetime import UTC, datetime, timedelta

import requests
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, ValidationError
from store.core.timeutil import local_today, utcnow
from store.extensions import db
from store.network import services
from store.network.models import Delivery, DeliveryStatus, OutboxEvent, Partner, PartnerKind

log = logging.getLogger(__name__)

USER_AGENT = "Kaufhaus"
# Beyond the request timeout, how long a claim holds before another worker may try (a worker that
# died while sending).
LEASE_EXTRA_SECONDS = 30
# Stored in last_error; the pages translate them.
CONSENT_WITHDRAWN = "consent withdrawn"
PARTNER_OFF = "partner switched off"


# ---------------------------------------------------------------- signing


def _mac(secret: str, body: bytes, t: int) -> str:
    return hmac.new(secret.encode(), str(t).encode() + b"." + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, t: int) -> str:
    """The X-Kaufhaus-Signature value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`."""
    return f"t={int(t)},v1={_mac(secret, body, int(t))}"


def verify(
    secret: str,
    header: str | None,
    body: bytes,
    tolerance: int = 300,
    now: float | datetime | None = None,
) -> bool:
    """What a partner does with a request: check the signature over the exact bytes received, and
    that its timestamp is within `tolerance` seconds of now (an old request replayed is refused).
    Several v1 values are accepted, so a partner can change its secret without a gap."""
    if not header or not secret:
        return False
    t, macs = None, []
    for part in header.split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isascii() and value.isdigit():
            t = int(value)
        elif key == "v1" and value:
            macs.append(value)
    if t is None or not macs:
        return False
    if isinstance(now, datetime):
        now = now.timestamp()
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    expected = _mac(secret, body, t)
    return any(hmac.compare_digest(expected, m) for m in macs)


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


def deliver_due(now: datetime | None = None, limit: int = 50) -> int:
    """Send the deliveries that are due. Commits after each one. Returns how many arrived.

    `now` is the clock of the queue (tests move it forward); without it each delivery reads the
    clock when it is tried."""
    due = db.session.execute(
        sa.select(Delivery.id, Delivery.next_attempt_at)
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= (now or utcnow()))
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(limit)
    ).all()
    db.session.commit()
    delivered = 0
    for delivery_id, seen_at in due:
        try:
            delivered += deliver_one(delivery_id, seen_at, now=now)
        except Exception:  # noqa: BLE001 - one broken delivery must not stop the others
            db.session.rollback()
            log.exception("outbox delivery %s failed", delivery_id)
    return delivered


def _claim(delivery_id: int, seen_at: datetime, now: datetime) -> datetime | None:
    """Take the delivery for this worker: only if nobody changed it since we looked. Returns the
    end of the claim (the worker's mark on the row), or None."""
    lease = now + _lease()
    claimed = db.session.execute(
        sa.update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == DeliveryStatus.PENDING,
            Delivery.next_attempt_at == seen_at,
        )
        .values(next_attempt_at=lease, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return lease if claimed else None


def _cancel(delivery: Delivery, reason: str, now: datetime) -> None:
    delivery.status = DeliveryStatus.CANCELLED
    delivery.last_error = reason
    delivery.updated_at = now
    db.session.commit()
    log.info("outbox delivery %s cancelled: %s", delivery.id, reason)


def deliver_one(delivery_id: int, seen_at: datetime, *, now: datetime | None = None) -> bool:
    """Claim one delivery, check it may still go, send it, record the answer. Commits.
    True if the partner acknowledged it."""
    moment = now or utcnow()
    lease = _claim(delivery_id, seen_at, moment)
    if lease is None:
        return False  # another worker has it, or it changed meanwhile
    delivery = db.session.get(Delivery, delivery_id)
    event, partner = delivery.event, delivery.partner
    # Consent and the partner's settings are checked again just before sending: either may have
    # changed since the event was queued.
    if not partner.syncs or event.type not in (partner.events or []):
        _cancel(delivery, PARTNER_OFF, moment)
        return False
    if not services.covers(event.participant_id, partner.id, event.scope, local_today(moment)):
        _cancel(delivery, CONSENT_WITHDRAWN, moment)
        return False
    body = body_of(event, partner)
    url, secret, event_id, event_type = partner.url, partner.secret, event.id, event.type
    attempts = delivery.attempts + 1
    timeout = current_app.config["OUTBOX_TIMEOUT_SECONDS"]
    db.session.commit()  # no transaction stays open while we wait for the partner
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Kaufhaus-Event": event_type,
        "X-Kaufhaus-Delivery": event_id,
        # The partner checks the timestamp against its own clock: the real time of sending.
        "X-Kaufhaus-Signature": sign(secret, body, int(time.time())),
    }
    status_code, error = None, None
    try:
        response = requests.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = " ".join(f"HTTP {status_code} {response.reason or ''}".split())
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, it is a failed attempt
        error = f"{type(exc).__name__}: {exc}"
    moment = now or utcnow()
    values = {"attempts": attempts, "last_status_code": status_code, "updated_at": moment}
    if error is None:
        values.update(status=DeliveryStatus.DELIVERED, delivered_at=moment, last_error=None)
    else:
        values.update(
            last_error=error[:300],
            next_attempt_at=moment + timedelta(seconds=services.backoff_seconds(attempts)),
        )
        if attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
            values["status"] = DeliveryStatus.FAILED
    # Recorded only while the claim still holds: if it lapsed, another worker owns the row now,
    # and a DELIVERED it wrote must never be overwritten.
    recorded = db.session.execute(
        sa.update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == DeliveryStatus.PENDING,
            Delivery.next_attempt_at == lease,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not recorded:
        log.warning(
            "outbox delivery %s: the claim lapsed while sending; another worker has "
            "it (the partner deduplicates on the event id)",
            delivery_id,
        )
        return False
    if error is not None:
        log.warning(
            "outbox delivery %s to %s failed (attempt %s): %s", delivery_id, url, attempts, error
        )
    return error is None


def run_worker(poll_seconds: float = 1.0, once: bool = False) -> None:
    """The outbox worker loop (flask --app store outbox-worker)."""
    limit = 50
    while True:
        busy = False
        try:
            busy = deliver_due(limit=limit) >= limit
        except Exception:  # noqa: BLE001 - the worker must outlive a bad round or a DB restart
            db.session.rollback()
            log.exception("outbox worker round failed")
        finally:
            db.session.remove()
        if once:
            return
        if not busy:
            time.sleep(poll_seconds)


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
