"""Kaufhaus: inventory and point of sale for a social department store."""

import logging
from pathlib import Path

from flask import Flask

from store import config as store_config
from store.core.transaction import StoreFlask
from store.extensions import babel, csrf, db, login_manager, migrate

log = logging.getLogger(__name__)

MIGRATIONS = str(Path(__file__).parent / "migrations")


class ConfigError(RuntimeError):
    """The app cannot start with this configuration."""


def create_app(config: dict | None = None) -> Flask:
    """Build the app: defaults, instance config.py, environment, then `config`."""
    app = StoreFlask(
        __name__,
        instance_path=store_config.instance_path(),
        template_folder="../templates",
        static_folder="../static",
    )
    from store.core.bounds import IdConverter

    app.url_map.converters["int"] = IdConverter  # path ids only as large as an id column
    app.config.from_object(store_config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(store_config.from_environment())
    app.config.update(config or {})
    _finish_config(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)

    from store.core import i18n

    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)

    from store.core import access, api, audit, errors, immutable, security, sqlite  # noqa: F401

    sqlite.init_app(app)
    security.init_app(app)
    access.init_app(app)
    errors.init_app(app)

    from store import auth, core, fiscal, goods, network, printing, reports, shifts, skills, till, tse

    for area in (core, auth, printing, goods, tse, till, fiscal, shifts, skills, network, reports):
        area.init_app(app)
    from store import branches, logistics

    branches.init_app(app)

    logistics.init_app(app)
    api.init_app(app)

    from store import cli

    cli.init_app(app)
    return app


def _finish_config(app: Flask) -> None:
    cfg = app.config
    if not cfg.get("SQLALCHEMY_DATABASE_URI"):
        url = cfg.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'kaufhaus.db'}"
        cfg["SQLALCHEMY_DATABASE_URI"] = _normalise_url(url)
    if cfg.get("REPORTS_DATABASE_URL"):  # a read-only replica the reports read from (store.reports)
        binds = cfg.setdefault("SQLALCHEMY_BINDS", {})
        binds.setdefault("reports", _normalise_url(cfg["REPORTS_DATABASE_URL"]))
    if not cfg.get("SECRET_KEY"):
        key_file = Path(app.instance_path) / "secret_key"
        if cfg.get("DEMO") or cfg.get("TESTING") or key_file.exists():
            cfg["SECRET_KEY"] = store_config.demo_secret_key(app.instance_path)
        else:
            raise ConfigError(
                "SECRET_KEY is not set. Set it in the environment or in instance/config.py "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
            )
    # The TSE simulator signs in demo and tests; production needs a real TSE set up.
    cfg.setdefault("TSE_SIMULATOR", bool(cfg.get("DEMO") or cfg.get("TESTING")))
    if cfg.get("DEMO"):
        # The demo shop prints a plausible (made-up) address and tax number.
        cfg["STORE_ADDRESS"] = cfg.get("STORE_ADDRESS") or "Marktstraße 12, 49191 Belm"
        cfg["STORE_TAX_NUMBER"] = cfg.get("STORE_TAX_NUMBER") or "66/270/00000 (Demo)"
    if cfg.get("DEMO") or cfg.get("TESTING"):
        # Demo and tests run on plain http://127.0.0.1, where a Secure cookie would be dropped.
        cfg["SESSION_COOKIE_SECURE"] = cfg["REMEMBER_COOKIE_SECURE"] = False


def _normalise_url(url: str) -> str:
    # psycopg 3 is the driver we ship; accept the common postgres:// spellings.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
