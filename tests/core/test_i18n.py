"""German is complete: every string the code and templates mark is translated in the catalogue."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> set[str]:
    method_map = [("store/**.py", "python"), ("templates/**.html", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map,
        keywords={"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return {m for m in found if m}


def test_every_string_has_a_german_translation():
    with open(ROOT / "store/translations/de/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    missing, fuzzy, broken = [], [], []
    for msgid in sorted(_extracted()):
        entry = catalog.get(msgid)
        text = entry.string if entry else None
        text = text[0] if isinstance(text, tuple) else text
        if not text:
            missing.append(msgid)
        elif entry.fuzzy:
            fuzzy.append(msgid)
        elif set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(text)):
            broken.append(msgid)
    assert missing == [], f"untranslated (run make extract-messages, then translate): {missing}"
    assert fuzzy == [] and broken == []


def test_english_and_german_render(client):
    assert "Anmelden" in client.get("/login").get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert "Sign in" in client.get("/login").get_data(as_text=True)
