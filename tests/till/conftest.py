"""A small shop with one open till, for the till tests."""

import pytest

from store.core.audit import Actor
from store.extensions import db
from store.goods import services as goods
from store.printing.services import save_printer
from store.till import services as till_services


@pytest.fixture
def shop(app, make_user, make_category, take_in):
    """Namespace: till (open, float 100 €), cashier, supervisor, clothes (19 %), books (7 %),
    items (3 jackets), book_article."""

    class Shop:
        pass

    s = Shop()
    printer = save_printer(Actor.system(), None, name="Bondrucker 1", backend="virtual",
                           params={})
    db.session.flush()
    s.till = till_services.save_till(Actor.system(), None, name="Kasse 1", serial="K1-0001",
                                     location="Eingang", receipt_printer_id=printer.id)
    db.session.commit()
    s.cashier = make_user("trainee", first_name="Olena", badge="1000001")
    s.supervisor = make_user("supervisor", first_name="Michael", badge="9000001", pin="9001")
    s.actor = Actor(user=s.cashier, source="web", till_id=s.till.id)
    s.clothes = make_category("Kleidung", vat_rate_bp=1900,
                              markdown_steps=[{"weeks": 4, "percent": 30}])
    s.books = make_category("Bücher", vat_rate_bp=700)
    s.items = take_in(s.clothes, "Jacke", 1250, quantity=3)
    s.book_article = goods.save_article(Actor.system(), None, name="Taschenbuch",
                                        category_id=s.books.id, price_cents=50)
    db.session.commit()
    till_services.open_session(s.actor, s.till, float_cents=10000)
    db.session.commit()
    return s
