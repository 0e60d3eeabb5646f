"""Partners are configured by admins (pages and API); coordinators watch the outbox and re-send."""

from datetime import date

import pytest
import sqlalchemy as sa

from store.core.audit import AuditEntry
from store.extensions import db
from store.network import outbox, services
from store.network.models import Delivery, DeliveryStatus, Partner
from tests.conftest import tr
from tests.network.test_outbox import (
    Receiver,
    book_day,
    connect,
    consent,
    deliveries,
    run_until_quiet,
)

NEW_SECRET = "a-brand-new-secret-42"


def failed_notice(n: int) -> str:
    from flask_babel import ngettext

    return ngettext(
        "Partner sync: %(num)s delivery failed.", "Partner sync: %(num)s deliveries failed.", n
    )


@pytest.fixture
def app_config():
    return {
        "OUTBOX_BACKOFF_SECONDS": 1,
        "OUTBOX_BACKOFF_MAX_SECONDS": 4,
        "OUTBOX_MAX_ATTEMPTS": 2,
        "OUTBOX_TIMEOUT_SECONDS": 0.5,
    }


@pytest.fixture
def outbox_state(net):
    """Olena's two days went to the Jobcenter: one arrived, one failed with HTTP 503."""
    receiver = Receiver(plan=["ok"], always="503").start()
    try:
        connect(net, net.jobcenter, receiver.url)
        consent(net, net.olena, net.jobcenter)
        book_day(net, net.olena, date(2026, 11, 2))
        book_day(net, net.olena, date(2026, 11, 3))
        run_until_quiet()
    finally:
        receiver.stop()
    delivered, failed = deliveries()
    assert delivered.status == DeliveryStatus.DELIVERED
    assert failed.status == DeliveryStatus.FAILED
    return delivered, failed


def partner_body(**changes) -> dict:
    return {
        "name": "Berufsbildungswerk",
        "url": "https://bbw.example.org/hooks/kaufhaus",
        "secret": NEW_SECRET,
        "events": ["attendance.confirmed", "month.closed"],
        "kind": "youth_workshop",
        "contact": "Herr Brandt",
        **changes,
    }


# ---------------------------------------------------------------- API


def test_admin_creates_a_partner_by_api_and_the_secret_is_never_shown(client, net, api_token):
    headers = api_token(net.admin)
    response = client.post("/api/v1/partners", json=partner_body(), headers=headers)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["name"] == "Berufsbildungswerk" and body["kind"] == "youth_workshop"
    assert body["events"] == ["attendance.confirmed", "month.closed"]
    assert body["syncs"] is True and body["has_secret"] is True
    assert "secret" not in body and NEW_SECRET not in response.get_data(as_text=True)
    partner = db.session.get(Partner, body["id"])
    assert partner.secret == NEW_SECRET and partner.contact == "Herr Brandt"
    audit = db.session.scalar(
        sa.select(AuditEntry).where(
            AuditEntry.action == "partner.save", AuditEntry.object_id == str(partner.id)
        )
    )
    assert audit.user_id == net.admin.id and audit.source == "api"
    assert NEW_SECRET not in str(audit.data)

    listed = client.get("/api/v1/partners", headers=headers)
    assert listed.status_code == 200
    assert [p["name"] for p in listed.json["partners"]] == [
        "Berufsbildungswerk",
        "Jobcenter Teststadt",
        "Jugendwerkstatt",
    ]
    assert NEW_SECRET not in listed.get_data(as_text=True)

    minimal = client.post("/api/v1/partners", json={"name": "Stadtbibliothek"}, headers=headers)
    assert minimal.status_code == 201
    assert minimal.json["kind"] == "other" and minimal.json["syncs"] is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "jobcenter teststadt"}, "name"),  # exists already
        ({"url": "http://bbw.example.org/hooks"}, "url"),  # plain http only on this computer
        ({"url": "ftp://bbw.example.org"}, "url"),
        ({"secret": "too-short"}, "secret"),
        ({"secret": None}, "secret"),  # an address needs a secret
        ({"events": ["hours.sold"]}, "events.0"),
        ({"kind": "bank"}, "kind"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_partner_api_validation_is_422_problem_json(client, net, api_token, change, field):
    response = client.post("/api/v1/partners", json=partner_body(**change), headers=api_token(net.admin))
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    problem = response.json
    assert problem["status"] == 422 and problem["detail"]
    fields = {problem.get("field")} | {e.get("field") for e in problem.get("errors", [])}
    assert field in fields, problem
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Partner)) == 2


def test_only_admins_configure_partners(client, net, api_token):
    for user in (net.coordinator, net.supervisor, net.olena):
        response = client.post("/api/v1/partners", json=partner_body(), headers=api_token(user))
        assert response.status_code == 403, user.role
        assert response.mimetype == "application/problem+json"
    assert client.get("/api/v1/partners", headers=api_token(net.coordinator)).status_code == 200
    for user in (net.supervisor, net.olena):
        assert client.get("/api/v1/partners", headers=api_token(user)).status_code == 403
    assert client.post("/api/v1/partners", json=partner_body()).status_code == 401


