"""The participant record pages: coordinators keep the record, consents and exit through the
forms; trainees see what is new for them and mark it seen, which lets it go to partners; admins'
looks are audited; prompt reports to the Jobcenter are listed and marked."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from markupsafe import escape

from store.core.audit import AuditEntry
from store.core.timeutil import local_today
from store.extensions import db
from store.network import services
from store.network.models import Consent, Mark, MarkKind, OutboxEvent, ParticipantRecord
from store.shifts import services as shifts
from store.skills import services as skills
from tests.conftest import PASSWORD, tr

pytestmark = pytest.mark.clock  # "today" inside the agreements of 2026, and fixed


def said(page: str, msgid: str, **values) -> bool:
    """Whether the page shows the message (as the app says it, escaped as HTML)."""
    return str(escape(tr(msgid, **values))) in page


def record_of(user) -> ParticipantRecord | None:
    db.session.expire_all()
    return services.record_of(user)


def form_data(**changes) -> dict:
    data = {
        "phone": "0151 2223334",
        "email": "lea@example.org",
        "birth_date": "1998-06-15",
        "referring_partner_id": "",
        "referrer_contact": "Herr Roth",
        "customer_number": "555A000111",
        "languages": "Deutsch, Arabisch ; Englisch",
        "gender": "female",
        "employment_status": "unemployed",
        "education": "isced_0_2",
        "disability": "",
        "minority": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def newcomer(net, make_user):
    """A trainee with an agreement but no record yet."""
    lea = make_user("trainee", first_name="Lea", last_name="Neumann")
    shifts.save_agreement(
        net.coord,
        None,
        user_id=lea.id,
        measure="agh",
        starts_on=date(2026, 2, 2),
        ends_on=None,
        weekly_minutes=15 * 60,
        workdays=[0, 1, 2],
        hourly_allowance_cents=None,
        max_months=24,
    )
    db.session.commit()
    return lea


def assess(net, user, level: int = 3):
    skill = skills.skills()[0]
    assessment = skills.record_assessment(
        net.sup, user, local_today(), [skills.RatingInput(skill.id, level)]
    )
    db.session.commit()
    return assessment, skill


def last_workday(before: date | None = None) -> date:
    day = (before or local_today()) - timedelta(days=1)
    while day.weekday() > 4:
        day -= timedelta(days=1)
    return day


# ---------------------------------------------------------------- the record


def test_list_shows_measure_status_consents_and_open_items(net, newcomer, client, login):
    services.give_consent(
        net.coord, net.olena, partner_id=net.jobcenter.id, scopes=["hours"], given_on=date(2026, 1, 5)
    )
    db.session.commit()
    assess(net, net.ahmad)
    login(net.coordinator)
    page = client.get("/participants/").get_data(as_text=True)
    assert "Olena Kovalenko" in page and "Lea Neumann" in page
    assert said(page, "complete") and said(page, "no record yet")
    assert "Jobcenter Teststadt" in page
    assert f'href="/participants/{net.olena.id}"' in page
    assert "audit-banner" not in page
    home = client.get("/").get_data(as_text=True)
    assert 'href="/participants/"' in home  # the start-screen tile


def test_coordinator_creates_and_edits_a_record_through_the_form(net, newcomer, client, login):
    login(net.coordinator)
    page = client.get(f"/participants/{newcomer.id}/edit").get_data(as_text=True)
    assert said(page, "To reach the person about shifts, changes and absences.")
    assert 'id="sensitive-hint"' in page and 'name="disability"' not in page

    response = client.post(
        f"/participants/{newcomer.id}/edit", data=form_data(referring_partner_id=str(net.workshop.id))
    )
    assert response.status_code == 302
    record = record_of(newcomer)
    assert record.phone == "0151 2223334" and record.email == "lea@example.org"
    assert record.birth_date == date(1998, 6, 15)
    assert record.referring_partner_id == net.workshop.id
    assert record.languages == ["Deutsch", "Arabisch", "Englisch"]
    assert (record.gender.value, record.employment_status.value, record.education.value) == (
        "female",
        "unemployed",
        "isced_0_2",
    )

    page = client.get(f"/participants/{newcomer.id}/edit").get_data(as_text=True)
    assert 'value="0151 2223334"' in page and 'value="Deutsch, Arabisch, Englisch"' in page
    response = client.post(
        f"/participants/{newcomer.id}/edit",
        data=form_data(
            phone="0151 9999", gender="", languages="", referring_partner_id=str(net.workshop.id)
        ),
    )
    assert response.status_code == 302
    record = record_of(newcomer)
    assert record.phone == "0151 9999" and record.gender is None and record.languages == []
    page = client.get(f"/participants/{newcomer.id}").get_data(as_text=True)
    assert "0151 9999" in page and "Jugendwerkstatt" in page


@pytest.mark.parametrize(
    ("changes", "msgid"),
    [
        ({"email": "lea at example"}, "This is not an e-mail address."),
        ({"birth_date": "1890-01-01"}, "Please check the date of birth."),
        ({"birth_date": "15.06.98"}, "Please check the date."),
    ],
)
def test_invalid_email_or_birth_date_shows_the_message_and_changes_nothing(
    net, client, login, changes, msgid
):
    login(net.coordinator)
    before = record_of(net.olena)
    kept = (before.phone, before.email, before.birth_date, before.updated_at)
    response = client.post(f"/participants/{net.olena.id}/edit", data=form_data(phone="0000", **changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert said(page, msgid)
    assert 'class="field has-error' in page
    after = record_of(net.olena)
    assert (after.phone, after.email, after.birth_date, after.updated_at) == kept


def test_completion_is_refused_with_missing_fields_and_accepted_when_complete(
    net, newcomer, client, login
):
    login(net.coordinator)
    client.post(f"/participants/{newcomer.id}/edit", data=form_data(gender="", education=""))
    response = client.post(f"/participants/{newcomer.id}/complete", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert said(
        page,
        "The record cannot be completed yet. Missing: %(fields)s.",
        fields=", ".join([tr("gender"), tr("education")]),
    )
    assert record_of(newcomer).entry_completed_at is None

    client.post(f"/participants/{newcomer.id}/edit", data=form_data())
    response = client.post(f"/participants/{newcomer.id}/complete", follow_redirects=True)
    assert said(
        response.get_data(as_text=True), "The entry of %(name)s is complete.", name="Lea Neumann"
    )
    assert record_of(newcomer).entry_completed_at is not None
    assert (
        db.session.scalar(
            sa.select(AuditEntry).where(
                AuditEntry.action == "participant.record.complete",
                AuditEntry.object_id == str(record_of(newcomer).id),
            )
        )
        is not None
    )


def test_exit_form_asks_every_question_and_records_the_exit(net, client, login):
    login(net.coordinator)
    page = client.get(f"/participants/{net.olena.id}/exit").get_data(as_text=True)
    assert 'name="job_seeking"' in page and 'name="employed"' in page
    answers = {
        "exit_on": local_today().isoformat(),
        "reason": "job",
        "job_seeking": "no",
        "in_education": "no",
        "qualification": "yes",
    }
    response = client.post(f"/participants/{net.olena.id}/exit", data=answers)
    assert response.status_code == 422
    assert said(
        response.get_data(as_text=True), "Please answer every question about the situation at exit."
    )
    assert record_of(net.olena).exit_on is None

    response = client.post(f"/participants/{net.olena.id}/exit", data={**answers, "employed": "yes"})
    assert response.status_code == 302
    record = record_of(net.olena)
    assert record.exit_on == local_today() and record.exit_reason.value == "job"
    assert (
        record.exit_job_seeking,
        record.exit_in_education,
        record.exit_qualification,
        record.exit_employed,
    ) == (False, False, True, True)
    assert (
        db.session.scalar(sa.select(OutboxEvent).where(OutboxEvent.type == "participant.exited"))
        is not None
    )
    page = client.get(f"/participants/{net.olena.id}").get_data(as_text=True)
    assert 'id="record-exit"' not in page and said(page, "Qualification gained")
    # a second exit is not offered
    assert client.get(f"/participants/{net.olena.id}/exit").status_code == 302


def test_consent_is_given_and_withdrawn_on_the_pages(net, client, login):
    login(net.coordinator)
    page = client.get(f"/participants/{net.olena.id}/consents/new").get_data(as_text=True)
    assert said(page, "own purposes (no partner)") and "Jobcenter Teststadt" in page

    response = client.post(
        f"/participants/{net.olena.id}/consents/new",
        data={
            "partner_id": "",
            "scopes": ["hours"],
            "basis": "consent",
            "given_on": local_today().isoformat(),
        },
    )
    assert response.status_code == 422
    assert said(
        response.get_data(as_text=True),
        "Hours, skills and the exit are shared with a "
        "partner; the evaluation and the special categories need no partner.",
    )
    assert services.consents_of(net.olena.id) == []

    response = client.post(
        f"/participants/{net.olena.id}/consents/new",
        data={
            "partner_id": str(net.jobcenter.id),
            "scopes": ["hours", "skills"],
            "basis": "law",
            "given_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    consent = db.session.scalar(sa.select(Consent))
    assert consent.partner_id == net.jobcenter.id and consent.scopes == ["hours", "skills"]
    assert consent.basis.value == "law" and consent.given_on == date(2026, 1, 5)
    page = client.get(f"/participants/{net.olena.id}").get_data(as_text=True)
    assert f'id="consent-{consent.id}"' in page and 'data-testid="withdraw"' in page

    day = local_today().isoformat()
    response = client.post(
        f"/participants/{net.olena.id}/consents/{consent.id}/withdraw",
        data={f"c{consent.id}-withdrawn_on": day},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert consent.withdrawn_on == local_today()
    assert not services.covers(net.olena.id, net.jobcenter.id, "hours", local_today())
    page = client.get(f"/participants/{net.olena.id}").get_data(as_text=True)
    assert 'data-testid="withdraw"' not in page
    # another participant's consent cannot be withdrawn through this one's page
    assert (
        client.post(f"/participants/{net.ahmad.id}/consents/{consent.id}/withdraw", data={}).status_code
        == 404
    )


def test_sensitive_fields_are_refused_without_consent(net, client, login):
    login(net.coordinator)
    response = client.post(f"/participants/{net.olena.id}/edit", data=form_data(disability="yes"))
    assert response.status_code == 422
    assert said(
        response.get_data(as_text=True),
        "Disability and minority are recorded only "
        "with the person's explicit consent. Please record the consent first.",
    )
    assert record_of(net.olena).disability is None

    client.post(
        f"/participants/{net.olena.id}/consents/new",
        data={
            "partner_id": "",
            "scopes": ["esf_sensitive"],
            "basis": "consent",
            "given_on": local_today().isoformat(),
        },
    )
    page = client.get(f"/participants/{net.olena.id}/edit").get_data(as_text=True)
    assert 'name="disability"' in page and 'id="sensitive-hint"' not in page
    response = client.post(
        f"/participants/{net.olena.id}/edit", data=form_data(disability="yes", minority="no")
    )
    assert response.status_code == 302
    record = record_of(net.olena)
    assert (record.disability, record.minority) == (True, False)


# ---------------------------------------------------------------- shown to the participant


def test_trainee_sees_new_items_and_marks_them_seen_which_releases_the_events(net, client, login):
    assessment, skill = assess(net, net.olena, level=3)
    day = last_workday()
    absence = shifts.confirm_attendance(net.sup, net.olena, day, "sick_no_certificate")
    db.session.commit()
    held = db.session.scalars(
        sa.select(OutboxEvent).where(
            OutboxEvent.participant_id == net.olena.id, OutboxEvent.released_at.is_(None)
        )
    ).all()
    assert {e.object_type for e in held} == {"assessment", "attendance_entry"}

    login(net.olena)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/participants/me/to-see"' in home
    page = client.get("/participants/me/to-see").get_data(as_text=True)
    assert f'id="assessment-{assessment.id}"' in page and f'id="absence-{absence.id}"' in page
    assert skill.descriptor(3) in page and "●●●○" in page
    assert 'id="seen"' in page and "autofocus" in page

    response = client.post(
        "/participants/me/to-see", data={"assessments": str(assessment.id), "absences": str(absence.id)}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert all(e.released_at is not None for e in held)
    marks = db.session.scalars(sa.select(Mark).where(Mark.kind == MarkKind.SHOWN)).all()
    assert {(m.object_type, m.object_id, m.how) for m in marks} == {
        ("assessment", assessment.id, "app"),
        ("attendance_entry", absence.id, "app"),
    }
    page = client.get("/participants/me/to-see").get_data(as_text=True)
    assert 'id="all-seen"' in page and f'id="assessment-{assessment.id}"' not in page
    assert 'href="/participants/me/to-see"' not in client.get("/").get_data(as_text=True)


def test_only_items_that_were_on_the_page_are_marked(net, client, login):
    first, _skill = assess(net, net.olena)
    login(net.olena)
    client.get("/participants/me/to-see")
    second, _skill = assess(net, net.olena, level=4)  # arrives while the page is open
    client.post("/participants/me/to-see", data={"assessments": str(first.id), "absences": ""})
    items = services.to_see(net.olena)
    assert [a.id for a in items.assessments] == [second.id]


def test_a_trainee_cannot_mark_another_trainees_items(net, client, login):
    theirs, _skill = assess(net, net.ahmad)
    login(net.olena)
    response = client.post("/participants/me/to-see", data={"assessments": str(theirs.id)})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Mark)) == 0
    event = db.session.scalar(
        sa.select(OutboxEvent).where(
            OutboxEvent.object_type == "assessment", OutboxEvent.object_id == theirs.id
        )
    )
    assert event.released_at is None
    assert len(services.to_see(net.ahmad)) == 1
    # nor through the coordinators' page
    assert (
        client.post(
            f"/participants/{net.ahmad.id}/shown", data={"assessments": str(theirs.id)}
        ).status_code
        == 403
    )


def test_coordinator_marks_items_shown_in_a_talk(net, client, login):
    assessment, _skill = assess(net, net.ahmad)
    login(net.coordinator)
    page = client.get(f"/participants/{net.ahmad.id}").get_data(as_text=True)
    assert 'id="shown-in-talk"' in page
    client.post(f"/participants/{net.ahmad.id}/shown", data={"assessments": str(assessment.id)})
    mark = db.session.scalar(sa.select(Mark))
    assert (mark.object_id, mark.how, mark.by_id) == (assessment.id, "talk", net.coordinator.id)
    assert len(services.to_see(net.ahmad)) == 0


def test_a_corrected_day_is_shown_as_corrected_only(net, client, login):
    day = last_workday()
    first = shifts.confirm_attendance(net.sup, net.olena, day, "unexcused")
    db.session.commit()
    second = shifts.confirm_attendance(net.sup, net.olena, day, "excused", reason="Termin beim Amt")
    db.session.commit()
    login(net.olena)
    page = client.get("/participants/me/to-see").get_data(as_text=True)
    assert f'id="absence-{second.id}"' in page and f'id="absence-{first.id}"' not in page


# ---------------------------------------------------------------- who may look


@pytest.mark.parametrize("who", ["supervisor", "olena"])
@pytest.mark.parametrize(
    "path", ["/participants/", "/participants/{id}", "/participants/{id}/edit", "/participants/reports"]
)
def test_supervisors_and_trainees_are_refused(net, client, login, who, path):
    login(getattr(net, who))
    assert client.get(path.format(id=net.olena.id)).status_code == 403


def test_coordinators_cannot_open_the_trainee_page(net, client, login):
    login(net.coordinator)
    assert client.get("/participants/me/to-see").status_code == 403


def test_an_admins_look_is_audited_and_announced(net, client, login):
    login(net.coordinator)
    client.get(f"/participants/{net.olena.id}")
    views = sa.select(AuditEntry).where(AuditEntry.action == "participant.view")
    assert db.session.scalars(views).all() == []

    client.post("/logout")
    login(net.admin)
    page = client.get(f"/participants/{net.olena.id}").get_data(as_text=True)
    assert 'id="audit-banner"' in page
    entry = db.session.scalar(views)
    assert (entry.user_id, entry.object_type, entry.object_id) == (
        net.admin.id,
        "user",
        str(net.olena.id),
    )
    assert entry.data == {"what": "record"}


def test_record_page_links_the_downloads(app, net, client, login):
    services.give_consent(
        net.coord, net.olena, partner_id=net.jobcenter.id, scopes=["hours"], given_on=date(2026, 1, 5)
    )
    db.session.commit()
    login(net.coordinator)
    page = client.get(f"/participants/{net.olena.id}").get_data(as_text=True)
    links = re.findall(r'href="(/exports/[^"]+)"', page)
    assert any(f"/{net.olena.id}/" in link for link in links)
    assert page.count('data-testid="partner-export"') == 1  # the Jobcenter, not the workshop


def test_unknown_participant_is_not_found(net, client, login):
    login(net.coordinator)
    assert client.get(f"/participants/{net.supervisor.id}").status_code == 404
    assert client.get("/participants/99999/edit").status_code == 404


# ---------------------------------------------------------------- prompt reports


def test_prompt_report_is_listed_and_the_reported_button_removes_it(net, client, login):
    day = last_workday()
    entry = shifts.confirm_attendance(net.sup, net.olena, day, "unexcused")
    db.session.commit()
    login(net.coordinator)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/participants/reports"' in home
    page = client.get("/participants/reports").get_data(as_text=True)
    assert f'id="report-attendance_entry-{entry.id}"' in page and "Olena Kovalenko" in page
    assert said(page, "unexcused absence") and said(page, "not yet")
    row = re.search(rf'id="report-attendance_entry-{entry.id}".*?</tr>', page, re.S).group(0)
    assert re.search(rf'name="object_id"[^>]*value="{entry.id}"', row)
    assert re.search(r'name="object_type"[^>]*value="attendance_entry"', row)

    response = client.post(
        "/participants/reports/reported",
        data={"object_type": "attendance_entry", "object_id": str(entry.id), "how": "phone"},
    )
    assert response.status_code == 302
    mark = db.session.scalar(sa.select(Mark).where(Mark.kind == MarkKind.REPORTED))
    assert (mark.object_id, mark.how) == (entry.id, "phone")
    page = client.get("/participants/reports").get_data(as_text=True)
    assert f'id="report-attendance_entry-{entry.id}"' not in page
    assert 'id="nothing-to-report"' in page
    assert 'href="/participants/reports"' not in client.get("/").get_data(as_text=True)
    # twice is refused with a message
    response = client.post(
        "/participants/reports/reported",
        data={"object_type": "attendance_entry", "object_id": str(entry.id), "how": "phone"},
        follow_redirects=True,
    )
    assert said(
        response.get_data(as_text=True), "This is reported already, or there is nothing to report."
    )


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_forms_without_the_csrf_token_are_refused(net, client, app_config):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert (
        client.post(
            "/login",
            data={"username": net.coordinator.username, "password": PASSWORD, "csrf_token": token},
        ).status_code
        == 302
    )
    page = client.get(f"/participants/{net.olena.id}/edit").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    assert client.post(f"/participants/{net.olena.id}/complete").status_code == 400
    assert client.post(f"/participants/{net.olena.id}/edit", data=form_data()).status_code == 400
