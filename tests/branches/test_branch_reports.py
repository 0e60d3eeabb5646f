"""Reports per branch and in total: turnover by branch adds up to the total."""

import pytest

from store.core.timeutil import local_today
from store.reports.services.dashboard import sales_report
from store.reports.services.period import make_period
from tests.branches.test_fiscal_branches import north  # noqa: F401 - the fixture

pytestmark = pytest.mark.clock


def test_turnover_by_branch_and_in_total(shop, north, client, login, make_user):  # noqa: F811
    today = local_today()
    report = sales_report(make_period(today, today), "branch")
    by_branch = {g["label"]: g["gross_cents"] for g in report["groups"]}
    assert by_branch == {shop.till.branch.name: 1250, "Kaufhaus Nord": 900}
    assert sum(by_branch.values()) == report["gross_cents"]
    login(make_user("coordinator"))
    page = client.get("/reports/").get_data(as_text=True)
    assert 'id="sales-by-branch"' in page and "Kaufhaus Nord" in page