def test_the_outbox_of_a_partner_by_api(client, net, api_token, outbox_state):
    delivered, failed = outbox_state
    headers = api_token(net.coordinator)
    url = f"/api/v1/partners/{net.jobcenter.id}/deliveries"
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["partner"]["id"] == net.jobcenter.id and "secret" not in body["partner"]
    assert body["counts"] == {"pending": 0, "delivered": 1, "failed": 1, "cancelled": 0}
    rows = {d["id"]: d for d in body["deliveries"]}
    assert set(rows) == {delivered.id, failed.id}
    row = rows[failed.id]
    assert row["event_id"] == failed.event_id and row["type"] == "attendance.confirmed"
    assert row["participant_id"] == net.olena.id and row["partner_id"] == net.jobcenter.id
    assert row["status"] == "failed" and row["attempts"] == 2
    assert row["last_error"].startswith("HTTP 503") and row["last_status_code"] == 503
    assert row["delivered_at"] is None and row["created_at"]
    assert rows[delivered.id]["delivered_at"] and rows[delivered.id]["last_status_code"] == 200

    only_failed = client.get(url + "?status=failed", headers=headers).json["deliveries"]
    assert [d["id"] for d in only_failed] == [failed.id]
    assert client.get(url + "?status=lost", headers=headers).status_code == 422
    assert (
        client.get(f"/api/v1/partners/{net.workshop.id}/deliveries", headers=headers).json["deliveries"]
        == []
    )
    assert client.get("/api/v1/partners/999/deliveries", headers=headers).status_code == 404
    for user in (net.supervisor, net.olena):
        assert client.get(url, headers=api_token(user)).status_code == 403
    assert client.get(url, headers=api_token(net.admin)).status_code == 200


def test_resend_by_api(client, net, api_token, outbox_state):
    delivered, failed = outbox_state
    headers = api_token(net.coordinator)
    response = client.post(f"/api/v1/deliveries/{failed.id}/resend", headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "pending" and response.json["attempts"] == 0
    assert response.json["next_attempt_at"]
    again = client.post(f"/api/v1/deliveries/{failed.id}/resend", headers=headers)
    assert again.status_code == 422 and again.mimetype == "application/problem+json"
    twice = client.post(f"/api/v1/deliveries/{delivered.id}/resend", headers=headers)
    assert twice.status_code == 422
    assert client.post("/api/v1/deliveries/999/resend", headers=headers).status_code == 404
    assert (
        client.post(
            f"/api/v1/deliveries/{failed.id}/resend", headers=api_token(net.supervisor)
        ).status_code
        == 403
    )
    assert db.session.get(Delivery, delivered.id).status == DeliveryStatus.DELIVERED


def test_the_api_documents_the_partner_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"post", "get"} <= set(paths["/partners"])
    assert "get" in paths["/partners/{partner_id}/deliveries"]
    assert "post" in paths["/deliveries/{delivery_id}/resend"]
    assert paths["/partners"]["post"]["x-roles"] == ["admin"]


# ---------------------------------------------------------------- pages


def test_admin_creates_and_edits_a_partner_in_the_form(client, net, login):
    login(net.admin)
    assert client.get("/partners/new").status_code == 200
    form = {
        "name": "Berufsbildungswerk",
        "kind": "youth_workshop",
        "contact": "Herr Brandt",
        "url": "https://bbw.example.org/hooks/kaufhaus",
        "secret": NEW_SECRET,
        "events": ["attendance.confirmed", "participant.exited"],
        "is_active": "y",
    }
    response = client.post("/partners/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    partner = db.session.scalar(sa.select(Partner).where(Partner.name == "Berufsbildungswerk"))
    assert partner.events == ["attendance.confirmed", "participant.exited"]
    assert partner.secret == NEW_SECRET and partner.syncs

    page = client.get("/partners/").get_data(as_text=True)
    assert "Berufsbildungswerk" in page and "Jobcenter Teststadt" in page
    edit = client.get(f"/partners/{partner.id}").get_data(as_text=True)
    assert NEW_SECRET not in edit and "Herr Brandt" in edit
    assert tr("Leave empty to keep the current secret.") in edit

    # An empty secret keeps the old one.
    response = client.post(
        f"/partners/{partner.id}", data={**form, "secret": "", "events": ["month.closed"]}
    )
    assert response.status_code == 302
    db.session.expire_all()
    partner = db.session.get(Partner, partner.id)
    assert partner.secret == NEW_SECRET and partner.events == ["month.closed"]

    # The service's message appears at the field; nothing is saved.
    response = client.post(f"/partners/{partner.id}", data={**form, "url": "http://bbw.example"})
    assert response.status_code == 422
    assert tr(
        "The address must start with https:// (plain http only for this computer)."
    ) in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).url == "https://bbw.example.org/hooks/kaufhaus"


