"""Pages and API: a trainee sees only their own skills; supervisors assess; coordinators edit the
catalogue and goals; the PDF report renders; the API has the documented shapes."""

import re
import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa

from store.core.timeutil import local_today
from store.extensions import db
from store.skills import services
from store.skills.models import Assessment, Skill
from tests.conftest import tr
from tests.skills.conftest import rate

pytestmark = pytest.mark.clock  # "today" and the days around it: one fixed day


def assess_form(team, day=None, **levels):
    data = {"date": (day or local_today()).isoformat()}
    for name, level in levels.items():
        data[f"level-{team.skills[name].id}"] = str(level)
    return data


def test_supervisor_assesses_on_the_page_and_the_trainee_sees_it(team, client, login):
    login(team.supervisor)
    page = client.get(f"/skills/participants/{team.olena.id}/assess")
    assert page.status_code == 200
    assert team.skills["Kasse bedienen"].descriptors[3] in page.get_data(as_text=True)
    kasse = team.skills["Kasse bedienen"].id
    data = {"date": local_today().isoformat(), f"level-{kasse}": "3", f"note-{kasse}": "sicher"}
    response = client.post(f"/skills/participants/{team.olena.id}/assess", data=data)
    assert response.status_code == 302
    client.post("/logout")
    login(team.olena)
    mine = client.get("/skills/mine").get_data(as_text=True)
    assert team.skills["Kasse bedienen"].descriptors[2] in mine
    assert "<svg" in mine and 'class="level-line"' in mine and "style=" not in mine.split("<main")[1]


def test_invalid_assessment_on_the_page_saves_nothing(team, client, login):
    login(team.supervisor)
    kasse = team.skills["Kasse bedienen"].id
    future = (local_today() + timedelta(days=3)).isoformat()
    response = client.post(
        f"/skills/participants/{team.olena.id}/assess", data={"date": future, f"level-{kasse}": "2"}
    )
    assert response.status_code == 422
    assert tr("The date of an assessment cannot be in the future.") in response.get_data(as_text=True)
    response = client.post(
        f"/skills/participants/{team.olena.id}/assess",
        data={"date": local_today().isoformat(), f"level-{kasse}": "5"},
    )
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 0


def test_trainee_self_assesses_and_sees_only_their_own(team, client, login):
    login(team.olena)
    team_id = team.skills["Teamarbeit"].id
    assert client.post("/skills/mine/self", data={f"level-{team_id}": "4"}).status_code == 302
    state = next(s for s in services.skill_states(team.olena.id) if s.skill.id == team_id)
    assert state.self_rating.level == 4 and state.level is None
    assert client.get(f"/skills/participants/{team.ahmad.id}").status_code == 403
    assert client.get(f"/skills/participants/{team.olena.id}/assess").status_code == 403
    assert client.get(f"/skills/participants/{team.ahmad.id}/report.pdf").status_code == 403
    assert client.get(f"/skills/participants/{team.olena.id}/report.pdf").status_code == 200
    assert client.get("/skills/catalogue").status_code == 403


def test_coordinator_edits_the_catalogue_and_sets_goals(team, client, login):
    login(team.supervisor)
    assert client.get("/skills/catalogue").status_code == 403
    client.post("/logout")
    login(team.coordinator)
    assert client.get("/skills/catalogue").status_code == 200
    assert client.get(f"/skills/participants/{team.olena.id}/assess").status_code == 403
    skill = team.skills["Möbeltransport"]
    data = {
        "group_id": str(skill.group_id),
        "name": "Möbeltransport und Montage",
        "descriptor-1": "Hilft mit.",
        "descriptor-2": "Trägt sicher.",
        "descriptor-3": "Plant allein.",
        "descriptor-4": "Leitet an.",
        "sort": "6",
        "is_active": "1",
    }
    assert client.post(f"/skills/catalogue/{skill.id}", data=data).status_code == 302
    db.session.expire_all()
    changed = db.session.get(Skill, skill.id)
    assert changed.name == "Möbeltransport und Montage" and changed.descriptors[3] == "Leitet an."
    data["descriptor-2"] = ""
    assert client.post("/skills/catalogue/new", data={**data, "name": "Neu"}).status_code == 422
    new = {**data, "name": "Textilpflege", "descriptor-2": "Wäscht mit Hilfe."}
    assert client.post("/skills/catalogue/new", data=new).status_code == 302
    due = (local_today() + timedelta(days=60)).isoformat()
    response = client.post(
        f"/skills/participants/{team.olena.id}/goals",
        data={"skill_id": str(skill.id), "target_level": "3", "due_on": due},
    )
    assert response.status_code == 302
    assert [g.target_level for g in services.open_goals(team.olena.id)] == [3]
    assert client.get("/skills/").status_code == 200


