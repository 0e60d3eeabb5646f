"""The dashboard and the funders' files on the demo shop, against sums computed here by plain SQL."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from store.extensions import db
from store.goods.models import Item
from store.reports.services import Period
from store.till.models import Sale, SaleLine

pytestmark = pytest.mark.clock(moment=datetime(2026, 11, 20, 10, 0, tzinfo=UTC))


@pytest.fixture
def app_config():
    return {"DEMO_HISTORY_DAYS": 14}


def test_the_dashboard_on_the_demo_shop_agrees_with_plain_sql(app, client, make_user, login):
    from store import demo

    demo.load()
    db.session.commit()
    today = date(2026, 11, 20)
    period = Period(today - timedelta(days=27), today)
    gross = db.session.scalar(
        sa.select(sa.func.sum(SaleLine.total_cents))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(Sale.created_at >= period.start, Sale.created_at < period.end, Sale.training.is_(False))
    )
    taken_in = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Item)
        .where(Item.taken_in_at >= period.start, Item.taken_in_at < period.end)
    )
    # a coordinator: the figures of every branch (a supervisor sees only the branch they work in)
    login(make_user("coordinator"))
    page = client.get(f"/reports/?from={period.first}&to={period.last}").get_data(as_text=True)
    assert f'id="sales-gross" data-value="{gross}"' in page
    assert f'id="goods-taken-in" data-value="{taken_in}"' in page
    pdf = client.get("/reports/funders/2026-11.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    xlsx = client.get("/reports/funders/2026-Q4.xlsx")
    assert xlsx.status_code == 200 and xlsx.data.startswith(b"PK")
