"""One queue core for work that is stored in a booking's transaction and done after its commit, where
a device or a partner may be slow or away: print jobs (store.printing) and partner deliveries
(store.network.outbox).

A queue is a table whose rows have `id`, `status`, `attempts`, `next_attempt_at` and `last_error`.
The booking writes a row in its own transaction, so the work cannot be lost; a worker (or a wake-up
right after the commit) sends it. The core does what every such queue needs, the same way:

claim
    A conditional UPDATE takes a pending row for one worker and writes the end of its claim (a lease)
    into `next_attempt_at`: the worker's mark on the row. Two workers never hold the same row: the
    second one's UPDATE finds the row changed and touches nothing. A worker's round takes the due
    rows one at a time with `claim_next()`: one UPDATE of the row its sub-select picked, on
    PostgreSQL with `FOR UPDATE SKIP LOCKED`, so workers on any number of machines take different
    rows and never wait for each other. A worker that dies while sending
    leaves a claim that lapses; then the row is due again (a queue with a status of its own for
    claimed rows, such as the printers' "printing", gets it set back to pending).
prepare, then send
    The queue's own `prepare(row, now)` runs inside the transaction: the checks that must hold just
    before sending (consent, the partner or printer switched off) and building what is sent. It returns
    an outcome at once (the row must not go, or the attempt failed already) or a `send()` callable that
    does the slow part with plain values only. The core commits before calling it, so no transaction
    stays open while a printer or a partner takes its time. Whatever `send()` raises is a failed attempt.
record
    The outcome is written only while the claim still holds (a conditional UPDATE on the lease). If it
    lapsed, another worker owns the row now, and what it wrote (a DELIVERED) is never overwritten.
retry
    A failed attempt waits `backoff(n)` seconds before the next (doubling, capped: `backoff()`); after
    `max_attempts` (0: never) the row is FAILED and a person may send it again.
worker loop
    `run_worker()` outlives a bad round or a database restart, and commits per row.
one at a time
    Work that is not a queue of rows but must not run twice at once (a daily sweep, filling the
    reports' day store) asks `exclusive(name)`: on PostgreSQL a transaction-level advisory lock that
    the first worker gets and the others skip; SQLite has one machine and one writer, so always yes.

An attempt is counted when its outcome is recorded; a row dropped before sending (e.g. consent
withdrawn) counts none.
"""

import functools
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

import sqlalchemy as sa
from flask import after_this_request, current_app, has_request_context

from store.core import durability, health
from store.core.timeutil import as_utc
from store.extensions import db

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Sent:
    """It arrived (printed; the partner answered 2xx). `values`: more columns to record."""

    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Failed:
    """The attempt did not work: tried again after the back-off, or given up after the last one."""

    error: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Dropped:
    """Decided before sending: the row must not go (e.g. consent withdrawn). It ends in `status`
    with `reason` as its last error; no attempt is counted."""

    status: Enum
    reason: str


Outcome = Sent | Failed | Dropped
Send = Callable[[], Outcome]


# ---------------------------------------------------------------- what a queue supplies


@dataclass(frozen=True)
class Queue:
    """What one queue is to the core: its table, its statuses, its policy and its own work."""

    name: str  # in log lines, e.g. "print job"
    model: type  # the table: id, status, attempts, next_attempt_at, last_error
    pending: Enum  # waiting for the first or the next attempt
    done: Enum  # sent
    failed: Enum  # given up after max_attempts
    # In the transaction, just before sending: an Outcome now, or a Send that needs no database.
    prepare: Callable[[Any, datetime], Outcome | Send]
    lease: Callable[[], timedelta]  # how long a claim holds (longer than sending may take)
    backoff: Callable[[int], float]  # seconds to wait after the n-th failed attempt
    max_attempts: Callable[[], int]  # give up after this many failed attempts; 0: never
    working: Enum | None = None  # a status of its own while claimed; None: the lease alone marks it
    done_at: str | None = None  # column set to the time it was sent
    claimed_at: str | None = None  # column set to the time it was claimed
    updated_at: str | None = None  # column set on every change
    # Which rows this queue's workers take (a SQL condition), e.g. not the print jobs of printers
    # that a print agent in the shop pulls itself; None: all.
    takes: Callable[[], Any] | None = None


@dataclass(frozen=True)
class Claim:
    """A row held by this worker until `lease` (the value of its next_attempt_at)."""

    row_id: int
    lease: datetime
    status: Enum  # the row's status while claimed
    # A row written claimed (born_claimed) whose sending was prepared in memory before the commit:
    # the wake-up sends it without reading it back while the lease is young (see work_claimed).
    ready: "Send | None" = field(default=None, compare=False)


