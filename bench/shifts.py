"""Monthly hours sheets with a year of clock entries in the database: one trainee and 200 trainees,
time (median, p95) and peak memory (tracemalloc), beside the same figures computed by raw SQL.

    .venv/bin/python bench/shifts.py [--trainees 200] [--days 365]
    BENCH_DATABASE_URL=postgresql://… .venv/bin/python bench/shifts.py

Seed: every trainee works Mon–Fri, one shift a day with a Kommen and a Gehen a few minutes off the
plan, and each day confirmed (one in twelve as sick). The raw SQL computes the same per-day figures
(planned, clocked after the break rule, confirmed, code) and the allowance with window functions; the
totals are compared, so both sides really do the same work.
"""

import argparse
import random
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from common import Client, database_url, live, make_app, report, timed  # noqa: I001

BERLIN = ZoneInfo("Europe/Berlin")


def seed(app, trainees: int, days: int) -> tuple[date, str]:
    """Users, agreements, shifts, clock events and confirmed days for `days` back from today."""
    from store.auth import services as auth
    from store.auth.models import User
    from store.core.audit import Actor
    from store.extensions import db
    from store.shifts import services, worktime
    from store.shifts.models import Agreement, AttendanceEntry, ClockEvent, Shift, Station

    with app.app_context():
        actor = Actor.system()
        station = services.save_station(actor, None, name="Lager", staffed_weekdays=[0, 1, 2, 3, 4])
        auth.create_user(actor, username="bench", role="supervisor", password="bench-pass")
        db.session.commit()
        now = datetime.now(UTC)
        today = now.astimezone(BERLIN).date()
        first = today - timedelta(days=days)
        db.session.execute(
            sa.insert(User),
            [
                {
                    "username": f"tn{n:04d}",
                    "first_name": "Teil",
                    "last_name": f"Nehmer {n}",
                    "role": "trainee",
                    "badge": f"5{n:06d}",
                    "is_active_account": True,
                    "created_at": now,
                }
                for n in range(trainees)
            ],
        )
        users = db.session.scalars(
            sa.select(User.id).where(User.role == "trainee").order_by(User.id)
        ).all()
        db.session.execute(
            sa.insert(Agreement),
            [
                {
                    "user_id": uid,
                    "measure": "agh",
                    "starts_on": first - timedelta(days=30),
                    "ends_on": None,
                    "weekly_minutes": 25 * 60,
                    "workdays": [0, 1, 2, 3, 4],
                    "hourly_allowance_cents": 150,
                    "max_months": 24,
                    "updated_at": now,
                }
                for uid in users
            ],
        )
        rng = random.Random(3)
        shifts, events, entries = [], [], []
        seq = dict.fromkeys(users, 0)
        day = first
        while day < today:
            if day.weekday() < 5:
                start = datetime.combine(day, dtime(9, 0), tzinfo=BERLIN).astimezone(UTC)
                end = datetime.combine(day, dtime(14, 30), tzinfo=BERLIN).astimezone(UTC)
                for uid in users:
                    shifts.append(
                        {
                            "user_id": uid,
                            "station_id": station.id,
                            "day": day,
                            "starts_at": start,
                            "ends_at": end,
                            "status": "planned",
                            "sequence": 0,
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                    if rng.random() < 1 / 12:
                        entries.append(
                            {
                                "user_id": uid,
                                "day": day,
                                "code": "sick_no_certificate",
                                "minutes": 0,
                                "break_minutes": 0,
                                "late_minutes": 0,
                                "early_leave_minutes": 0,
                                "confirmed_at": end,
                                "source": "web",
                            }
                        )
                        continue
                    came = start + timedelta(minutes=rng.randrange(-10, 15))
                    went = end + timedelta(minutes=rng.randrange(-20, 40))
                    for kind, at in (("in", came), ("out", went)):
                        seq[uid] += 1
                        events.append(
                            {
                                "user_id": uid,
                                "seq": seq[uid],
                                "kind": kind,
                                "at": at,
                                "recorded_at": at,
                                "source": "web",
                            }
                        )
                    worked = int((went - came).total_seconds() // 60)
                    net = worked - worktime.break_deduction(worked, 0, [(360, 30), (540, 45)])
                    entries.append(
                        {
                            "user_id": uid,
                            "day": day,
                            "code": "present",
                            "minutes": net,
                            "break_minutes": worked - net,
                            "late_minutes": 0,
                            "early_leave_minutes": 0,
                            "confirmed_at": went + timedelta(hours=2),
                            "source": "web",
                        }
                    )
            day += timedelta(days=1)
        for table, rows in ((Shift, shifts), (ClockEvent, events), (AttendanceEntry, entries)):
            for n in range(0, len(rows), 20_000):
                db.session.execute(sa.insert(table), rows[n : n + 20_000])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))  # as autovacuum does on a live server
            db.session.commit()
        print(
            f"  seeded {len(users)} trainees, {len(shifts)} shifts, {len(events)} clock "
            f"events, {len(entries)} attendance entries ({Station.__tablename__}: 1)"
        )
        last_month = today.replace(day=1) - timedelta(days=1)
        token = auth.create_api_token(
            actor, db.session.scalar(sa.select(User).where(User.username == "bench"))
        )[1]
        db.session.commit()
        return last_month, token


RAW = """
WITH ev AS (
  SELECT e.user_id, e.kind, e.at,
         LEAD(e.kind) OVER (PARTITION BY e.user_id ORDER BY e.at, e.seq) AS next_kind,
         LEAD(e.at) OVER (PARTITION BY e.user_id ORDER BY e.at, e.seq) AS next_at
  FROM clock_event e
  WHERE e.user_id IN ({ids}) AND e.at >= :lo AND e.at < :hi AND e.kind <> 'void'
    AND NOT EXISTS (SELECT 1 FROM clock_event r WHERE r.replaces_id = e.id)
), pairs AS (
  SELECT user_id, {local_day} AS day, {minutes} AS worked
  FROM ev WHERE kind = 'in' AND next_kind = 'out'
), clocked AS (
  SELECT user_id, day, SUM(worked) AS worked FROM pairs GROUP BY user_id, day
), planned AS (
  SELECT user_id, day, SUM({shift_minutes}) AS minutes FROM shift
  WHERE user_id IN ({ids}) AND day >= :first AND day <= :last AND status = 'planned'
  GROUP BY user_id, day
), confirmed AS (
  SELECT a.user_id, a.day, a.code, a.minutes FROM attendance_entry a
  WHERE a.user_id IN ({ids}) AND a.day >= :first AND a.day <= :last
    AND NOT EXISTS (SELECT 1 FROM attendance_entry r WHERE r.replaces_id = a.id)
)
SELECT p.user_id, p.day, p.minutes AS planned,
       CASE WHEN c.worked IS NULL THEN NULL
            WHEN c.worked <= 360 THEN c.worked
            WHEN c.worked <= 390 THEN 360
            WHEN c.worked <= 570 THEN c.worked - 30
            WHEN c.worked <= 585 THEN 540
            ELSE c.worked - 45 END AS clocked,
       f.code, f.minutes AS confirmed, ag.hourly_allowance_cents AS rate
FROM planned p
LEFT JOIN clocked c ON c.user_id = p.user_id AND c.day = p.day
LEFT JOIN confirmed f ON f.user_id = p.user_id AND f.day = p.day
LEFT JOIN agreement ag ON ag.user_id = p.user_id AND ag.starts_on <= p.day
     AND (ag.ends_on IS NULL OR ag.ends_on >= p.day)
ORDER BY p.user_id, p.day
"""


def raw_sheets(conn, dialect: str, user_ids: list[int], month_end: date) -> dict:
    """The same per-day figures and totals by raw SQL."""
    first = month_end.replace(day=1)
    lo = datetime.combine(first - timedelta(days=1), dtime(0), tzinfo=BERLIN).astimezone(UTC)
    hi = datetime.combine(month_end + timedelta(days=2), dtime(0), tzinfo=BERLIN).astimezone(UTC)
    if dialect == "postgresql":
        local_day = "CAST((at AT TIME ZONE 'Europe/Berlin') AS date)"
        minutes = "CAST(FLOOR(EXTRACT(EPOCH FROM (next_at - at)) / 60) AS integer)"
        shift_minutes = "CAST(FLOOR(EXTRACT(EPOCH FROM (ends_at - starts_at)) / 60) AS integer)"
        bind = {"lo": lo, "hi": hi}
    else:  # SQLite keeps naive UTC text and knows no zones: the month's offset from Python
        offset = int(
            datetime.combine(first + timedelta(days=14), dtime(12), tzinfo=BERLIN)
            .utcoffset()
            .total_seconds()
            // 3600
        )
        local_day = f"date(at, '+{offset} hours')"
        minutes = "CAST((julianday(next_at) - julianday(at)) * 1440 + 0.0001 AS integer)"
        shift_minutes = "CAST((julianday(ends_at) - julianday(starts_at)) * 1440 + 0.0001 AS integer)"
        bind = {
            "lo": lo.replace(tzinfo=None).isoformat(" "),
            "hi": hi.replace(tzinfo=None).isoformat(" "),
        }
    sql = RAW.format(
        ids=",".join(str(i) for i in user_ids),
        local_day=local_day,
        minutes=minutes,
        shift_minutes=shift_minutes,
    )
    rows = conn.execute(sa.text(sql), {**bind, "first": first, "last": month_end}).all()
    totals = {"planned": 0, "clocked": 0, "confirmed": 0, "allowance": 0}
    attended: dict[tuple[int, int], int] = {}
    for user_id, _day, planned, clocked, code, confirmed, rate in rows:
        planned_work = planned - (30 if planned > 360 else 0)
        totals["planned"] += planned_work
        totals["clocked"] += clocked or 0
        totals["confirmed"] += confirmed or 0
        if code == "present" and rate:
            attended[(user_id, rate)] = attended.get((user_id, rate), 0) + confirmed
    totals["allowance"] = sum((m * r * 2 + 60) // 120 for (_u, r), m in attended.items())
    return totals


def peak_mb(fn) -> float:
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    url, label = database_url()
    app = make_app(url)
    started = time.perf_counter()
    month_end, token = seed(app, args.trainees, args.days)
    print(
        f"Shifts on {label}: seeded in {time.perf_counter() - started:.1f} s; sheet of {month_end:%Y-%m}"
    )
    from store.auth.models import User
    from store.extensions import db
    from store.shifts import sheets

    engine = sa.create_engine(url)
    with app.app_context():
        people = db.session.scalars(
            sa.select(User).where(User.role == "trainee").order_by(User.id)
        ).all()
        one = people[:1]

        def fresh(ids):
            """As a request does: a new session, the people loaded, then their sheets."""
            db.session.remove()
            return db.session.scalars(sa.select(User).where(User.id.in_(ids)).order_by(User.id)).all()

        def ours_one():
            return sheets.month_sheets(fresh([one[0].id]), month_end.year, month_end.month)

        every = [p.id for p in people]

        def ours_all():
            return sheets.month_sheets(fresh(every), month_end.year, month_end.month)

        with engine.connect() as conn:
            dialect = engine.dialect.name
            for title, ours, ids, runs in (
                ("month sheet, 1 trainee", ours_one, [one[0].id], args.runs),
                (f"month sheets, {len(people)} trainees", ours_all, every, max(args.runs // 4, 5)),
            ):
                got = ours()
                totals = {
                    "planned": sum(s.planned for s in got),
                    "clocked": sum(s.clocked for s in got),
                    "confirmed": sum(s.confirmed for s in got),
                    "allowance": sum(s.allowance_cents for s in got),
                }
                raw = raw_sheets(conn, dialect, ids, month_end)
                assert totals == raw, (totals, raw)
                times = timed(ours, runs)
                raw_times = timed(lambda ids=ids: raw_sheets(conn, dialect, ids, month_end), runs)
                report(title, times, raw_times)
                mine = peak_mb(ours)
                base = peak_mb(lambda ids=ids: raw_sheets(conn, dialect, ids, month_end))
                print(
                    f"  {'':44} peak memory {mine:8.1f} MB      | raw SQL: {base:6.1f} MB"
                    f"   (totals agree: {totals['confirmed'] // 60} h confirmed, "
                    f"{totals['allowance'] / 100:.2f} € allowance)",
                    flush=True,
                )
        db.session.remove()
    engine.dispose()

    with app.app_context(), live(app) as port:
        client = Client(port, token)
        uid = every[0]
        month = f"{month_end:%Y-%m}"

        def hours():
            status, body = client.request("GET", f"/api/v1/participants/{uid}/hours?month={month}")
            assert status == 200, body

        report("GET …/participants/{id}/hours (HTTP, JSON)", timed(hours, args.runs))
    drop_own_database(app, url)


def drop_own_database(app, url: str) -> None:
    """The PostgreSQL database this run made (only that one)."""
    from sqlalchemy.engine import make_url

    from store.extensions import db

    target = make_url(url)
    if target.get_backend_name() != "postgresql":
        return
    with app.app_context():
        db.engine.dispose()
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


if __name__ == "__main__":
    main()
