"""Partner secrets at rest: encrypted with the configured key, rotated to a new one by a command."""

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from store.core import crypto
from store.core.audit import Actor
from store.extensions import db
from store.network import services
from store.network.models import Partner

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def app_config():
    return {"SECRETS_KEY": OLD}


def stored_secret(partner_id: int) -> str:
    return db.session.execute(
        sa.text("SELECT secret FROM partner WHERE id = :id"), {"id": partner_id}
    ).scalar_one()


def test_rotation_to_a_new_key(app, runner):
    partner = services.save_partner(
        Actor.system(),
        None,
        name="P",
        kind="other",
        url="https://example.org/h",
        secret="s" * 20,
        events=[],
    )
    db.session.commit()
    before = stored_secret(partner.id)
    assert Fernet(OLD).decrypt(before.removeprefix(crypto.PREFIX).encode()) == b"s" * 20

    app.config["SECRETS_KEY"] = f"{NEW},{OLD}"  # the new key first, the old one still reads
    result = runner.invoke(args=["rotate-secrets"])
    assert result.exit_code == 0 and "1 partner secrets" in result.output
    after = stored_secret(partner.id)
    assert after != before

    app.config["SECRETS_KEY"] = NEW  # the old key is gone
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).secret == "s" * 20


def test_a_missing_key_is_a_clear_error(app):
    partner = services.save_partner(
        Actor.system(),
        None,
        name="P",
        kind="other",
        url="https://example.org/h",
        secret="s" * 20,
        events=[],
    )
    db.session.commit()
    app.config["SECRETS_KEY"] = NEW
    db.session.expire_all()
    with pytest.raises(crypto.SecretsKeyError):
        db.session.get(Partner, partner.id).secret  # noqa: B018 - reading it is the test


def test_without_setting_a_key_file_is_made_in_the_instance_folder(tmp_path):
    from pathlib import Path

    from flask import Flask

    flask_app = Flask("x", instance_path=str(tmp_path / "inst"))
    with flask_app.app_context():
        token = crypto.encrypt("geheim")
        assert crypto.decrypt(token) == "geheim"
    key_file = Path(flask_app.instance_path) / crypto.KEY_FILE
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
