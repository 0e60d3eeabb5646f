"""Each branch is its own place of business: its own location in the DSFinV-K export (which can be
made per branch) and its own entry in the tax-office registration data; closings stay per till."""

import pytest

from store.branches import services as branches
from store.core.audit import Actor
from store.core.timeutil import local_today
from store.extensions import db
from store.fiscal import dsfinvk, registration
from store.till import services as t
from tests.fiscal.test_dsfinvk import rows, unzip

pytestmark = pytest.mark.clock  # the day's sales, closings and the export of "today": one day


@pytest.fixture
def north(shop, take_in):
    """Branch Nord with its own till, tax number and a sold lamp; both tills closed today."""
    branch = branches.save_branch(
        Actor.system(),
        None,
        name="Kaufhaus Nord",
        address="Nordweg 2, 49074 Osnabrück",
        tax_number="65/1",
    )
    db.session.flush()
    till = t.save_till(Actor.system(), None, name="Kasse Nord", serial="N-1", branch_id=branch.id)
    lamp = take_in(shop.clothes, "Lampe", 900)[0]
    lamp.branch_id = branch.id
    db.session.commit()
    actor = Actor(user=shop.supervisor, source="web", till_id=till.id)
    t.open_session(actor, till, float_cents=0)
    t.add_code(actor, till, lamp.code)
    t.checkout(actor, till, [t.PaymentIn("cash", 900)])
    t.close_session(actor, till, counted_cents=900)
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 1250)])
    t.close_session(shop.actor, shop.till, counted_cents=11250)
    db.session.commit()
    return branch, till


def test_each_branch_is_its_own_location_and_exports_on_its_own(shop, north):
    branch, till = north
    today = local_today()
    everything = unzip(dsfinvk.export_range(today, today).file.read())
    locations = {r["Z_KASSE_ID"]: r for r in rows(everything, "location.csv")}
    assert locations["N-1"]["LOC_NAME"] == "Kaufhaus Nord"
    assert locations["N-1"]["LOC_ORT"] == "Osnabrück" and locations["N-1"]["LOC_PLZ"] == "49074"
    assert locations[shop.till.serial]["LOC_NAME"] == shop.till.branch.name
    only_north = dsfinvk.export_range(today, today, branch.id)
    files = unzip(only_north.file.read())
    assert {r["Z_KASSE_ID"] for r in rows(files, "cashpointclosing.csv")} == {"N-1"}
    assert [r["LOC_NAME"] for r in rows(files, "location.csv")] == ["Kaufhaus Nord"]
    # the branch's closing reconciles on its own: its payments are the lamp's 9 €
    [closing] = rows(files, "cashpointclosing.csv")
    assert closing["Z_SE_ZAHLUNGEN"] == "9,00" and "filiale" in only_north.filename


def test_each_branch_is_its_own_entry_of_the_registration(shop, north):
    branch, till = north
    sites = {s.shop.name: s for s in registration.sites(registration.registrations())}
    assert [r.name for r in sites["Kaufhaus Nord"].tills] == ["Kasse Nord"]
    assert sites["Kaufhaus Nord"].shop.tax_number == "65/1"
    assert sites["Kaufhaus Nord"].shop.city == "Osnabrück"
    assert [r.name for r in sites[shop.till.branch.name].tills] == ["Kasse 1"]
    header, table = registration.registration_rows(registration.registrations())
    by_till = {row[header.index("Kasse")]: row for row in table}
    assert by_till["Kasse Nord"][header.index("Betriebsstätte")] == "Kaufhaus Nord"
    assert by_till["Kasse Nord"][header.index("Steuernummer")] == "65/1"


def test_the_registration_api_lists_the_sites(shop, north, client, api_token, make_user):
    admin = make_user("admin")
    body = client.get("/api/v1/fiscal/registration", headers=api_token(admin)).get_json()
    assert sorted(s["name"] for s in body["sites"]) == sorted(["Kaufhaus Nord", shop.till.branch.name])
