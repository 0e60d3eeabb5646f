"""Who sees what: the dashboard and the funders' files for supervisors and coordinators, a trainee's
till figures for the trainee and supervisors only; files safe to open in Excel; no names."""

import io
import shutil
import subprocess
import uuid
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from store.extensions import db
from store.till import services as till
from tests.conftest import tr
from tests.core.test_code_shape import ALLOWED

pytestmark = pytest.mark.clock(moment=datetime(2026, 11, 20, 10, 0, tzinfo=UTC))


def _sell(shop, item, when):
    till.sell(
        shop.actor,
        shop.till,
        str(uuid.uuid4()),
        [till.LineIn(code=item.code)],
        [till.PaymentIn("cash", item.price_cents)],
        now=when,
    )
    db.session.commit()


def test_the_dashboard_is_for_supervisors_and_coordinators(client, make_user, login):
    login(make_user("trainee"))
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/funders/2026-11.pdf").status_code == 403
    client.post("/logout")
    login(make_user("coordinator"))
    page = client.get("/reports/?from=2026-11-01&to=2026-11-30")
    assert page.status_code == 200
    assert tr("Environmental impact") in page.get_data(as_text=True)
    assert client.get("/reports/funders").status_code == 200
    assert client.get("/reports/funders/2026-13.pdf").status_code == 404


def test_a_trainee_sees_their_own_till_figures_and_supervisors_see_them_too(
    shop, client, login, make_user
):
    _sell(shop, shop.items[0], datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    login(shop.cashier)
    own = client.get("/reports/till?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
    assert 'id="till-sales" data-value="1"' in own and 'id="till-items" data-value="1"' in own
    other = make_user("trainee")
    assert client.get(f"/reports/till/{other.id}").status_code == 403
    client.post("/logout")
    login(make_user("coordinator"))
    assert client.get(f"/reports/till/{shop.cashier.id}").status_code == 403
    client.post("/logout")
    login(shop.supervisor)
    page = client.get(f"/reports/till/{shop.cashier.id}?from=2026-11-01&to=2026-11-30")
    assert page.status_code == 200 and 'id="till-sales" data-value="1"' in page.get_data(as_text=True)


def test_till_figures_cannot_reach_a_partner_export():
    # the partner exports live in store/network, which may not import store/reports
    assert "reports" not in ALLOWED["network"]


def test_tables_are_safe_to_open_in_excel(shop, client, make_category, take_in, make_user, login):
    tricky = make_category("=HYPERLINK(1)")
    [item] = take_in(tricky, "Vase", 300)
    _sell(shop, item, datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    login(make_user("supervisor"))
    query = "?from=2026-11-01&to=2026-11-30"
    text = client.get("/reports/table/sales_category.csv" + query).data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "\n=HYPERLINK" not in text
    book = load_workbook(io.BytesIO(client.get("/reports/table/sales_category.xlsx" + query).data))
    values = [c.value for row in book.active.iter_rows() for c in row]
    assert "'=HYPERLINK(1)" in values
    assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
def test_the_funders_report_names_nobody(shop, client, make_user, login, tmp_path):
    _sell(shop, shop.items[0], datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    make_user("trainee", first_name="Zuzanna", last_name="Quellmalz")
    login(make_user("coordinator"))
    pdf = client.get("/reports/funders/2026-Q4.pdf").data
    path = tmp_path / "q4.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    assert "Bericht für Zuwendungsgeber" in text and "ESF" in text
    for name in ("Quellmalz", "Zuzanna", shop.cashier.last_name, shop.supervisor.last_name):
        assert name not in text
    xlsx = load_workbook(io.BytesIO(client.get("/reports/funders/2026-Q4.xlsx").data))
    cells = [str(c.value) for ws in xlsx.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert not [c for c in cells if "Quellmalz" in c or shop.cashier.last_name in c]