def backoff(attempts: int, base: float, cap: float) -> float:
    """Seconds to wait after `attempts` failed attempts: base × 2^(attempts−1), at most `cap`."""
    return min(cap, base * 2 ** min(max(attempts - 1, 0), 32))


# ---------------------------------------------------------------- the steps


def due(queue: Queue, now: datetime, limit: int) -> list[tuple[int, datetime]]:
    """The rows whose time has come, as (id, next_attempt_at), longest waiting first (rows another
    worker is claiming right now are skipped). Claims that lapsed are given back first. Commits (no
    transaction stays open)."""
    give_back_lapsed(queue, now)
    rows = db.session.execute(
        _skip_locked(
            _due_rows(queue, now, sa.select(queue.model.id, queue.model.next_attempt_at)).limit(limit)
        )
    ).all()
    db.session.commit()
    return [(row_id, seen_at) for row_id, seen_at in rows]


def give_back_lapsed(queue: Queue, now: datetime) -> int:
    """A queue with a working status: rows whose claim lapsed (their worker died) are pending
    again. Does not commit. How many."""
    if queue.working is None:
        return 0  # the lease in next_attempt_at alone marks a claim: a lapsed one is due by itself
    model = queue.model
    return db.session.execute(
        sa.update(model)
        .where(model.status == queue.working, model.next_attempt_at < now)
        .values(status=queue.pending, **_stamp(queue.updated_at, now))
        .execution_options(synchronize_session=False)
    ).rowcount


def _due_rows(queue: Queue, now: datetime, select: sa.Select) -> sa.Select:
    model = queue.model
    select = select.where(*_taken(queue), model.status == queue.pending, model.next_attempt_at <= now)
    return select.order_by(model.next_attempt_at, model.id)


def _taken(queue: Queue) -> list:
    return [queue.takes()] if queue.takes is not None else []


def _skip_locked(select: sa.Select) -> sa.Select:
    """`FOR UPDATE SKIP LOCKED` (PostgreSQL: rows another transaction holds are passed over, not
    waited for). SQLite has no row locks and one writer at a time; the query stays as it is."""
    if db.session.get_bind().dialect.name == "postgresql":
        return select.with_for_update(skip_locked=True)
    return select


