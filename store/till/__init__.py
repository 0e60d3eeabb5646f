"""The till: sell, take payment, print the receipt, open the drawer, close the day.

- models: tills, sessions, carts, sales with their lines and payments, cash movements, closings;
- services/: the rules, one module per use case (see its docstring);
- receipts: the receipt and the X and Z reports as ESC/POS bytes;
- views (the sale screen), deposit_views (deposits on reservations), office_views (cash, closings,
  tills), receipt_views (receipts, voids, returns, the e-receipt), report_views (vouchers to
  invoice), api: the pages and the API.
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

from store.core.access import Role
from store.core.web import Tile, register_tile

SELLERS = frozenset({Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN})
READERS = frozenset({Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN})


def init_app(app: Flask) -> None:
    from store.printing.services import register_device_lookup
    from store.till import (
        api,
        deposit_views,
        office_views,
        personal_data,  # noqa: F401 - registers its personal data (Art. 15)
        receipt_views,
        report_views,
        return_views,
        views,
    )
    from store.till.services import till_printer

    register_device_lookup(till_printer)

    app.register_blueprint(views.bp)
    app.register_blueprint(report_views.bp)
    register_tile(Tile("till_reports.vouchers", _l("Vouchers to invoice"), "folder", READERS, 16))
    app.register_blueprint(api.bp)
    register_tile(Tile("till.index", _l("Till"), "cart", SELLERS, 10))
    register_tile(Tile("till.practice", _l("Practice"), "practice", frozenset({Role.TRAINEE}), 11))
    app.register_blueprint(office_views.bp)
    app.register_blueprint(receipt_views.bp)
    app.register_blueprint(return_views.bp)
    app.register_blueprint(deposit_views.bp)
    register_tile(Tile("till_receipts.sales", _l("Receipts"), "list", SELLERS, 12))
    register_tile(Tile("till_office.closings", _l("Daily closings"), "chart", READERS, 14))
    register_tile(Tile("till_office.tills", _l("Tills"), "cash", frozenset({Role.ADMIN}), 62))
