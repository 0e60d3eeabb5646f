"""The TSE page: who may see it, the simulator's warning, the TSE export, fiskaly set-up."""

import io
import tarfile

import pytest
import sqlalchemy as sa

from store.core.audit import AuditEntry
from store.extensions import db
from store.tse import signing
from store.tse.backends.fiskaly import forget_tokens
from store.tse.models import TseDevice
from tests.tse.fake_fiskaly import FakeFiskaly


@pytest.fixture
def fake():
    forget_tokens()
    with FakeFiskaly() as server:
        yield server
    forget_tokens()


@pytest.fixture
def simulator(app):
    device = signing.active_device()  # TSE_SIMULATOR is on in tests: makes one
    db.session.commit()
    return device


def setup_form(fake, **changes) -> dict:
    return {
        "api_key": fake.api_key,
        "tss_id": fake.tss_id,
        "base_url": fake.url,
        "action": "save",
        **changes,
    }


def devices() -> list[TseDevice]:
    return db.session.scalars(sa.select(TseDevice).order_by(TseDevice.id)).all()


@pytest.mark.parametrize(
    "role, status", [("admin", 200), ("supervisor", 200), ("coordinator", 403), ("trainee", 403)]
)
def test_who_may_see_the_page(client, make_user, login, simulator, role, status):
    login(make_user(role))
    assert client.get("/admin/tse").status_code == status
    assert client.get("/fiscal/export/tse.tar").status_code in ((200,) if status == 200 else (403,))


def test_signed_out_users_are_sent_to_sign_in(client, simulator):
    assert client.get("/admin/tse").status_code == 302
    assert client.get("/fiscal/export/tse.tar").status_code == 302


def test_only_admins_set_up_fiskaly(client, make_user, login, simulator, fake, monkeypatch):
    monkeypatch.setenv("FISKALY_API_SECRET", fake.api_secret)
    login(make_user("supervisor"))
    page = client.get("/admin/tse").get_data(as_text=True)
    assert "Connect fiskaly SIGN DE" not in page
    assert client.post("/admin/tse/fiskaly", data=setup_form(fake)).status_code == 403
    assert devices() == [simulator]


def test_the_simulator_is_shown_as_demo_only(client, make_user, login, simulator):
    login(make_user("admin"))
    client.set_cookie("lang", "en")
    page = client.get("/admin/tse").get_data(as_text=True)
    assert "Not certified — demo only" in page
    assert simulator.serial in page and simulator.public_key in page
    assert "FISKALY_API_SECRET" in page  # where the secret comes from
    client.set_cookie("lang", "de")
    assert "Nicht zertifiziert – nur Demo" in client.get("/admin/tse").get_data(as_text=True)


def test_the_page_lists_the_last_transactions(client, make_user, login, shop):
    login(make_user("supervisor"))
    client.set_cookie("lang", "en")
    page = client.get("/admin/tse").get_data(as_text=True)
    # the float is signed as the Beleg it is exported as (DSFinV-K: signed type = BON_TYP)
    assert "<td>Beleg</td>" in page and "signed" in page


def test_export_downloads_a_tar(client, make_user, login, shop):
    login(make_user("supervisor"))
    response = client.get("/fiscal/export/tse.tar")
    assert response.status_code == 200 and response.mimetype == "application/x-tar"
    assert "attachment" in response.headers["Content-Disposition"]
    assert ".tar" in response.headers["Content-Disposition"]
    # BSI TR-03153: one TR-03151 log message per finished transaction, the certificate, info.csv
    with tarfile.open(fileobj=io.BytesIO(response.data)) as tar:
        names = tar.getnames()
        logs = [tar.extractfile(n).read() for n in names if n.endswith(".log")]
    assert "info.csv" in names and any(n.endswith("_X509.cer") for n in names)
    assert any(b"Beleg^0.00_0.00_0.00_0.00_100.00^100.00:Bar" in log for log in logs)  # the float


def test_connection_test_of_the_simulator(app, client, make_user, login, simulator):
    login(make_user("supervisor"))
    client.set_cookie("lang", "en")
    page = client.post("/admin/tse/test", follow_redirects=True).get_data(as_text=True)
    assert "The TSE answers" in page and simulator.serial in page
    app.config["TSE_FAIL"] = True
    page = client.post("/admin/tse/test", follow_redirects=True).get_data(as_text=True)
    assert "The TSE does not answer" in page and "switched off" in page


