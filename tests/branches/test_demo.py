"""The demo shop has two branches, each with tills, printers, stations, items and people."""

import sqlalchemy as sa

from store.branches import services as branches
from store.branches.models import Branch
from store.extensions import db
from store.goods.models import Item, MovementKind, StockMovement
from store.printing.models import Printer
from store.shifts.models import Station
from store.till.models import Till


def test_demo_data_makes_two_branches_and_a_coordinator_sees_both(runner):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    found = {b.name: b for b in db.session.scalars(sa.select(Branch))}
    assert set(found) == {"Kaufhaus Mitte", "Kaufhaus Nord"}
    for branch in found.values():
        for model in (Till, Printer, Station, Item):
            count = db.session.scalar(
                sa.select(sa.func.count()).select_from(model).where(model.branch_id == branch.id)
            )
            assert count > 0, (branch.name, model.__name__)
        assert branch.members
    users = {u.username: u for u in found["Kaufhaus Nord"].members}
    assert "becker" in users and "schulz" not in users
    coordinator = next(u for u in found["Kaufhaus Mitte"].members if u.username == "koordination")
    assert branches.visible_ids(coordinator) == {b.id for b in found.values()}
    transfers = db.session.scalar(
        sa.select(sa.func.count()).where(StockMovement.kind == MovementKind.TRANSFER_IN)
    )
    assert transfers == 5
    again = runner.invoke(args=["demo-data"])
    assert (
        again.exit_code == 0 and db.session.scalar(sa.select(sa.func.count()).select_from(Branch)) == 2
    )