def claim_next(queue: Queue, now: datetime, skip: Iterable[int] = ()) -> Claim | None:
    """Take the row that has waited longest among those due, for this worker, in one statement:
    the sub-select picks it (skipping rows locked by other workers' claims on PostgreSQL), the
    UPDATE writes the lease (and the working status). Two workers never get the same row and never
    wait for each other. `skip`: rows not to take (those tried in this round already). Commits. The
    claim, or None when nothing is due."""
    model = queue.model
    select = sa.select(model.id).where(model.id.not_in(list(skip)))
    pick = _skip_locked(_due_rows(queue, now, select).limit(1))
    lease = now + queue.lease()
    values = {"next_attempt_at": lease, **_stamp(queue.claimed_at, now), **_stamp(queue.updated_at, now)}
    if queue.working is not None:
        values["status"] = queue.working
    row_id = db.session.scalar(
        sa.update(model)
        # The row's own conditions again: whatever changed it since the pick keeps it.
        .where(
            model.id == pick.scalar_subquery(),  # `=`, not IN: evaluated once, one row
            model.status == queue.pending,
            model.next_attempt_at <= now,
        )
        .values(**values)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return Claim(row_id, lease, queue.working or queue.pending) if row_id is not None else None


def claim(queue: Queue, row_id: int, now: datetime, seen_at: datetime | None = None) -> Claim | None:
    """Take a pending row for this worker, only if nobody changed it since it was seen (`seen_at`:
    its next_attempt_at then). Without `seen_at`, a queue with a working status takes the pending
    row at once (to print right after the commit); a queue without one takes it only if it is due,
    as a lease in the future means another worker holds it. Commits. The claim, or None."""
    model = queue.model
    where = [model.id == row_id, model.status == queue.pending, *_taken(queue)]
    if seen_at is None and queue.working is None:
        seen_at = db.session.scalar(sa.select(model.next_attempt_at).where(*where))
        if seen_at is None or seen_at > now:
            db.session.commit()
            return None
    if seen_at is not None:
        where.append(model.next_attempt_at == seen_at)
    lease = now + queue.lease()
    values = {"next_attempt_at": lease, **_stamp(queue.claimed_at, now), **_stamp(queue.updated_at, now)}
    if queue.working is not None:
        values["status"] = queue.working
    claimed = db.session.execute(
        sa.update(model).where(*where).values(**values).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return Claim(row_id, lease, queue.working or queue.pending) if claimed else None


def record(queue: Queue, held: Claim, values: dict) -> bool:
    """Write a result, only while the claim still holds. Commits. False if it had lapsed.

    The outcome's commit does not wait for the disk (durability.relaxed): losing it in a power cut
    means the row is sent again, as after a crash between sending and recording, which the queue
    already allows for (it sends at least once). The booking that made the row waits for the disk."""
    db.session.commit()  # whatever the caller had is stored as before; the outcome on its own
    statement = _recording(queue.model.__table__, tuple(sorted(values)))
    params = {f"set_{key}": value for key, value in values.items()}
    params.update(row=held.row_id, held_status=held.status, lease=held.lease)
    with db.engine.connect() as conn, durability.relaxed(conn):
        recorded = conn.execute(statement, params).rowcount
    return bool(recorded)


@functools.cache
def _recording(table: sa.Table, keys: tuple[str, ...]) -> sa.Update:
    """record()'s UPDATE for these columns, built once: building it cost more than running it."""
    return (
        sa.update(table)
        .where(
            table.c.id == sa.bindparam("row"),
            table.c.status == sa.bindparam("held_status"),
            table.c.next_attempt_at == sa.bindparam("lease"),
        )
        .values({key: sa.bindparam(f"set_{key}") for key in keys})
    )


def _values(queue: Queue, outcome: Outcome, attempts: int, now: datetime) -> dict:
    """The columns an outcome sets; `attempts`: those recorded before this one."""
    length = queue.model.__table__.c.last_error.type.length
    if isinstance(outcome, Dropped):
        values = {"status": outcome.status, "last_error": outcome.reason[:length]}
        return {**values, **_stamp(queue.updated_at, now)}
    tries = attempts + 1
    if isinstance(outcome, Sent):
        values = {"status": queue.done, "attempts": tries, "last_error": None}
        values.update(_stamp(queue.done_at, now))
    else:
        most = queue.max_attempts()
        give_up = most and tries >= most
        values = {
            "status": queue.failed if give_up else queue.pending,
            "attempts": tries,
            "last_error": outcome.error[:length],
            "next_attempt_at": now + timedelta(seconds=queue.backoff(tries)),
        }
    return {**values, **_stamp(queue.updated_at, now), **outcome.values}


def _stamp(column: str | None, now: datetime) -> dict:
    return {column: now} if column else {}


# ---------------------------------------------------------------- working


def born_claimed(queue: Queue, now: datetime) -> dict:
    """The columns of a row written already claimed by this process, for a queue with a working
    status: the wake-up after the commit sends it without a claim of its own (one UPDATE and one
    commit fewer per row). If the process dies first, the lease lapses and a worker sends it."""
    lease = as_utc(None) + queue.lease()  # the real clock: workers compare leases with it
    return {"status": queue.working, "next_attempt_at": lease, **_stamp(queue.claimed_at, now)}


def work_one(
    queue: Queue, row_id: int, *, now: datetime | None = None, seen_at: datetime | None = None
) -> bool:
    """Claim one row, let the queue prepare and send it, record the outcome. Commits. True if it
    was sent. `now` fixes the queue's clock (tests move it forward); without it the claim and the
    answer each read the clock."""
    held = claim(queue, row_id, as_utc(now), seen_at)
    if held is None:
        return False  # another worker has it, it changed meanwhile, or it is done
    return work_claimed(queue, held, now=now)


def work_claimed(queue: Queue, held: Claim, *, now: datetime | None = None) -> bool:
    """Let the queue prepare and send a row this worker holds (claimed, or written claimed:
    born_claimed), record the outcome. Commits. True if it was sent."""
    row_id = held.row_id
    if held.ready is not None and as_utc(None) < held.lease - queue.lease() / 2:
        # Written claimed by this process moments ago: no worker takes it before its lease lapses,
        # and what to send was prepared before the commit. Nothing to read back.
        attempts, step = 0, held.ready
    else:
        row = db.session.get(queue.model, row_id)
        if row is None or (row.status, as_utc(row.next_attempt_at)) != (held.status, held.lease):
            db.session.commit()
            return False  # a claim written at birth that lapsed: a worker has the row now
        attempts = row.attempts
        step = queue.prepare(row, as_utc(now))
    db.session.commit()  # no transaction stays open while the printer or the partner is slow
    outcome = step if isinstance(step, Sent | Failed | Dropped) else _send(queue, row_id, step)
    # The answer's time: the real one, unless the caller fixed the clock.
    if not record(queue, held, _values(queue, outcome, attempts, as_utc(now))):
        log.warning(
            "%s %s: the claim lapsed while sending; another worker has it now", queue.name, row_id
        )
        return False
    if isinstance(outcome, Failed):
        log.warning("%s %s failed (attempt %s): %s", queue.name, row_id, attempts + 1, outcome.error)
    elif isinstance(outcome, Dropped):
        log.info("%s %s dropped: %s", queue.name, row_id, outcome.reason)
    return isinstance(outcome, Sent)


def report(queue: Queue, held: Claim, outcome: Outcome, *, now: datetime | None = None) -> bool:
    """Record the outcome of a row sent elsewhere (a print agent in the shop reports it over the
    API), only while the claim `held` still holds. Commits. False if it lapsed or is unknown."""
    attempts = db.session.scalar(sa.select(queue.model.attempts).where(queue.model.id == held.row_id))
    if attempts is None:
        return False
    return record(queue, held, _values(queue, outcome, attempts, as_utc(now)))


def _send(queue: Queue, row_id: int, send: Send) -> Outcome:
    try:
        return send()
    except Exception as error:  # noqa: BLE001 - whatever went wrong while sending is a failed attempt
        log.exception("%s %s: sending raised", queue.name, row_id)
        return Failed(f"{type(error).__name__}: {error}")


def work_due(queue: Queue, *, now: datetime | None = None, limit: int = 50) -> int:
    """Work through the rows that are due (at most `limit`), one commit per row. Returns how many
    were sent. `now` is the queue's clock; without it each row reads the clock when it is tried."""
    give_back_lapsed(queue, as_utc(now))
    db.session.commit()
    sent = 0
    tried: list[int] = []  # each row once per round, even when its retry is due at once
    for _ in range(limit):
        held = claim_next(queue, as_utc(now), tried)
        if held is None:
            break
        tried.append(held.row_id)
        try:
            sent += work_claimed(queue, held, now=now)
        except Exception:  # noqa: BLE001 - one broken row must not stop the others
            db.session.rollback()
            log.exception("%s %s failed", queue.name, held.row_id)
    return sent


def wake(queue: Queue, rows: Iterable[int | Claim], *, in_request: bool = False) -> None:
    """Work these rows now, after the commit that stored them, without making the request wait: on a
    thread of its own, which starts once the request's answer is sent (the two would share the
    process's CPU), or (`in_request`, e.g. in tests) right here. What fails stays for the worker.
    A row is its id, or the Claim it was written with (born_claimed)."""
    rows = list(rows)
    if not rows:
        return

    def work(row: int | Claim) -> None:
        if isinstance(row, Claim):
            work_claimed(queue, row)
        else:
            work_one(queue, row)

    if in_request:
        for row in rows:
            work(row)
        return
    app = current_app._get_current_object()
    row_ids = [row.row_id if isinstance(row, Claim) else row for row in rows]
    answered = _answered()

    def run():
        # The answer goes out first: its request and this work share the process's CPU.
        answered.wait(ANSWER_WAIT_SECONDS)
        with app.app_context():
            try:
                for row in rows:
                    work(row)
            except Exception:  # noqa: BLE001 - the worker retries; a thread must not die loudly
                log.exception("%s %s failed", queue.name, row_ids)
            finally:
                db.session.remove()

    threading.Thread(target=run, name=f"wake {queue.name}", daemon=True).start()


# How long a wake-up waits for its request's answer to be sent before it works anyway (a response
# that its server never closes, e.g. a test client's).
ANSWER_WAIT_SECONDS = 1.0


def _answered() -> threading.Event:
    """Set once the request's answer has been sent (the server closes the response after its last
    byte), or at once outside a request."""
    event = threading.Event()
    if not has_request_context():
        event.set()
        return event

    @after_this_request
    def when_sent(response):
        response.call_on_close(event.set)
        return response

    return event


def run_worker(
    work_round: Callable[[int], int],
    *,
    name: str,
    poll_seconds: float = 1.0,
    once: bool = False,
    limit: int = 50,
) -> None:
    """A worker loop: `work_round(limit)` (e.g. work_due of a queue) again and again, without a
    pause while a round was full. A round that fails (a bad row, the database restarting) is logged
    and the loop goes on with a fresh session."""
    while True:
        busy = False
        try:
            busy = work_round(limit) >= limit
        except Exception:  # noqa: BLE001 - the worker must outlive a bad round or a database restart
            db.session.rollback()
            log.exception("%s worker round failed", name)
        finally:
            db.session.remove()
        health.beat(name)
        if once:
            return
        if not busy:
            time.sleep(poll_seconds)


def exclusive(name: str) -> bool:
    """Whether this transaction may run the work `name` (a daily sweep, a fill) while no other
    worker does: on PostgreSQL a transaction-level advisory lock, taken without waiting and given
    back at the commit or rollback; the workers that do not get it skip their turn. SQLite: True
    (one machine, one writer at a time)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
    return bool(db.session.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(key))))
