"""The reports: figures against sums computed here by plain SQL on the demo shop, the API's paths,
fields and access, and versioned environmental factors (a closed period keeps its figures)."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from store.core.audit import Actor
from store.extensions import db
from store.goods import services as goods
from store.reports import services
from store.reports.services import Period
from store.till import services as till

pytestmark = pytest.mark.clock(moment=datetime(2026, 11, 20, 10, 0, tzinfo=UTC))


def sell_items(shop, items, *, now, eligibility=False):
    lines = [till.LineIn(code=i.code) for i in items]
    total = sum(i.price_cents for i in items) * (80 if eligibility else 100) // 100
    sale, _created = till.sell(
        shop.actor,
        shop.till,
        str(uuid.uuid4()),
        lines,
        [till.PaymentIn("cash", total)],
        eligibility=eligibility,
        now=now,
    )
    db.session.commit()
    return sale


def test_the_previous_period_is_whole_months_or_the_same_number_of_days():
    assert Period(date(2026, 11, 1), date(2026, 11, 30)).previous() == Period(
        date(2026, 10, 1), date(2026, 10, 31)
    )
    assert Period(date(2026, 10, 1), date(2026, 12, 31)).previous() == Period(
        date(2026, 7, 1), date(2026, 9, 30)
    )
    assert Period(date(2026, 11, 10), date(2026, 11, 16)).previous() == Period(
        date(2026, 11, 3), date(2026, 11, 9)
    )


def test_sales_figures_match_the_receipts(shop):
    day = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    sell_items(shop, shop.items[:1], now=day)
    card = sell_items(shop, shop.items[1:2], now=day + timedelta(hours=1), eligibility=True)
    assert card.total_cents == 1000  # 20 % off for the entitlement card
    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    report = services.sales_report(period, "day")
    assert report["gross_cents"] == 2250
    assert report["receipts"] == 2
    assert report["net_cents"] == 2250 - round(2250 * 19 / 119)
    assert report["groups"] == [
        {"key": "2026-11-18", "gross_cents": 2250, "net_cents": report["net_cents"]}
    ]
    eligible = services.eligibility_report(period)
    assert (eligible["eligible_receipts"], eligible["eligible_gross_cents"]) == (1, 1000)
    flow = services.goods_flow_report(period)
    assert (flow["taken_in"], flow["sold"], flow["in_stock"]) == (3, 2, 1)
    impact = services.impact_report(period)
    # Kleidung: the WRAP textile default, 0.5 kg per item and 4 kg CO₂e per kg
    assert (impact["items"], impact["kg"], impact["co2e_kg"]) == (2, 1.0, 4.0)


def test_changing_a_factor_keeps_the_report_of_a_closed_period(shop, make_user):
    admin = make_user("admin")
    october = datetime(2026, 10, 15, 10, 0, tzinfo=UTC)
    sell_items(shop, shop.items[:1], now=october)
    closed = Period(date(2026, 10, 1), date(2026, 10, 31))
    before = services.impact_report(closed)
    goods.set_impact_factors(
        Actor(user=admin), shop.clothes, grams_per_item=800, co2e_g_per_kg=10000, source="own weighing"
    )
    db.session.commit()
    assert services.impact_report(closed) == before
    sell_items(shop, shop.items[1:2], now=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    november = services.impact_report(Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert (november["kg"], november["co2e_kg"]) == (0.8, 8.0)


def test_a_factor_is_a_new_version_never_a_change(shop, make_user):
    admin = Actor(user=make_user("admin"))
    first = goods.set_impact_factors(admin, shop.clothes, grams_per_item=700, co2e_g_per_kg=3000)
    same = goods.set_impact_factors(admin, shop.clothes, grams_per_item=700, co2e_g_per_kg=3000)
    db.session.commit()
    assert first is not None and same is None
    assert [v.grams_per_item for v in goods.impact_history(shop.clothes)] == [700]


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("sales", ("gross_cents", "net_cents", "receipts")),
        ("goods-flow", ("taken_in", "sold", "written_off", "in_stock")),
        ("eligibility", ("receipts", "eligible_receipts", "gross_cents", "eligible_gross_cents")),
        ("impact", ("items", "kg", "co2e_kg")),
        ("hours", ("minutes_attended",)),
    ],
)
def test_the_api_answers_with_totals_groups_method_and_units(client, make_user, api_token, path, fields):
    headers = api_token(make_user("coordinator"))
    answer = client.get(f"/api/v1/reports/{path}?from=2026-11-01&to=2026-11-30", headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert set(fields) <= set(body)
    assert isinstance(body["groups"], list) and body["method"] and body["units"]
    assert (body["from"], body["to"]) == ("2026-11-01", "2026-11-30")


def test_only_coordinators_and_supervisors_read_reports(client, make_user, api_token):
    url = "/api/v1/reports/sales?from=2026-11-01&to=2026-11-30"
    assert client.get(url, headers=api_token(make_user("trainee"))).status_code == 403
    assert client.get(url, headers=api_token(make_user("supervisor"))).status_code == 200
    bad = client.get(
        "/api/v1/reports/sales?from=2026-11-30&to=2026-11-01", headers=api_token(make_user("supervisor"))
    )
    assert bad.status_code == 422
    grouped = client.get(url + "&group=station", headers=api_token(make_user("supervisor")))
    assert grouped.status_code == 422


def test_the_openapi_document_lists_the_report_paths(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for name in ("sales", "goods-flow", "eligibility", "impact", "hours"):
        parameters = {p["name"] for p in paths[f"/reports/{name}"]["get"]["parameters"]}
        assert {"from", "to", "group"} <= parameters


def test_closed_days_are_kept_and_today_is_read_live(shop):
    from store.reports.models import StoredDay

    sell_items(shop, shop.items[:1], now=datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    sell_items(shop, shop.items[1:2], now=datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    assert services.sales_report(period)["gross_cents"] == 2500
    db.session.commit()
    stored = set(db.session.scalars(sa.select(StoredDay.day)))
    assert date(2026, 11, 18) in stored and date(2026, 11, 20) not in stored
    sell_items(shop, shop.items[2:3], now=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    assert services.sales_report(period)["gross_cents"] == 3750


def test_a_sale_counts_on_its_local_day_across_summer_time(shop):
    # 01:30 in Berlin on the day summer time begins; 00:30 on the day it ends (still summer time)
    sell_items(shop, shop.items[:1], now=datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    sell_items(shop, shop.items[1:2], now=datetime(2026, 10, 24, 22, 30, tzinfo=UTC))
    report = services.sales_report(Period(date(2026, 3, 1), date(2026, 10, 31)), "day")
    assert [g["key"] for g in report["groups"]] == ["2026-03-29", "2026-10-25"]


def test_the_day_store_can_be_emptied_and_fills_again(shop, runner):
    sell_items(shop, shop.items[:1], now=datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    before = services.sales_report(period)
    db.session.commit()
    result = runner.invoke(args=["reports", "forget-days"])
    assert result.exit_code == 0 and "stored days forgotten" in result.output
    assert services.sales_report(period) == before


def test_the_worker_fills_the_closed_days_once_a_day_so_no_report_waits_for_them(shop, runner):
    from store.reports.models import StoredDay
    from store.reports.services import days

    sell_items(shop, shop.items[:1], now=datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    days._filled_on = None
    assert days.fill_once_a_day() == days.KEEP_FILLED_DAYS
    assert days.fill_once_a_day() == 0  # the same day: nothing asked of the database
    stored = set(db.session.scalars(sa.select(StoredDay.day)))
    assert min(stored) == date(2026, 11, 19) - timedelta(days=days.KEEP_FILLED_DAYS - 1)
    assert max(stored) == date(2026, 11, 19) and date(2026, 11, 20) not in stored
    # a year's dashboard now only reads: no closed day is computed for the user
    year = Period(date(2025, 11, 20), date(2026, 11, 20))
    services.sales_report(year)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredDay)) == len(stored)
    result = runner.invoke(args=["reports", "fill-days"])
    assert result.exit_code == 0 and "0 days stored" in result.output