def test_pdf_report_renders_with_levels_evidence_and_goals(team, client, login, tmp_path):
    services.record_assessment(
        team.sup, team.olena, local_today() - timedelta(days=20), rate(team, ("Kasse bedienen", 1))
    )
    services.record_assessment(
        team.sup, team.olena, local_today(), rate(team, ("Kasse bedienen", 3), ("Pünktlichkeit", 4))
    )
    services.set_goal(
        team.coord,
        team.olena,
        skill_id=team.skills["Kundenberatung"].id,
        target_level=2,
        due_on=local_today() + timedelta(days=30),
    )
    db.session.commit()
    login(team.supervisor)
    response = client.get(f"/skills/participants/{team.olena.id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.data, capture_output=True, check=True
    ).stdout.decode()
    assert tr("Skills report") in text
    assert "Olena Kovalenko" in text
    assert "3/4" in text.replace(" ", "") and "4/4" in text.replace(" ", "")
    assert "Kassiert selbstständig" in text
    assert tr("Evidence from the work") in text
    assert "Kundenberatung" in text and tr("Goals") in text
    (tmp_path / "report.pdf").write_bytes(response.data)
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "report.pdf")], capture_output=True, check=True
    ).stdout.decode()
    assert re.search(r"^Pages:\s+1$", info, re.M)  # one page


# ---------------------------------------------------------------- API


def test_api_catalogue(team, client, api_token):
    body = client.get("/api/v1/skills", headers=api_token(team.olena)).json
    assert len(body["skills"]) == 13
    first = body["skills"][0]
    assert first["name"] == "Kasse bedienen" and first["group"] == "work"
    assert [lv["level"] for lv in first["levels"]] == [1, 2, 3, 4]


def test_api_records_and_shows_assessments(team, client, api_token):
    headers = api_token(team.supervisor)
    kasse, team_id = team.skills["Kasse bedienen"].id, team.skills["Teamarbeit"].id
    payload = {
        "participant": team.olena.id,
        "date": local_today().isoformat(),
        "ratings": [{"skill": kasse, "level": 2, "note": "gut"}, {"skill": team_id, "level": 3}],
        "self": False,
    }
    response = client.post("/api/v1/assessments", json=payload, headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["ratings"] == [
        {"skill": kasse, "level": 2, "note": "gut"},
        {"skill": team_id, "level": 3, "note": None},
    ]
    shown = client.get(f"/api/v1/participants/{team.olena.id}/skills", headers=headers).json
    by_id = {s["skill"]: s for s in shown["skills"]}
    assert by_id[kasse]["level"] == 2
    assert by_id[kasse]["descriptor"] == team.skills["Kasse bedienen"].descriptors[1]
    assert by_id[kasse]["history"] == [{"date": local_today().isoformat(), "level": 2, "note": "gut"}]
    assert set(shown["evidence"]) >= {
        "minutes_by_station",
        "sales",
        "voids",
        "items_taken_in",
        "closings",
        "difference_cents",
    }


@pytest.mark.parametrize(
    "change",
    [
        {"ratings": [{"skill": "KASSE", "level": 5}]},
        {"ratings": [{"skill": 99999, "level": 2}]},
        {"date": "2999-01-01"},
        {"ratings": []},
    ],
)
def test_api_refuses_invalid_assessments(team, client, api_token, change):
    kasse = team.skills["Kasse bedienen"].id
    payload = {
        "participant": team.olena.id,
        "date": local_today().isoformat(),
        "ratings": [{"skill": kasse, "level": 2}],
        **change,
    }
    if change.get("ratings") and change["ratings"][0]["skill"] == "KASSE":
        payload["ratings"] = [{"skill": kasse, "level": 5}]
    response = client.post("/api/v1/assessments", json=payload, headers=api_token(team.supervisor))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 0


def test_api_roles(team, client, api_token):
    headers = api_token(team.olena)
    kasse = team.skills["Kasse bedienen"].id
    assert client.get(f"/api/v1/participants/{team.ahmad.id}/skills", headers=headers).status_code == 403
    assert client.get(f"/api/v1/participants/{team.olena.id}/skills", headers=headers).status_code == 200
    payload = {
        "participant": team.ahmad.id,
        "date": local_today().isoformat(),
        "ratings": [{"skill": kasse, "level": 2}],
    }
    assert client.post("/api/v1/assessments", json=payload, headers=headers).status_code == 403
    payload["self"] = True
    assert client.post("/api/v1/assessments", json=payload, headers=headers).status_code == 403
    payload["participant"] = team.olena.id
    assert client.post("/api/v1/assessments", json=payload, headers=headers).status_code == 201
    coordinator = api_token(team.coordinator)
    payload["self"] = False
    assert client.post("/api/v1/assessments", json=payload, headers=coordinator).status_code == 403


def test_api_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "get" in paths["/skills"]
    assert "post" in paths["/assessments"]
    assert "get" in paths["/participants/{user_id}/skills"]
