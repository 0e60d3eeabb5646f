"""An admin sets the branches someone works in on the user form (checkboxes) and through the users
API; trainees and supervisors need at least one; an unknown branch is refused; the list shows them."""

import re

import sqlalchemy as sa

from store.auth.models import User
from store.branches import services as branches
from store.branches.models import first_branch
from store.core.audit import Actor
from store.extensions import db
from tests.conftest import tr


def _two():
    mitte = first_branch(db.session)
    nord = branches.save_branch(Actor.system(), None, name="Kaufhaus Nord")
    db.session.commit()
    return mitte, nord


def _form(**fields):
    return {
        "first_name": "Marta",
        "last_name": "Kowalski",
        "role": "trainee",
        "is_active": "y",
        "branches_shown": "1",
        **fields,
    }


def test_the_admin_sets_branches_on_the_user_form(client, make_user, login):
    mitte, nord = _two()
    login(make_user("admin"))
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert 'name="branches"' in page and "Kaufhaus Nord" in page
    response = client.post("/admin/users/new", data=_form(username="mkowalski", branches=[str(nord.id)]))
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "mkowalski"))
    assert [b.name for b in user.branches] == ["Kaufhaus Nord"]
    response = client.post(
        f"/admin/users/{user.id}",
        data=_form(username="mkowalski", branches=[str(mitte.id), str(nord.id)]),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert sorted(b.id for b in user.branches) == sorted([mitte.id, nord.id])
    listing = client.get("/admin/users").get_data(as_text=True)
    names = ", ".join(sorted([mitte.name, "Kaufhaus Nord"]))
    assert f'<td class="user-branches">{names}</td>' in listing
    # the edit form shows them checked
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    checked = re.findall(
        r'<input checked id="branches-\d+" name="branches" type="checkbox" value="(\d+)"', page
    )
    assert sorted(map(int, checked)) == sorted([mitte.id, nord.id])


def test_a_trainee_needs_a_branch_and_an_unknown_one_is_refused(client, make_user, login):
    mitte, nord = _two()
    login(make_user("admin"))
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    page = client.post("/admin/users/new", data=_form(username="ohne"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert tr("Trainees and supervisors work in at least one branch: please choose one.") in text
    page = client.post("/admin/users/new", data=_form(username="falsch", branches=["999"]))
    assert tr("There is no branch with the id %(ids)s.", ids="999") in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before
    # a coordinator sees all: no branch needed
    response = client.post("/admin/users/new", data=_form(username="koord", role="coordinator"))
    assert response.status_code == 302
    # editing away the last branch of a supervisor is refused, and nothing changes
    boss = make_user("supervisor")
    boss.branches = [nord]
    db.session.commit()
    page = client.post(f"/admin/users/{boss.id}", data=_form(username=boss.username, role="supervisor"))
    assert page.status_code == 200
    db.session.expire_all()
    assert [b.name for b in boss.branches] == ["Kaufhaus Nord"]


def test_the_users_api_takes_branches(client, make_user, api_token):
    mitte, nord = _two()
    headers = api_token(make_user("admin"))
    body = {"username": "apinord", "role": "trainee", "first_name": "A", "branches": [nord.id]}
    response = client.post("/api/v1/users", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["branches"] == [nord.id]
    unknown = client.post(
        "/api/v1/users", json={**body, "username": "apix", "branches": [999]}, headers=headers
    )
    assert unknown.status_code == 422
    none = client.post(
        "/api/v1/users", json={**body, "username": "apiy", "branches": []}, headers=headers
    )
    assert none.status_code == 422
    assert db.session.scalar(sa.select(User).where(User.username == "apix")) is None
    # without `branches` (a client that knows none): as before, the first branch by default
    plain = client.post(
        "/api/v1/users", json={**body, "username": "apiz", "branches": None}, headers=headers
    )
    assert plain.status_code == 201 and plain.get_json()["branches"] == []
    listed = client.get("/api/v1/users", headers=headers).get_json()["users"]
    assert {u["username"]: u["branches"] for u in listed}["apinord"] == [nord.id]
