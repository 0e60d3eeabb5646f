"""Sign-in by password, badge and PIN; throttling; idle sign-out at the till; language choice."""

from datetime import timedelta

import pytest
from argon2 import profiles

from store.auth import services
from store.auth.models import User
from store.core.timeutil import utcnow
from store.extensions import db
from tests.conftest import PASSWORD, REAL_HASHER


def test_password_is_stored_as_argon2_hash(make_user):
    user = make_user("supervisor")
    assert user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash


def test_the_store_hashes_with_the_recommended_argon2_cost():
    """The tests sign in with cheap hashes; the store itself uses RFC 9106's second recommendation
    (argon2id, 64 MiB, 3 passes), which is argon2-cffi's default."""
    real = REAL_HASHER.hash("ein Passwort")
    assert real.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert REAL_HASHER.memory_cost == profiles.RFC_9106_LOW_MEMORY.memory_cost
    assert REAL_HASHER.verify(real, "ein Passwort")


def test_login_and_logout(client, make_user):
    user = make_user("supervisor")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_gives_message_in_german(client, make_user):
    user = make_user("supervisor")
    page = client.post("/login", data={"username": user.username, "password": "nope"})
    assert page.status_code == 200
    assert "Benutzername oder Passwort ist falsch." in page.get_data(as_text=True)


def test_account_locks_after_repeated_failures(app, client, make_user):
    user = make_user("supervisor")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"username": user.username, "password": "wrong"})
    page = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert page.status_code == 200  # the right password does not help while locked
    assert "Zu viele" in page.get_data(as_text=True)
    db.session.refresh(user)
    assert user.locked_until is not None
    # after the lock time it works again
    later = utcnow() + timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"] + 1)
    assert services.authenticate_password(user.username, PASSWORD, now=later) == user


def test_address_throttle(app, make_user):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    for n in range(3):
        with pytest.raises(services.LoginError):
            services.authenticate_badge(f"unknown{n}", address="10.9.9.9")
        db.session.commit()
    with pytest.raises(services.LockedError):
        services.authenticate_badge("whatever", address="10.9.9.9")


def test_badge_login_at_till(client, make_user):
    make_user("trainee", badge="1000777", first_name="Olena")
    response = client.post("/login/till", data={"badge": "1000777"}, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Hallo, <bdi>Olena</bdi>!" in body


def test_unknown_badge_is_refused(client):
    response = client.post("/login/till", data={"badge": "99999"}, follow_redirects=True)
    assert "Diese Karte ist nicht bekannt" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_pin_login(client, make_user):
    user = make_user("trainee", pin="2468", first_name="Ahmad")
    assert client.post(f"/login/till/pin/{user.id}", data={"pin": "1111"}).status_code == 200
    response = client.post(f"/login/till/pin/{user.id}", data={"pin": "2468"}, follow_redirects=True)
    assert "Hallo, <bdi>Ahmad</bdi>!" in response.get_data(as_text=True)


def test_inactive_user_cannot_sign_in(client, make_user):
    user = make_user("trainee", badge="1000778")
    user.is_active_account = False
    db.session.commit()
    client.post("/login/till", data={"badge": "1000778"})
    assert client.get("/").status_code == 302


def test_till_signs_out_after_idle_time(app, client, make_user):
    make_user("trainee", badge="1000779")
    client.post("/login/till", data={"badge": "1000779"})
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["last_seen"] -= app.config["TILL_IDLE_SECONDS"] + 1
    response = client.get("/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_password_login_has_no_idle_timeout(app, client, make_user, login):
    login(make_user("coordinator"))
    with client.session_transaction() as session:
        session["last_seen"] = 0
    assert client.get("/").status_code == 200


def test_language_choice_survives_logout(client, make_user, login):
    user = make_user("supervisor")
    login(user)
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "Hello," in client.get("/").get_data(as_text=True)
    db.session.refresh(user)
    assert user.locale == "en"
    client.post("/logout")
    assert "Sign in" in client.get("/login").get_data(as_text=True)
    other = client.application.test_client()
    assert "Anmelden" in other.get("/login").get_data(as_text=True)


def test_open_redirect_is_refused(client, make_user):
    user = make_user("supervisor")
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"


def test_security_headers(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_csrf_is_enforced(client, make_user, app_config):
    user = make_user("supervisor")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_session_cookie_flags(app, client, make_user):
    user = make_user("supervisor")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_requires_secret_key_and_secure_cookies(tmp_path, monkeypatch):
    from store import ConfigError, create_app

    monkeypatch.setenv("KAUFHAUS_INSTANCE", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("KAUFHAUS_DEMO", raising=False)
    with pytest.raises(ConfigError):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    monkeypatch.setenv("SECRET_KEY", "from-env")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == "from-env"


def test_users_are_audited(make_user):
    from store.core.audit import AuditEntry

    user = make_user("trainee")
    entry = db.session.query(AuditEntry).filter_by(object_type="user", object_id=str(user.id)).one()
    assert entry.action == "user.create"
    assert db.session.get(User, user.id).username == user.username
