"""The "?" on every trainee screen: a short how-to of at most three steps, each with a pictogram.
Help sits in the same place on every page (the top bar), as WCAG 3.2.6 asks.

The steps are keyed by the page's endpoint; a page without its own steps shows none and no "?".
"""

from flask import Flask, request
from flask_babel import lazy_gettext as _l

MAX_STEPS = 3

# endpoint → [(icon in static/icons.svg, step)]
HELP: dict[str, list[tuple[str, object]]] = {
    "auth.till_login": [
        ("scan", _l("Scan your card.")),
        ("person", _l("No card? Tap your name and type your PIN.")),
    ],
    "auth.pin_login": [
        ("key", _l("Type your PIN with the numbers.")),
        ("arrow-back", _l("Wrong name? Tap Back.")),
    ],
    "core.home": [
        ("clock", _l("Tap Clock in when you start.")),
        ("cart", _l("Tap a picture to start your work.")),
        ("clock", _l("At the end tap Clock out.")),
    ],
    "till.index": [("cash", _l("Tap the till you stand at."))],
    "till.sale": [
        ("scan", _l("Scan each label. Or tap an article.")),
        ("pay-cash", _l("Press F4 or tap Cash. Tap the note the customer gives.")),
        ("coins", _l("Give back the notes and coins shown. Then Enter.")),
    ],
    "till_returns.start": [
        ("scan", _l("Scan the code on the receipt.")),
        ("return", _l("Choose what comes back and why.")),
        ("users", _l("Ask a supervisor to scan their card.")),
    ],
    "till_receipts.sales": [("receipt", _l("Tap Open to see a receipt."))],
    "goods.intake": [
        ("box", _l("Choose the category.")),
        ("tag", _l("Type what it is and the price. Enter after each.")),
        ("printer", _l("Stick the labels on the items.")),
    ],
    "goods.intake_labels": [
        ("printer", _l("Open the PDF and print it.")),
        ("arrow-back", _l("Then go back to taking in goods.")),
    ],
    "goods.items": [("scan", _l("Scan a label or type a word to find an item."))],
    "till.practice": [
        ("practice", _l("Practice sells nothing for real.")),
        ("cart", _l("Tap Start practice.")),
        ("scan", _l("Scan and pay as at the real till.")),
    ],
    "shifts.mine": [("calendar", _l("Here you see when you work."))],
    "attendance.my_hours": [("clock", _l("Here you see your hours of each month."))],
    "skills.mine": [("star", _l("Here you see what you have learned."))],
}


def help_steps() -> list[tuple[str, object]]:
    return HELP.get(request.endpoint or "", [])[:MAX_STEPS]


def init_app(app: Flask) -> None:
    @app.context_processor
    def _help():
        return {"help_steps": help_steps}
