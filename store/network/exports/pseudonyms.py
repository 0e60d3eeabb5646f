"""Pseudonyms for the evaluation dataset: a keyed hash of the person's number, with a key kept
apart from the database (GDPR Art. 89)."""

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from store.core.errors import ValidationError


def pseudonym_key() -> bytes:
    """The secret of the pseudonyms: `PSEUDONYM_KEY`, else the file `pseudonym_key` in the
    instance folder, made on first use. It is never stored in the database, so a copy of the
    database and the datasets together still cannot be re-identified ("key kept separately",
    GDPR Art. 89). Losing the key means new pseudonyms: keep it in the backup of the instance
    folder, apart from the database dumps."""
    configured = current_app.config.get("PSEUDONYM_KEY")
    if configured:
        key = configured.encode() if isinstance(configured, str) else bytes(configured)
    else:
        path = Path(current_app.instance_path) / "pseudonym_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written under another name, then linked into place: a second process that
            # starts at the same moment either wins or reads the first one's key, never half.
            temp = path.with_name(f".pseudonym_key.{os.getpid()}.{secrets.token_hex(4)}")
            descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32))
            try:
                os.link(temp, path)
            except FileExistsError:
                pass
            finally:
                temp.unlink()
        key = path.read_text().strip().encode()
    if len(key) < 16:
        raise ValidationError(_("The pseudonym key is too short: it needs at least 16 characters."))
    return key


def pseudonym(user_id: int, key: bytes | str | None = None) -> str:
    """A stable pseudonym: HMAC-SHA256 of the user id with the secret key, first 64 bits.
    The same person gets the same pseudonym in every export; without the key nobody can
    compute it back or check a guess."""
    if key is None:
        key = pseudonym_key()
    if isinstance(key, str):
        key = key.encode()
    digest = hmac.new(key, f"participant:{user_id}".encode(), hashlib.sha256).hexdigest()
    return "P-" + digest[:16]
