"""Admins manage users, badges, PINs and API tokens from the pages."""

import sqlalchemy as sa

from store.auth.models import ApiToken, User
from store.extensions import db


def test_admin_creates_user_with_badge_and_pin(client, make_user, login):
    login(make_user("admin"))
    response = client.post(
        "/admin/users/new",
        data={
            "username": "mkowalski",
            "first_name": "Marta",
            "last_name": "Kowalski",
            "role": "trainee",
            "password": "",
            "badge": "1234567",
            "pin": "5678",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "mkowalski"))
    assert user.badge == "1234567" and user.pin_hash and user.password_hash is None
    assert "Marta Kowalski" in client.get("/admin/users").get_data(as_text=True)


def test_bad_input_is_explained_and_books_nothing(client, make_user, login):
    login(make_user("admin"))
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    page = client.post(
        "/admin/users/new",
        data={"username": "Not Valid!", "first_name": "X", "role": "trainee", "pin": "12"},
    )
    assert page.status_code == 200
    assert "Benutzernamen" in page.get_data(as_text=True)
    page = client.post(
        "/admin/users/new", data={"username": "valid", "first_name": "X", "role": "trainee", "pin": "12"}
    )
    assert "Eine PIN hat 4 bis 8 Ziffern." in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before


def test_admin_edits_role_and_deactivates(client, make_user, login):
    login(make_user("admin"))
    user = make_user("trainee")
    response = client.post(
        f"/admin/users/{user.id}",
        data={
            "username": user.username,
            "first_name": "Neu",
            "last_name": "Name",
            "role": "supervisor",
            "badge": "",
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.role.value == "supervisor" and user.first_name == "Neu"
    assert user.is_active_account is False  # checkbox not sent


def test_admin_creates_and_revokes_token(client, make_user, login):
    admin = make_user("admin")
    login(admin)
    page = client.post("/admin/tokens", data={"user_id": admin.id, "name": "Kasse-Sync"})
    body = page.get_data(as_text=True)
    import re

    plain = re.search(r'id="new-token">(kh_[^<]+)<', body).group(1)
    headers = {"Authorization": f"Bearer {plain}"}
    assert (
        client.application.test_client().get("/api/v1/me", headers=headers).json["username"]
        == admin.username
    )
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "Kasse-Sync"))
    client.post(f"/admin/tokens/{token.id}/revoke")
    assert client.application.test_client().get("/api/v1/me", headers=headers).status_code == 401
