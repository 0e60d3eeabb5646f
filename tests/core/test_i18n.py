"""German is complete: every string the code and templates mark is translated in the catalogue.
Every message a trainee sees is translated into every trainee language; the language is a user
setting, picked at the till sign-in; Arabic and Farsi pages read right to left; documents stay German."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask import request
from flask_migrate import upgrade

from store import create_app
from store.core import i18n, translation_review
from store.core.money import format_cents, parse_cents
from store.extensions import db
from tests.conftest import base_config

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def _extracted() -> set[str]:
    method_map = [("store/**.py", "python"), ("templates/**.html", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map,
        keywords=KEYWORDS,
    ):
        found.add(message if isinstance(message, str) else message[0])
    return {m for m in found if m}


def _catalog(locale: str):
    with open(ROOT / f"store/translations/{locale}/LC_MESSAGES/messages.po", "rb") as handle:
        return read_po(handle)


def test_every_string_has_a_german_translation():
    catalog = _catalog("de")
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


def trainee_messages() -> dict[str, str]:
    """msgid → the first trainee source (template or module) it comes from."""
    for pattern in i18n.TRAINEE_SOURCES:
        assert list(ROOT.glob(pattern)), f"TRAINEE_SOURCES names {pattern}, which matches no file"
    return {
        (m if isinstance(m, str) else m[0]): source
        for m, source in translation_review.trainee_messages().items()
    }


def _same_placeholders(msgid: str, forms: list[str]) -> bool:
    """Each form names the msgid's placeholders; a plural form may spell its number out as a word
    (Arabic "تقييم واحد", one assessment), so it may leave the count out, but the last form has all."""
    wanted = set(PLACEHOLDER.findall(msgid))
    found = [set(PLACEHOLDER.findall(form)) for form in forms]
    if len(forms) == 1:
        return found[0] == wanted
    return found[-1] == wanted and all(f <= wanted for f in found)


@pytest.mark.parametrize("locale", i18n.TRAINEE_LANGUAGES)
def test_every_trainee_message_is_translated(locale):
    """A message from a trainee screen (i18n.TRAINEE_SOURCES) needs a translation in every trainee
    language: all plural forms, the same placeholders, not fuzzy. docs/languages.md says how."""
    catalog = _catalog(locale)
    missing, broken = [], []
    for msgid, source in sorted(trainee_messages().items()):
        entry = catalog.get(msgid)
        forms = entry.string if entry else ""
        forms = list(forms) if isinstance(forms, tuple) else [forms]
        if not entry or entry.fuzzy or not all(forms):
            missing.append(f"{source}: {msgid}")
        elif not _same_placeholders(msgid, forms):
            broken.append(f"{source}: {msgid}")
    assert missing == [], f"{len(missing)} trainee messages lack a {locale} translation: {missing[:30]}"
    assert broken == [], f"placeholders differ from the msgid in {locale}: {broken}"


def test_every_trainee_language_is_offered(app):
    for locale in (*i18n.TRAINEE_LANGUAGES, "en"):
        assert locale in app.config["LANGUAGES"]
        assert locale in i18n.LANGUAGE_NAMES


def test_english_and_german_render(client):
    assert "Anmelden" in client.get("/login").get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert "Sign in" in client.get("/login").get_data(as_text=True)


def test_till_sign_in_offers_every_language_by_its_own_name_without_flags(client):
    page = client.get("/login/till").get_data(as_text=True)
    for name in (
        "Deutsch",
        "Einfaches Deutsch",
        "English",
        "العربية",
        "فارسی",
        "Türkçe",
        "Українська",
        "Русский",
    ):
        assert name in page
    assert not re.search("[\U0001f1e6-\U0001f1ff]", page)  # no regional-indicator (flag) characters
    assert 'dir="ltr"' in page


def test_language_picked_at_the_till_sign_in_becomes_the_setting_of_who_signs_in_next(client, make_user):
    trainee = make_user("trainee", badge="1000001")
    other = make_user("trainee", badge="1000002", locale="uk")
    client.post("/language", data={"locale": "ar", "next": "/login/till"})
    page = client.get("/login/till").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    client.post("/login/till", data={"badge": "1000001"})
    db.session.refresh(trainee)
    assert trainee.locale == "ar"
    home = client.get("/").get_data(as_text=True)
    assert 'dir="rtl"' in home
    assert re.search("[\u0600-\u06ff]", home)  # Arabic text
    assert "<bdi>Trainee</bdi>" in home  # the Latin name keeps its own direction in the sentence
    client.post("/logout")

    # the pick was for one sign-in: the next person keeps their own language
    client.post("/login/till", data={"badge": "1000002"})
    db.session.refresh(other)
    assert other.locale == "uk"
    assert '<html lang="uk" dir="ltr">' in client.get("/").get_data(as_text=True)
    client.post("/logout")

    # and the first person gets Arabic again without picking it
    client.post("/login/till", data={"badge": "1000001"})
    assert '<html lang="ar" dir="rtl">' in client.get("/").get_data(as_text=True)


def test_account_page_changes_the_language(client, make_user, login):
    user = make_user("trainee")
    login(user)
    page = client.get("/account").get_data(as_text=True)
    assert "Українська" in page and 'class="lang-grid"' in page
    client.post("/language", data={"locale": "uk", "next": "/account"})
    db.session.refresh(user)
    assert user.locale == "uk"
    assert '<html lang="uk" dir="ltr">' in client.get("/account").get_data(as_text=True)


def test_plain_german_is_its_own_catalogue_with_german_behind_it(app):
    with app.test_request_context(headers={"Cookie": "lang=de@simple"}):
        from flask_babel import get_locale, gettext, refresh

        refresh()
        assert request.cookies["lang"] == "de@simple"
        assert str(get_locale()) == "de@simple"
        assert i18n.html_lang() == "de" and i18n.text_direction() == "ltr"
        plain = _catalog("de@simple")
        said = next(m.id for m in plain if m.id and m.string and isinstance(m.id, str))
        assert gettext(said) == plain[said].string
        # a staff message plain German leaves out comes from the German catalogue, not English
        german = _catalog("de")
        staff = next(
            m.id
            for m in german
            if isinstance(m.id, str)
            and m.id
            and m.string
            and not (plain.get(m.id) and plain[m.id].string)
        )
        assert gettext(staff) == german[staff].string


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de", "12,50\xa0€"),
        ("de@simple", "12,50\xa0€"),
        ("en", "€12.50"),
        ("uk", "12,50\xa0€"),
        ("tr", "€12,50"),
    ],
)
def test_money_is_formatted_for_the_locale_always_with_the_euro_sign(locale, expected):
    assert format_cents(1250, locale) == expected
    assert "12.50" in format_cents(1250, "ar") and "€" in format_cents(1250, "fa")


@pytest.mark.parametrize("text", ["12,50", "12.50", "12,5 €", "١٢٫٥٠", "۱۲٫۵"])
def test_amounts_are_read_with_comma_or_point_and_arabic_digits(app, text):
    with app.test_request_context():
        assert parse_cents(text) == 1250


def test_receipts_and_hours_sheets_stay_german_for_an_arabic_user(app, shop, client):
    from store.shifts.exports import sheet_csv
    from store.shifts.sheets import month_sheet
    from store.till import services as t
    from store.till.receipts import render_receipt

    t.add_code(shop.actor, shop.till, shop.items[0].code)
    sale, _created = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 2000)])
    db.session.commit()
    with app.test_request_context(headers={"Cookie": "lang=ar"}):
        from flask_babel import get_locale, refresh

        refresh()  # the test's app context has the default language cached
        assert str(get_locale()) == "ar"
        receipt = render_receipt(sale, None).decode("cp858", errors="replace")
        sheet = sheet_csv(month_sheet(shop.cashier, 2026, 11)).decode("utf-8-sig")
    assert "Bar" in receipt and "Summe" in receipt.replace("SUMME", "Summe")
    assert not re.search("[\u0600-\u06ff]", receipt + sheet)
    assert "Datum" in sheet


def test_review_sheet_lists_every_trainee_message_with_german_and_the_translation(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["translations", "review-sheet", "ar"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].lstrip("\ufeff").startswith("where,English,Deutsch,ar,")
    assert len(lines) - 1 >= len(trainee_messages())
    assert "Bitte scannen Sie Ihre Karte,من فضلك امسح بطاقتك" in result.output
    assert runner.invoke(args=["translations", "review-sheet", "xx"]).exit_code != 0


def test_upgrade_keeps_the_language_and_makes_room_for_de_simple(databases, tmp_path, monkeypatch):
    monkeypatch.setenv("KAUFHAUS_INSTANCE", str(tmp_path))
    uri = databases.empty()
    app = create_app(base_config(uri, tmp_path))
    with app.app_context():
        upgrade(revision="d9e3f4a5b6c7")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    'INSERT INTO "user" (username, first_name, last_name, role, is_active_account, '
                    "locale, created_at) VALUES ('olena', 'Olena', 'K', 'trainee', true, 'uk', "
                    "'2026-01-02 03:04:05')"
                )
            )
        upgrade(revision="a4c1e7d2b9f0")
        with db.engine.begin() as conn:
            kept = conn.execute(sa.text("SELECT locale FROM \"user\" WHERE username = 'olena'")).scalar()
            conn.execute(sa.text("UPDATE \"user\" SET locale = 'de@simple' WHERE username = 'olena'"))
            now = conn.execute(sa.text("SELECT locale FROM \"user\" WHERE username = 'olena'")).scalar()
        db.engine.dispose()
    databases.drop(uri)
    assert kept == "uk" and now == "de@simple"
