"""Language and formatting: German first, English complete, trainee screens in the trainees'
languages; times shown in the store's zone.

Plain German ("Einfache Sprache") is its own catalogue, `de@simple`: a gettext modifier like
`sr@latin`, which Babel parses to `Locale('de', modifier='simple')` (German numbers and dates) and
gettext finds in `store/translations/de@simple/`. What it does not translate falls back to German.
Which messages a trainee sees (and so must be translated in every language) is TRAINEE_SOURCES below;
tests/core/test_i18n.py checks it. See docs/languages.md."""

import functools
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.support import Translations
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Domain, _get_current_context, force_locale, get_locale
from flask_login import current_user
from markupsafe import Markup

from store.core.money import format_cents
from store.core.timeutil import to_local
from store.extensions import babel

LANG_COOKIE = "lang"
# A language picked while nobody is signed in: it becomes the setting of whoever signs in next here.
PICKED_KEY = "picked_locale"

# Each language by its name in its own script (no flags: a flag is a country, not a language).
LANGUAGE_NAMES = {
    "de": "Deutsch",
    "de@simple": "Einfaches Deutsch",
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی / دری",
    "tr": "Türkçe",
    "uk": "Українська",
    "ru": "Русский",
}
# The languages every trainee-facing message must be translated into (English is the source text).
TRAINEE_LANGUAGES = ("de", "de@simple", "ar", "fa", "tr", "uk", "ru")
# The templates and modules whose messages a trainee sees (globs from the repository root).
TRAINEE_SOURCES = (
    "templates/base.html",
    "templates/_macros.html",
    "templates/errors/*.html",
    "templates/auth/login.html",
    "templates/auth/till_login.html",
    "templates/auth/pin_login.html",
    "templates/auth/account.html",
    "templates/core/home.html",
    "templates/shifts/_clock_panel.html",
    "templates/shifts/mine.html",
    "templates/shifts/sheet.html",
    "templates/skills/profile.html",
    "templates/network/to_see.html",
    "templates/reports/cashier.html",
    "templates/till/choose.html",
    "templates/till/sale.html",
    "templates/till/_cart.html",
    "templates/till/_done.html",
    "templates/till/_money.html",
    "templates/till/_supervisor.html",
    "templates/till/practice.html",
    "templates/till/return.html",
    "templates/till/deposit.html",
    "templates/_help.html",
    "templates/goods/intake_labels.html",
    "templates/till/office/not_open.html",
    "templates/till/office/open.html",
    "templates/till/office/cash.html",
    "templates/till/office/sales.html",
    "templates/goods/intake.html",
    "templates/goods/items.html",
    "templates/goods/item.html",
    "templates/goods/_reservation.html",
    "templates/goods/_deposit.html",
    "store/auth/__init__.py",
    "store/goods/__init__.py",
    "store/shifts/__init__.py",
    "store/skills/__init__.py",
    "store/till/__init__.py",
    "store/network/__init__.py",
    "store/auth/forms.py",
    "store/auth/services.py",
    "store/auth/views.py",
    "store/core/errors.py",
    "store/core/money.py",
    "store/till/services/cart.py",
    "store/till/services/cash.py",
    "store/till/services/lookups.py",
    "store/till/services/payments.py",
    "store/till/services/sales.py",
    "store/till/services/booking.py",
    "store/till/services/tills.py",
    "store/till/views.py",
    "store/till/return_views.py",
    "store/till/deposit_views.py",
    "store/till/services/deposits.py",
    "store/till/services/change.py",
    "store/till/services/practice.py",
    "store/till/services/till_returns.py",
    "store/core/help.py",
    "store/till/office_forms.py",
    "store/goods/forms.py",
    "store/goods/views.py",
    "store/goods/services/intake.py",
    "store/goods/services/items.py",
    "store/goods/services/reservations.py",
    "store/goods/services/safety.py",
    "store/shifts/services/clock.py",
    "store/shifts/views/own.py",
    "store/shifts/ical.py",
    "store/skills/views.py",
    "store/network/seen_views.py",
    "store/reports/services/cashier.py",
)


