"""Evidence: facts about a participant's work computed from the bookings of attendance, the till
and the goods intake."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from store.core.timeutil import local_today
from store.extensions import db
from store.goods.models import Item
from store.shifts import services as shifts
from store.shifts.models import AttendanceCode, Shift, ShiftStatus
from store.till.models import Closing, Sale, SaleKind

NO_STATION = None


@dataclass
class Evidence:
    """Facts from the bookings, all time up to today:

    - minutes per station: confirmed days "present" (the entry that counts, after corrections),
      each split across the stations of the shifts planned that day in proportion to their
      planned minutes; a day without a planned shift counts as "no station";
    - sales: receipts of kind sale the person booked as cashier (training receipts excluded);
    - voids: whole-sale voids (Storno) the person booked as cashier;
    - items taken in: goods items with the person as the one who took them in;
    - till closings and differences: Z closings the person counted, how many had a difference,
      and the sum of the absolute differences in cents.
    """

    minutes_by_station: dict[str | None, int]
    sales: int
    voids: int
    items_taken_in: int
    closings: int
    closings_with_difference: int
    difference_cents: int

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes_by_station.values())


def evidence(participant_id: int, *, today: date | None = None) -> Evidence:
    today = today or local_today()
    entries = shifts.effective_entries([participant_id], date(2000, 1, 1), today)
    present = {
        day: e.minutes
        for (_uid, day), e in entries.items()
        if e.code == AttendanceCode.PRESENT and e.minutes > 0
    }
    by_day: dict[date, list[Shift]] = defaultdict(list)
    if present:
        for shift in db.session.scalars(
            sa.select(Shift).where(
                Shift.user_id == participant_id,
                Shift.status == ShiftStatus.PLANNED,
                Shift.day.in_(list(present)),
            )
        ):
            by_day[shift.day].append(shift)
    minutes: dict[str | None, int] = defaultdict(int)
    for day, worked in sorted(present.items()):
        planned = by_day.get(day)
        total = sum(max(s.minutes, 0) for s in planned or [])
        if not planned or total <= 0:
            minutes[NO_STATION] += worked
            continue
        given = 0
        for n, shift in enumerate(sorted(planned, key=lambda s: s.starts_at)):
            share = worked - given if n == len(planned) - 1 else worked * max(shift.minutes, 0) // total
            minutes[shift.station.name] += share
            given += share

    def count(query) -> int:
        return db.session.scalar(query) or 0

    def sales_of(kind: SaleKind):
        return sa.select(sa.func.count(Sale.id)).where(
            Sale.cashier_id == participant_id, Sale.kind == kind, Sale.training.is_(False)
        )

    closing_rows = (
        db.session.execute(
            sa.select(Closing.difference_cents).where(Closing.closed_by_id == participant_id)
        )
        .scalars()
        .all()
    )
    return Evidence(
        minutes_by_station=dict(sorted(minutes.items(), key=lambda kv: (kv[0] is None, -kv[1]))),
        sales=count(sales_of(SaleKind.SALE)),
        voids=count(sales_of(SaleKind.VOID)),
        items_taken_in=count(
            sa.select(sa.func.count(Item.id)).where(Item.taken_in_by_id == participant_id)
        ),
        closings=len(closing_rows),
        closings_with_difference=sum(1 for d in closing_rows if d),
        difference_cents=sum(abs(d) for d in closing_rows),
    )
