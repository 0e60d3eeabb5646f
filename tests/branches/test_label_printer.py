"""Labels print in the shop that took the goods in: the till's label printer, else the branch's own,
else the store's, but only if it stands in that branch."""

from store.branches import services as branches
from store.core.audit import Actor
from store.core.settings import set_setting
from store.extensions import db
from store.goods import services as goods
from store.printing.models import PrintJob
from store.printing.services import save_printer
from tests.conftest import tr


def _printers(shop):
    """Branch Nord; the store's label printer stands in Mitte (the first branch), Nord has one."""
    nord = branches.save_branch(Actor.system(), None, name="Kaufhaus Nord")
    db.session.flush()
    mitte_labels = save_printer(
        Actor.system(), None, name="Etiketten Mitte", backend="virtual", params={}
    )
    nord_labels = save_printer(
        Actor.system(), None, name="Etiketten Nord", backend="virtual", params={}, branch_id=nord.id
    )
    db.session.flush()
    set_setting(Actor.system(), "label_printer_id", mitte_labels.id)
    db.session.commit()
    return nord, mitte_labels, nord_labels


def _labels_of(shop, category, branch_id):
    entry = goods.IntakeEntry(category_id=category.id, description="Vase", price_cents=300)
    items = goods.take_in_items(Actor.system(), [entry], branch_id=branch_id)
    jobs = goods.queue_labels(Actor.system(), items)
    db.session.commit()
    return {job.printer_id for job in jobs}


def test_labels_never_come_out_in_another_shop(shop, client, login, make_user):
    nord, mitte_labels, nord_labels = _printers(shop)
    assert _labels_of(shop, shop.clothes, shop.till.branch_id) == {mitte_labels.id}
    assert _labels_of(shop, shop.clothes, nord.id) == set()  # the store's stands in Mitte
    login(make_user("admin"))
    form = {"name": nord.name, "is_active": "y", "label_printer_id": str(nord_labels.id)}
    page = client.get(f"/admin/branches/{nord.id}").get_data(as_text=True)
    assert "Etiketten Nord" in page and "Etiketten Mitte" not in page  # its own printers only
    assert client.post(f"/admin/branches/{nord.id}", data=form).status_code == 302
    db.session.expire_all()  # the request wrote it in its own session
    assert _labels_of(shop, shop.clothes, nord.id) == {nord_labels.id}
    assert db.session.query(PrintJob).filter_by(printer_id=mitte_labels.id).count() == 1


def test_a_branch_label_printer_stands_in_that_branch(shop, client, login, make_user):
    nord, mitte_labels, _nord_labels = _printers(shop)
    login(make_user("admin"))
    form = {"name": nord.name, "is_active": "y", "label_printer_id": str(mitte_labels.id)}
    page = client.post(f"/admin/branches/{nord.id}", data=form)
    assert page.status_code == 200
    assert tr("This printer stands in another branch.") in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(nord), nord.id).label_printer_id is None


def test_the_goods_settings_show_each_branchs_label_printer(shop, client, login, make_user):
    nord, _mitte_labels, nord_labels = _printers(shop)
    nord.label_printer_id = nord_labels.id
    db.session.commit()
    login(make_user("admin"))
    page = client.get("/admin/settings").get_data(as_text=True)
    assert f'href="/admin/branches/{nord.id}">Kaufhaus Nord</a>: Etiketten Nord' in page
    assert tr("the label printer above, if it stands in this branch") in page  # the first branch