def select_locale() -> str:
    """The user's own setting, then the cookie (the last pick on this browser, kept after logout),
    then the store default. At a shared till the cookie is the last person's pick, so someone signed
    in there without a setting of their own gets the store default, not their predecessor's language."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated:
        if current_user.locale in languages:
            return current_user.locale
        if session.get("till_mode"):
            return current_app.config["BABEL_DEFAULT_LOCALE"]
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in languages:
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def pick_before_sign_in(locale: str) -> None:
    """Remember a language picked on a sign-in screen for the person who signs in next."""
    session[PICKED_KEY] = locale


def picked_before_sign_in() -> str | None:
    """The language picked on this browser before the sign-in (taken once), if any."""
    locale = session.pop(PICKED_KEY, None)
    return locale if locale in current_app.config["LANGUAGES"] else None


class CatalogueDomain(Domain):
    """Flask-Babel's message domain, with the base language behind a variant's catalogue: what
    `de@simple` does not say in plain words comes from `de`, not from the English source text."""

    def get_translations(self):
        # Kept for the app context, as Flask-Babel keeps the locale (refresh() and force_locale()
        # clear both): every gettext asks, and finding them again cost 20 µs each time.
        ctx = _get_current_context()
        known = getattr(ctx, "babel_translations", None)
        if known is not None:
            return known
        translations = self._with_base(super().get_translations())
        if ctx is not None:
            ctx.babel_translations = translations
        return translations

    def _with_base(self, translations):
        locale = get_locale()
        if locale is None or not locale.modifier or getattr(translations, "with_base", False):
            return translations
        base = str(Locale(locale.language, locale.territory, locale.script, locale.variant))
        for dirname in self.translation_directories:
            translations.add_fallback(Translations.load(dirname, [base], self.domain[0]))
        translations.with_base = True
        return translations


def in_store_language(make):
    """Documents for the tax office, the Jobcenter and the shop floor (receipts, labels, hours sheets)
    are in the store's language, whoever makes them: a decorator for the function that renders one."""

    @functools.wraps(make)
    def wrapper(*args, **kwargs):
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            return make(*args, **kwargs)

    return wrapper


def locale_name() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def html_lang() -> str:
    """The page's lang attribute (BCP 47): plain German is German to a browser and a screen reader."""
    locale = get_locale() or Locale.parse(current_app.config["BABEL_DEFAULT_LOCALE"])
    return "-".join(part for part in (locale.language, locale.script, locale.territory) if part)


def text_direction() -> str:
    """'rtl' for Arabic and Farsi, else 'ltr' (from Babel's locale data)."""
    locale = get_locale() or Locale.parse(current_app.config["BABEL_DEFAULT_LOCALE"])
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def money(cents: int | None) -> str:
    return "" if cents is None else format_cents(cents, locale_name())


def local_datetime(moment: datetime | None, fmt: str = "short") -> str:
    if moment is None:
        return ""
    return format_datetime(to_local(moment), fmt, locale=locale_name())


def local_date(day: date | datetime | None, fmt: str = "medium") -> str:
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = to_local(day).date()
    return format_date(day, fmt, locale=locale_name())


def isolate(text) -> Markup:
    """A name or code inside a translated sentence, kept apart from the sentence's direction: "Ahmad H."
    in an Arabic sentence keeps its full stop on the right (the `bdi` filter)."""
    return Markup("<bdi>{}</bdi>").format(text)


def init_app(app: Flask) -> None:
    from store.core.transaction import add_commands
    from store.core.translation_review import translations_group

    add_commands(app, translations_group)
    babel.domain_instance = CatalogueDomain(domain=app.extensions["babel"].default_domain)
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["datetime"] = local_datetime
    app.jinja_env.filters["date"] = local_date
    app.jinja_env.filters["bdi"] = isolate

    @app.context_processor
    def language():
        names = {code: LANGUAGE_NAMES.get(code, code) for code in app.config["LANGUAGES"]}
        return {
            "current_locale": locale_name(),
            "languages": app.config["LANGUAGES"],
            "language_names": names,
            "html_lang": html_lang(),
            "text_dir": text_direction(),
        }
