"""Configuration: defaults here, then the instance file, then the environment, then the caller."""

import os
import secrets
from pathlib import Path

ENV_KEYS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "STORE_TIMEZONE",
    "BABEL_DEFAULT_LOCALE",
    "STORE_NAME",
    "STORE_ADDRESS",
    "STORE_TAX_NUMBER",
    "TILL_IDLE_SECONDS",
    "LOGIN_MAX_FAILURES",
    "LOGIN_LOCK_MINUTES",
    "PRINT_RETRY_SECONDS",
    "PRINT_MAX_ATTEMPTS",
    "STORE_HOLIDAY_STATE",
    "OUTBOX_BACKOFF_SECONDS",
    "OUTBOX_MAX_ATTEMPTS",
    "PARTICIPANT_RETENTION_YEARS",
    "PSEUDONYM_KEY",
    "TSE_SIMULATOR_DELAY_MS",
    "TSE_RECOVERY_SECONDS",
    "API_TOKEN_DAYS",
    "OUTBOUND_ALLOW_HOSTS",
    "SECRETS_KEY",
    # Mail to donors (store/logistics): without MAIL_SERVER messages are kept in the outbox page.
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "MAIL_FROM",
    "PICKUP_RETENTION_DAYS",
    # Scale-out (docs/deployment.md): shared file storage, a read-only replica for the reports.
    "STORAGE_URL",
    "S3_ENDPOINT_URL",
    "REPORTS_DATABASE_URL",
    # Behind a reverse proxy (deploy/): how many proxies' X-Forwarded-* headers to trust.
    "PROXY_COUNT",
)
INT_KEYS = {
    "TILL_IDLE_SECONDS",
    "LOGIN_MAX_FAILURES",
    "LOGIN_LOCK_MINUTES",
    "PRINT_RETRY_SECONDS",
    "PRINT_MAX_ATTEMPTS",
    "OUTBOX_BACKOFF_SECONDS",
    "OUTBOX_MAX_ATTEMPTS",
    "PARTICIPANT_RETENTION_YEARS",
    "TSE_SIMULATOR_DELAY_MS",
    "TSE_RECOVERY_SECONDS",
    "API_TOKEN_DAYS",
    "MAIL_PORT",
    "PICKUP_RETENTION_DAYS",
    "PROXY_COUNT",
}


class Defaults:
    STORE_NAME = "Sozialkaufhaus"
    STORE_ADDRESS = ""
    STORE_TAX_NUMBER = ""
    STORE_TIMEZONE = "Europe/Berlin"
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "UTC"  # we convert to STORE_TIMEZONE ourselves
    LANGUAGES = ("de", "de@simple", "en", "ar", "fa", "tr", "uk", "ru")
    DEMO = False
    # Till screens sign the user out after this many seconds without input.
    TILL_IDLE_SECONDS = 180
    # Failed logins: this many failures within LOGIN_LOCK_MINUTES lock the account for that long.
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    # Failures from one address within LOGIN_LOCK_MINUTES before that address is slowed down.
    LOGIN_MAX_FAILURES_PER_ADDRESS = 30
    PRINT_RETRY_SECONDS = 10
    PRINT_MAX_ATTEMPTS = 0  # 0: retry for ever; the supervisor sees the failure and can re-send
    # The TSE simulator waits this long on every call, as a network TSE does (tests, benchmarks).
    TSE_SIMULATOR_DELAY_MS = 0
    # A sale booked this many seconds ago and still unsigned (a crash, a hung TSE) is signed by the
    # workers' recovery step.
    TSE_RECOVERY_SECONDS = 60
    # No ping before every checkout (a round trip per request): connections are renewed after half
    # an hour instead, and one that the server dropped (a restart) fails once, is thrown away with
    # the rest of the pool, and the till sends its sale again (the same id books once).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": 1800}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = True
    WTF_CSRF_CHECK_DEFAULT = False  # checked in one place, see store.core.access
    WTF_CSRF_TIME_LIMIT = None  # a till page stays open all day
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # API tokens are valid this many days unless the admin chooses otherwise.
    API_TOKEN_DAYS = 365
    # 0: the app is reached directly. Behind Caddy or nginx (deploy/): 1, so that the client's
    # address (sign-in throttling, audit) and https come from the proxy's X-Forwarded-* headers.
    PROXY_COUNT = 0
    # Partner addresses in the store's own network that deliveries may reach (host names, addresses
    # or networks, comma-separated, e.g. "127.0.0.1,10.0.0.5"); metadata addresses never.
    OUTBOUND_ALLOW_HOSTS = ""


def from_environment() -> dict:
    """The settings given as environment variables (only the keys we know)."""
    found = {}
    for key in ENV_KEYS:
        if key in os.environ:
            value = os.environ[key]
            found[key] = int(value) if key in INT_KEYS else value
    if os.environ.get("KAUFHAUS_DEMO") == "1":
        found["DEMO"] = True
    return found


def instance_path() -> str:
    """The folder with the SQLite file, the secret key file and the optional config.py."""
    return os.environ.get("KAUFHAUS_INSTANCE") or str(Path.cwd() / "instance")


def demo_secret_key(folder: str) -> str:
    """A secret key kept in the instance folder, made on first use (demo only)."""
    path = Path(folder) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
