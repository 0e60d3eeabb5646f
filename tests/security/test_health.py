"""GET /health and /health/ready for a load balancer or systemd."""

from store.core import health, queue
from tests.security.test_findings import down_client  # noqa: F401 - the fixture


def test_health_answers_without_the_database(client, down_client):  # noqa: F811
    for c in (client, down_client):
        response = c.get("/health")
        assert response.status_code == 200 and response.json == {"status": "ok"}


def test_ready_checks_database_and_migrations(client, down_client):  # noqa: F811
    response = client.get("/health/ready")
    assert response.status_code == 200, response.json
    assert response.json["database"] == "ok" and response.json["migrations"] == "current"
    down = down_client.get("/health/ready")
    assert down.status_code == 503 and down.json["status"] == "not ready"
    assert "Retry-After" in down.headers


def test_ready_shows_when_each_worker_last_beat(app, client):
    assert client.get("/health/ready").json["workers"] == {"print": None, "outbox": None}
    queue.run_worker(lambda limit: 0, name="print", once=True)
    ages = client.get("/health/ready").json["workers"]
    assert ages["outbox"] is None and 0 <= ages["print"] < 60
    assert health.workers()["print"] is not None


def test_a_mistake_in_a_statement_is_a_500_not_a_503(app):
    """Only a database that cannot be reached is 503; a broken statement stays a server error."""
    import sqlalchemy as sa
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from store.core.errors import database_unreachable
    from store.extensions import db

    try:
        db.session.execute(sa.text("SELECT nothing FROM no_such_table"))
    except (OperationalError, ProgrammingError) as error:
        assert not database_unreachable(error)
    db.session.rollback()