def test_only_admins_see_the_partner_pages(client, net, login):
    login(net.coordinator)
    assert client.get("/partners/").status_code == 403
    assert client.get("/partners/new").status_code == 403
    assert client.post("/partners/new", data={"name": "X"}).status_code == 403
    assert client.get(f"/partners/{net.jobcenter.id}").status_code == 403
    assert client.get("/partners/outbox").status_code == 200


def test_coordinator_sees_the_outbox_and_re_sends(client, net, login, outbox_state):
    delivered, failed = outbox_state
    login(net.coordinator)
    home = client.get("/").get_data(as_text=True)
    assert failed_notice(1) in home
    assert "/partners/outbox" in home

    page = client.get("/partners/outbox").get_data(as_text=True)
    assert "HTTP 503" in page and "Jobcenter Teststadt" in page
    assert f"/partners/deliveries/{failed.id}/resend" in page
    assert f"/partners/deliveries/{delivered.id}/resend" not in page
    only_failed = client.get("/partners/outbox?status=delivered").get_data(as_text=True)
    assert "HTTP 503" not in only_failed
    mine = client.get(f"/partners/{net.jobcenter.id}/deliveries?status=failed")
    assert mine.status_code == 200 and "HTTP 503" in mine.get_data(as_text=True)

    response = client.post(f"/partners/deliveries/{failed.id}/resend?next=/partners/outbox")
    assert response.status_code == 302 and response.headers["Location"].endswith("/partners/outbox")
    db.session.expire_all()
    assert db.session.get(Delivery, failed.id).status == DeliveryStatus.PENDING
    assert failed_notice(1) not in client.get("/").get_data(as_text=True)

    # Delivered: the page refuses with a message, nothing changes.
    response = client.post(f"/partners/deliveries/{delivered.id}/resend", follow_redirects=True)
    assert tr("This was delivered already; it is not sent twice.") in response.get_data(as_text=True)
    # An outside address as "next" is not followed.
    response = client.post(f"/partners/deliveries/{failed.id}/resend?next=https://evil.example")
    assert response.headers["Location"].endswith("/partners/outbox")


def test_supervisors_and_trainees_do_not_see_the_outbox(client, net, login, outbox_state):
    _delivered, failed = outbox_state
    login(net.supervisor)
    assert client.get("/partners/outbox").status_code == 403
    assert client.post(f"/partners/deliveries/{failed.id}/resend").status_code == 403
    assert failed_notice(1) not in client.get("/").get_data(as_text=True)


def test_tiles_for_coordinators_and_admins(client, net, login):
    login(net.coordinator)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/partners/outbox"' in home and 'href="/partners/"' not in home
    client.post("/logout")
    login(net.admin)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/partners/outbox"' in home and 'href="/partners/"' in home


def test_resend_needs_the_csrf_token(app, client, net, login, outbox_state):
    _delivered, failed = outbox_state
    login(net.coordinator)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/partners/deliveries/{failed.id}/resend").status_code == 400
    assert db.session.get(Delivery, failed.id).status == DeliveryStatus.FAILED


def test_summary_counts_every_status(net, outbox_state):
    counts = outbox.summary()
    assert counts[net.jobcenter.id]["delivered"] == 1
    assert outbox.totals(counts) == {"pending": 0, "delivered": 1, "failed": 1, "cancelled": 0}
    assert [d.status for d in outbox.deliveries_for(net.jobcenter.id, "failed")] == [
        DeliveryStatus.FAILED
    ]
    assert outbox.deliveries_for(net.workshop.id) == []
    assert services.get_partner(net.jobcenter.id).syncs


@pytest.mark.parametrize(
    "url",
    [
        "https://user:pw@partner.example/hook",
        "https://169.254.169.254/latest",
        "http://partner.example/x",
    ],
)
def test_partner_addresses_that_are_refused(net, url):
    from store.core.errors import ValidationError
    from store.network import services as network

    with pytest.raises(ValidationError) as refused:
        network.save_partner(
            net.coord, None, name="X", kind="other", url=url, secret="s" * 20, events=[]
        )
    assert refused.value.field == "url"


def test_admins_see_the_outbox_with_numbers_not_names(client, net, login, outbox_state):
    """Admins look at the outbox for technical support: the participant's number, never the name
    (the rule is services.shown_name, not the template)."""
    delivered, _failed = outbox_state
    event = delivered.event
    login(net.coordinator)
    page = client.get("/partners/outbox").get_data(as_text=True)
    assert f"{net.olena.first_name} {net.olena.last_name}" in page
    client.post("/logout")
    login(net.admin)
    page = client.get("/partners/outbox").get_data(as_text=True)
    assert f"#{event.participant_id}" in page
    assert net.olena.first_name not in page and net.olena.last_name not in page
    assert services.shown_name(event, net.admin) == f"#{event.participant_id}"
    assert services.shown_name(event, net.coordinator) == "Olena Kovalenko"