def test_fiskaly_set_up_makes_it_the_active_tse(client, make_user, login, simulator, fake, monkeypatch):
    monkeypatch.setenv("FISKALY_API_SECRET", fake.api_secret)
    login(make_user("admin"))
    client.set_cookie("lang", "en")
    tested = client.post("/admin/tse/fiskaly", data=setup_form(fake, action="test"))
    assert tested.status_code == 200 and fake.tss_serial in tested.get_data(as_text=True)
    assert devices() == [simulator]  # a test changes nothing

    response = client.post("/admin/tse/fiskaly", data=setup_form(fake))
    assert response.status_code == 302
    db.session.expire_all()
    old, new = devices()
    assert old.id == simulator.id and not old.is_active and old.out_of_service_on
    assert new.is_active and new.backend == "fiskaly" and new.serial == fake.tss_serial
    assert new.public_key == fake.public_key and new.certified is False  # fiskaly TEST env
    assert new.config == {"api_key": fake.api_key, "tss_id": fake.tss_id, "base_url": fake.url}
    assert fake.api_secret not in str(new.config)
    assert signing.active_device().id == new.id
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "fiscal.tse_connect"))
    assert entry.object_id == str(new.id) and entry.user_id is not None

    page = client.get("/admin/tse").get_data(as_text=True)
    assert "fiskaly SIGN DE" in page and "fiskaly test environment" in page
    assert "demo only" not in page
    # the export now comes from fiskaly
    export = client.get("/fiscal/export/tse.tar")
    with tarfile.open(fileobj=io.BytesIO(export.data)) as tar:
        assert "info.txt" in tar.getnames()
    # the test button asks fiskaly
    page = client.post("/admin/tse/test", follow_redirects=True).get_data(as_text=True)
    assert f"The TSE answers. Serial: {fake.tss_serial}" in page


def test_bad_key_shows_an_error_and_changes_nothing(
    client, make_user, login, simulator, fake, monkeypatch
):
    monkeypatch.setenv("FISKALY_API_SECRET", fake.api_secret)
    login(make_user("admin"))
    client.set_cookie("lang", "en")
    response = client.post("/admin/tse/fiskaly", data=setup_form(fake, api_key="wrong"))
    assert response.status_code == 422
    assert "refused the API key or secret" in response.get_data(as_text=True)
    db.session.expire_all()
    assert devices() == [simulator] and simulator.is_active
    assert (
        db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "fiscal.tse_connect")) is None
    )


def test_missing_secret_or_bad_tss_id_is_refused(client, make_user, login, simulator, fake, monkeypatch):
    login(make_user("admin"))
    client.set_cookie("lang", "en")
    monkeypatch.delenv("FISKALY_API_SECRET", raising=False)
    response = client.post("/admin/tse/fiskaly", data=setup_form(fake))
    assert response.status_code == 422 and "FISKALY_API_SECRET" in response.get_data(as_text=True)
    monkeypatch.setenv("FISKALY_API_SECRET", fake.api_secret)
    response = client.post("/admin/tse/fiskaly", data=setup_form(fake, tss_id="not-a-uuid"))
    assert response.status_code == 422 and "The TSS id is a UUID" in response.get_data(as_text=True)
    assert devices() == [simulator] and not fake.log


def test_export_failure_is_shown(client, make_user, login, simulator, fake, monkeypatch):
    monkeypatch.setenv("FISKALY_API_SECRET", fake.api_secret)
    login(make_user("admin"))
    client.set_cookie("lang", "en")
    client.post("/admin/tse/fiskaly", data=setup_form(fake))
    fake.fail_next(1, 500)
    response = client.get("/fiscal/export/tse.tar", follow_redirects=True)
    assert "The TSE export failed" in response.get_data(as_text=True)


def test_the_tile_is_on_the_start_screen(client, make_user, login, simulator):
    login(make_user("supervisor"))
    client.set_cookie("lang", "en")
    assert "/admin/tse" in client.get("/").get_data(as_text=True)


def test_set_up_needs_the_csrf_token(app, client, make_user, login, simulator, fake):
    login(make_user("admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/admin/tse/fiskaly", data=setup_form(fake)).status_code == 400
    assert client.post("/admin/tse/test").status_code == 400
