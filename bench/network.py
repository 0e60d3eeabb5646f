"""The network's heavy work: the pseudonymised evaluation export over a year of records, and the
outbox worker delivering events to a partner's endpoint on loopback.

    .venv/bin/python bench/network.py [--trainees 200] [--days 365] [--events 300]
    BENCH_DATABASE_URL=postgresql://… .venv/bin/python bench/network.py

Seed: the shifts benchmark's year (every trainee Mon–Fri, clocked and confirmed, one day in twelve
sick), plus an evaluation consent per trainee and a supervisor assessment of every skill each
quarter. Beside the export, raw SQL computes the hours and absence days per person and month (the
bulk of the dataset, without the skill levels and pseudonyms). Beside the worker, the bare
`requests` library posts the same signed bodies to the same receiver.
"""

import argparse
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
import sqlalchemy as sa
from common import database_url, make_app, report, timed  # noqa: I001
from shifts import peak_mb, seed

RAW_EVALUATION = """
SELECT a.user_id, {month} AS month,
       SUM(CASE WHEN a.code = 'present' THEN a.minutes ELSE 0 END) AS attended,
       SUM(a.minutes) AS confirmed,
       SUM(CASE WHEN a.code = 'sick_no_certificate' THEN 1 ELSE 0 END) AS sick_days,
       SUM(CASE WHEN a.code = 'unexcused' THEN 1 ELSE 0 END) AS unexcused_days
FROM attendance_entry a
WHERE a.day >= :first AND a.day <= :last
  AND NOT EXISTS (SELECT 1 FROM attendance_entry r WHERE r.replaces_id = a.id)
GROUP BY a.user_id, {month}
ORDER BY a.user_id, month
"""


def seed_network(app, first: date, today: date) -> None:
    from store.auth.models import User
    from store.extensions import db
    from store.network.models import Consent
    from store.skills import services as skills
    from store.skills.models import Assessment, AssessmentRating

    with app.app_context():
        now = datetime.now(UTC)
        users = db.session.scalars(sa.select(User.id).where(User.role == "trainee")).all()
        boss = db.session.scalar(sa.select(User.id).where(User.username == "bench"))
        db.session.execute(
            sa.insert(Consent),
            [
                {
                    "participant_id": uid,
                    "partner_id": None,
                    "scopes": ["evaluation"],
                    "basis": "consent",
                    "given_on": first,
                    "recorded_at": now,
                }
                for uid in users
            ],
        )
        skill_ids = [s.id for s in skills.skills()]
        day = first + timedelta(days=20)
        while day < today:
            db.session.execute(
                sa.insert(Assessment),
                [
                    {
                        "participant_id": uid,
                        "day": day,
                        "assessor_id": boss,
                        "is_self": False,
                        "created_at": now,
                    }
                    for uid in users
                ],
            )
            ids = db.session.scalars(sa.select(Assessment.id).where(Assessment.day == day)).all()
            db.session.execute(
                sa.insert(AssessmentRating),
                [
                    {"assessment_id": aid, "skill_id": sid, "level": 1 + (aid + sid) % 4}
                    for aid in ids
                    for sid in skill_ids
                ],
            )
            day += timedelta(days=91)
        db.session.commit()


class Receiver(BaseHTTPRequestHandler):
    received = 0

    def do_POST(self):  # noqa: N802 - the http.server API
        self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received += 1
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url, label = database_url()
    app = make_app(url)
    app.config["OUTBOUND_ALLOW_HOSTS"] = "127.0.0.1"  # the bench's receiver (store.core.outbound)
    started = time.perf_counter()
    month_end, _token = seed(app, args.trainees, args.days)
    today = month_end + timedelta(days=1)
    first = today - timedelta(days=args.days)
    seed_network(app, first, today)
    print(f"Network on {label}: seeded in {time.perf_counter() - started:.1f} s")

    from store.auth.models import User
    from store.core.audit import Actor
    from store.extensions import db
    from store.network import exports, outbox, services

    engine = sa.create_engine(url)
    month = (
        "to_char(a.day, 'YYYY-MM')"
        if engine.dialect.name == "postgresql"
        else "strftime('%Y-%m', a.day)"
    )
    period = (first, month_end)
    with app.app_context():
        actor = Actor.system()

        def ours():
            db.session.remove()
            return exports.evaluation_export(actor, *period)

        def raw():
            with engine.connect() as conn:
                return conn.execute(
                    sa.text(RAW_EVALUATION.format(month=month)), {"first": period[0], "last": period[1]}
                ).all()

        size = len(ours().body)
        rows = len(raw())
        report(
            f"evaluation export, {args.trainees} people × 12 months",
            timed(ours, args.runs),
            timed(raw, args.runs),
        )
        print(
            f"  {'':44} peak memory {peak_mb(ours):8.1f} MB      | raw SQL: "
            f"{peak_mb(raw):6.1f} MB   ({rows} person-months, ZIP {size // 1024} KB)",
            flush=True,
        )
        db.session.rollback()

        server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        hook = f"http://127.0.0.1:{server.server_port}/hook"
        secret = "bench-secret-0123456789"
        partner = services.save_partner(
            actor,
            None,
            name="Bench partner",
            kind="jobcenter",
            url=hook,
            secret=secret,
            events=["participant.exited"],
        )
        person = db.session.scalar(sa.select(User).where(User.role == "trainee"))
        services.give_consent(actor, person, partner_id=partner.id, scopes=["exit"], given_on=first)
        for n in range(args.events):
            services.add_event(
                "participant.exited", person, {"exit_on": today.isoformat(), "reason": "job", "n": n}
            )
        db.session.commit()
        worker = timed(lambda: outbox.deliver_due(limit=1), args.events)
        bodies = [uuid.uuid4().bytes.hex().encode() * 8 for _ in range(args.events)]

        def bare(body=None):
            body = bodies.pop()
            response = requests.post(
                hook,
                data=body,
                timeout=10,
                headers={
                    "Content-Type": "application/json",
                    **outbox.sign(secret, body, int(time.time()), "bench"),
                },
            )
            assert response.status_code == 204

        baseline = timed(bare, args.events)
        report(
            f"outbox: deliver one event ({args.events})",
            worker,
            baseline,
            baseline_label="bare requests",
        )
        delivered = Receiver.received - args.events
        print(
            f"  {'':44} {delivered} of {args.events} events delivered by the worker, "
            f"{sum(worker) / 1000:.2f} s in all",
            flush=True,
        )
        server.shutdown()


if __name__ == "__main__":
    main()
