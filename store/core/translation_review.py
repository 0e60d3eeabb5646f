"""The trainee-facing messages (i18n.TRAINEE_SOURCES) and a review sheet of one catalogue, for a
native speaker who checks the words without a developer's tools:

    flask --app store translations review-sheet uk -o review-uk.csv

One row per message: where it is shown, the English source, the German, the translation and an empty
column for the reviewer's better wording. See docs/languages.md."""

import csv
import io
from pathlib import Path

import click
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from flask import current_app

from store.core import i18n

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "store" / "translations"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def trainee_messages(root: Path = ROOT) -> dict[str | tuple, str]:
    """msgid (a tuple for plurals) → the first trainee template or module it comes from."""
    found: dict[str | tuple, str] = {}
    for pattern in i18n.TRAINEE_SOURCES:
        for path in sorted(root.glob(pattern)):
            method = "jinja2" if path.suffix == ".html" else "python"
            for _line, message, _comments, _context in extract_from_file(
                method, path, keywords=KEYWORDS
            ):
                if message and (message if isinstance(message, str) else message[0]):
                    found.setdefault(message, str(path.relative_to(root)))
    return found


def catalog(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=locale)


def _text(entry) -> str:
    if entry is None:
        return ""
    forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return " | ".join(form or "" for form in forms)


def review_sheet(locale: str) -> str:
    """The CSV text (UTF-8 with a byte-order mark, so spreadsheets read the letters right)."""
    german, target = catalog("de"), catalog(locale)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["where", "English", "Deutsch", locale, "better wording (reviewer)", "note"])
    for message, source in sorted(trainee_messages().items(), key=lambda kv: (kv[1], str(kv[0]))):
        msgid = message if isinstance(message, str) else message[0]
        english = message if isinstance(message, str) else " | ".join(message)
        entry = target.get(msgid)
        note = "fuzzy" if entry is not None and entry.fuzzy else ("missing" if not _text(entry) else "")
        writer.writerow([source, english, _text(german.get(msgid)), _text(entry), "", note])
    return out.getvalue()


@click.group("translations")
def translations_group():
    """Review the trainee-facing translations."""


@translations_group.command("review-sheet")
@click.argument("locale")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="file to write (default: stdout)")
def review_sheet_cmd(locale: str, output: str | None):
    """Write a CSV review sheet of every trainee-facing message in LOCALE (e.g. ar, de@simple)."""
    if locale not in current_app.config["LANGUAGES"]:
        raise click.BadParameter(f"not one of {', '.join(current_app.config['LANGUAGES'])}")
    text = review_sheet(locale)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"{output}: {text.count(chr(10)) - 1} messages")
    else:
        click.echo(text, nl=False)
