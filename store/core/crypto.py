"""Secrets kept encrypted at rest (Fernet: AES-128-CBC with HMAC-SHA256), with the key outside the
database: SECRETS_KEY in the environment (or instance/config.py), else the file instance/secrets.key,
made on first use with mode 0600.

Rotation: put a new key first and keep the old ones after it, comma-separated
(`SECRETS_KEY=<new>,<old>`); every value still reads, new values are written with the new key, and
`flask rotate-secrets` re-encrypts what is stored. Then the old key can go.

    class Partner(db.Model):
        secret: Mapped[str | None] = mapped_column(EncryptedText(500))
"""

from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

KEY_FILE = "secrets.key"
PREFIX = "fernet:"  # marks an encrypted value (a plain one from before the migration has none)


class SecretsKeyError(RuntimeError):
    """The key that encrypted a stored secret is not among the configured keys."""


def _keys() -> list[str]:
    configured = current_app.config.get("SECRETS_KEY")
    if configured:
        return [k.strip() for k in str(configured).split(",") if k.strip()]
    path = Path(current_app.instance_path) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return [k.strip() for k in path.read_text().split(",") if k.strip()]


def fernet() -> MultiFernet:
    """The configured keys: the first encrypts, all decrypt."""
    return MultiFernet([Fernet(key) for key in _keys()])


def encrypt(plain: str) -> str:
    return PREFIX + fernet().encrypt(plain.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption; the migration encrypts these
    try:
        return fernet().decrypt(stored.removeprefix(PREFIX).encode()).decode()
    except InvalidToken:
        raise SecretsKeyError(
            "A stored secret cannot be decrypted: its key is missing from SECRETS_KEY."
        ) from None


def rotate(stored: str) -> str:
    """The value encrypted again with the first (newest) key."""
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    return PREFIX + fernet().rotate(stored.removeprefix(PREFIX).encode()).decode()


class EncryptedText(TypeDecorator):
    """A text column whose value is stored encrypted; Python code sees the plain text."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect):
        return None if value is None else decrypt(value)
