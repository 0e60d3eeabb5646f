"""Every report figure follows the header's switcher: one branch chosen, the figures are that
branch's (turnover, receipts, payments, goods flow, hours, the exports); none chosen, the sum of all
the user may see. The API takes `branch`, refused (404) for a branch the caller does not see."""

from datetime import timedelta

import pytest

from store.core.timeutil import local_today, utcnow
from store.extensions import db
from store.reports.services import days
from store.reports.services.goods_flow import goods_flow
from store.reports.services.hours import hours
from store.reports.services.period import make_period
from store.reports.services.sales import load_sales, totals
from store.shifts.models import AttendanceCode, AttendanceEntry
from tests.branches.test_fiscal_branches import north  # noqa: F401 - the fixture
from tests.conftest import tr

pytestmark = pytest.mark.clock


@pytest.fixture
def hours_of_both(shop, north, make_user):  # noqa: F811
    """5 hours of the shop's cashier (Mitte: assigned to none, the first branch), 4 of a Nord trainee."""
    branch, _till = north
    nord = make_user("trainee")
    nord.branches = [branch]
    for person, minutes in ((shop.cashier, 300), (nord, 240)):
        db.session.add(
            AttendanceEntry(
                user_id=person.id,
                day=local_today(),
                code=AttendanceCode.PRESENT,
                minutes=minutes,
                confirmed_at=utcnow(),
                source="test",
            )
        )
    db.session.commit()
    return branch


def _mitte(shop):
    return shop.till.branch_id


def test_the_services_narrow_to_a_branch_live_and_from_the_day_store(shop, hours_of_both):
    nord = hours_of_both.id
    today = local_today()
    period = make_period(today, today)
    for now in (None, utcnow() + timedelta(days=2)):  # today live; then a closed day, stored
        if now is not None:
            days.split(period, now)
        both = load_sales(period, now=now)
        only_nord = load_sales(period, now=now, branches=frozenset({nord}))
        only_mitte = load_sales(period, now=now, branches=frozenset({_mitte(shop)}))
        assert totals(both)["gross_cents"] == 2150
        assert totals(only_nord)["gross_cents"] == 900 and totals(only_nord)["receipts"] == 1
        assert totals(only_mitte)["gross_cents"] == 1250 and totals(only_mitte)["receipts"] == 1
        assert only_nord.payments == {"cash": 900} and only_mitte.payments == {"cash": 1250}
        goods_nord = goods_flow(period, now=now, branches=frozenset({nord}))
        goods_mitte = goods_flow(period, now=now, branches=frozenset({_mitte(shop)}))
        assert (goods_nord["taken_in"], goods_nord["sold"], goods_nord["in_stock"]) == (1, 1, 0)
        assert (goods_mitte["taken_in"], goods_mitte["sold"], goods_mitte["in_stock"]) == (3, 1, 2)
        assert goods_flow(period, now=now)["taken_in"] == 4
    assert hours(period, branches=frozenset({nord}))["minutes_attended"] == 240
    assert hours(period, branches=frozenset({_mitte(shop)}))["minutes_attended"] == 300
    everyone = hours(period, "branch")
    assert everyone["minutes_attended"] == 540
    assert {g["key"]: g["minutes"] for g in everyone["groups"]} == {
        "Kaufhaus Nord": 240,
        shop.till.branch.name: 300,
    }


def test_the_dashboard_and_its_exports_follow_the_switcher(
    shop, hours_of_both, client, login, make_user
):
    login(make_user("coordinator"))
    page = client.get("/reports/").get_data(as_text=True)
    assert 'id="sales-gross" data-value="2150"' in page
    assert f'id="report-branch">{tr("All branches")}<' in page
    client.post("/branch", data={"branch": str(_mitte(shop))})
    page = client.get("/reports/").get_data(as_text=True)
    assert 'id="sales-gross" data-value="1250"' in page
    assert f'id="report-branch">{shop.till.branch.name}<' in page
    csv = client.get("/reports/table/sales_payment.csv")
    assert csv.status_code == 200 and "12,50" in csv.get_data(as_text=True)
    assert "21,50" not in csv.get_data(as_text=True) and "9,00" not in csv.get_data(as_text=True)
    hours_csv = client.get("/reports/table/hours_branch.csv").get_data(as_text=True)
    assert "Kaufhaus Nord" not in hours_csv
    client.post("/branch", data={"branch": str(hours_of_both.id)})
    page = client.get("/reports/").get_data(as_text=True)
    assert 'id="sales-gross" data-value="900"' in page and 'id="report-branch">Kaufhaus Nord<' in page
    client.post("/branch", data={"branch": "all"})
    csv = client.get("/reports/table/sales_branch.csv").get_data(as_text=True)
    assert "Kaufhaus Nord" in csv and shop.till.branch.name in csv


def test_a_supervisor_of_nord_sees_nord_only(shop, hours_of_both, client, login, make_user, api_token):
    today = local_today().isoformat()
    boss = make_user("supervisor")
    boss.branches = [hours_of_both]
    db.session.commit()
    headers = api_token(boss)
    query = f"/api/v1/reports/sales?from={today}&to={today}"
    body = client.get(query, headers=headers).get_json()
    assert body["gross_cents"] == 900 and body["branch"] == hours_of_both.id
    assert body["branch_name"] == "Kaufhaus Nord"
    mitte = client.get(f"{query}&branch={_mitte(shop)}", headers=headers)
    assert mitte.status_code == 404
    assert (
        client.get(f"{query}&branch={hours_of_both.id}", headers=headers).get_json()["gross_cents"]
        == 900
    )
    hours_body = client.get(f"/api/v1/reports/hours?from={today}&to={today}", headers=headers).get_json()
    assert hours_body["minutes_attended"] == 240
    coordinator = api_token(make_user("coordinator"))
    both = client.get(query, headers=coordinator).get_json()
    assert both["gross_cents"] == 2150 and both["branch"] is None
    one = client.get(f"{query}&branch={_mitte(shop)}", headers=coordinator).get_json()
    assert one["gross_cents"] == 1250
    assert client.get(f"{query}&branch=999", headers=coordinator).status_code == 404
    # the page: the switcher cannot choose Mitte for them either
    login(boss)
    client.post("/branch", data={"branch": str(_mitte(shop))})
    assert 'id="sales-gross" data-value="900"' in client.get("/reports/").get_data(as_text=True)


def test_the_funders_report_is_for_those_who_see_every_branch(shop, north, client, login, make_user):  # noqa: F811
    """It counts the provider's participants: a supervisor of one branch of two gets neither the
    link nor the files; the coordinator gets both, and so does a supervisor of both branches."""
    branch, _till = north
    nord = make_user("supervisor")
    nord.branches = [branch]
    db.session.commit()
    login(nord)
    assert tr("Funders' report") not in client.get("/reports/").get_data(as_text=True)
    assert client.get("/reports/funders").status_code == 403
    assert client.get("/reports/funders/2026-11.pdf").status_code == 403
    client.post("/logout")
    login(make_user("coordinator"))
    assert tr("Funders' report") in client.get("/reports/").get_data(as_text=True)
    assert client.get("/reports/funders").status_code == 200
    client.post("/logout")
    nord.branches = [shop.till.branch, branch]  # a supervisor of both branches sees the provider
    db.session.commit()
    login(nord)
    assert client.get("/reports/funders").status_code == 200
