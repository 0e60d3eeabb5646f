"""A print agent's token belongs to one branch: its claim returns only the jobs of that branch's
printers and it cannot report a job of another branch. A token made before branches (no branch)
serves every branch."""

import re

import pytest

from store.auth import services as auth
from store.branches import services as branches
from store.branches.models import first_branch
from store.core.audit import Actor
from store.core.errors import ValidationError
from store.extensions import db
from store.printing import services as printing
from tests.conftest import tr


@pytest.fixture
def two_shops(app, make_user):
    mitte = first_branch(db.session)
    nord = branches.save_branch(Actor.system(), None, name="Kaufhaus Nord")
    db.session.flush()
    printers = {}
    for name, branch in (("Bon Mitte", mitte), ("Bon Nord", nord)):
        printers[name] = printing.save_printer(
            Actor.system(), None, name=name, backend="agent", params={}, branch_id=branch.id
        )
    db.session.commit()
    for printer in printers.values():
        for n in range(2):
            printing.enqueue(
                Actor.system(), printer, "receipt", f"{printer.name} {n}\n".encode(), title="Bon"
            )
    db.session.commit()
    user = make_user("supervisor")
    tokens = {}
    for branch in (mitte, nord, None):
        _token, plain = auth.create_api_token(
            Actor.system(), user, "agent", scope="print", branch_id=branch.id if branch else None
        )
        tokens[branch.name if branch else "all"] = {"Authorization": f"Bearer {plain}"}
    db.session.commit()
    return mitte, nord, tokens


def _claim(client, headers):
    body = {"printers": ["Bon Mitte", "Bon Nord"], "limit": 10}
    response = client.post("/api/v1/print-agent/claim", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["jobs"]


def test_each_branchs_agent_claims_only_its_own_jobs(client, two_shops):
    mitte, nord, tokens = two_shops
    north_jobs = _claim(client, tokens["Kaufhaus Nord"])
    assert {j["printer"] for j in north_jobs} == {"Bon Nord"} and len(north_jobs) == 2
    middle_jobs = _claim(client, tokens[mitte.name])
    assert {j["printer"] for j in middle_jobs} == {"Bon Mitte"} and len(middle_jobs) == 2
    # Nord's agent cannot report Mitte's job (it does not exist for it); Mitte's can
    job = middle_jobs[0]
    done = {"ok": True, "lease": job["lease"]}
    refused = client.post(
        f"/api/v1/print-jobs/{job['id']}/done", json=done, headers=tokens["Kaufhaus Nord"]
    )
    assert refused.status_code == 404
    own = client.post(f"/api/v1/print-jobs/{job['id']}/done", json=done, headers=tokens[mitte.name])
    assert own.status_code == 200 and own.get_json()["recorded"] is True
    north = north_jobs[0]
    done = {"ok": True, "lease": north["lease"]}
    assert (
        client.post(
            f"/api/v1/print-jobs/{north['id']}/done", json=done, headers=tokens["Kaufhaus Nord"]
        ).get_json()["recorded"]
        is True
    )


def test_a_token_without_a_branch_serves_every_branch(client, two_shops):
    _mitte, _nord, tokens = two_shops
    jobs = _claim(client, tokens["all"])
    assert {j["printer"] for j in jobs} == {"Bon Mitte", "Bon Nord"} and len(jobs) == 4


def test_the_admin_ties_a_print_token_to_a_branch(client, two_shops, make_user, login):
    _mitte, nord, _tokens = two_shops
    login(make_user("admin"))
    agent = make_user("supervisor")
    page = client.post(
        "/admin/tokens",
        data={
            "user_id": agent.id,
            "name": "Drucker Nord",
            "scope": "print",
            "days": 30,
            "branch_id": nord.id,
        },
    ).get_data(as_text=True)
    plain = re.search(r'id="new-token">([^<]+)<', page).group(1)
    assert auth.token_for(plain).branch_id == nord.id
    assert '<td class="token-branch">Kaufhaus Nord</td>' in page
    with pytest.raises(ValidationError) as refused:
        auth.create_api_token(Actor.system(), agent, "x", scope="write", branch_id=nord.id)
    assert str(refused.value) == tr("Only a print agent's token belongs to one branch.")
