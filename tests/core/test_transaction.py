"""One transaction per request and per command: what a handler did is stored when it returns, and
nothing of it when it fails; a clash in the database is a clear 409; after-commit hooks run only for
stored work."""

import click
import pytest
import sqlalchemy as sa
from flask import Blueprint, get_flashed_messages

from store.auth.models import User
from store.core.access import public
from store.core.audit import Actor, AuditEntry, audit
from store.core.errors import ValidationError, clash_message
from store.core.transaction import add_commands, after_commit
from store.core.web import attempt
from store.extensions import db
from tests.conftest import tr

CALLED: list = []


def _user(name: str) -> User:
    user = User(username=name, first_name="A", last_name="B", role="trainee", password_hash="x")
    db.session.add(user)
    return user


def _hook(items):
    CALLED.append(sorted(items))


bp = Blueprint("t", __name__)


@bp.post("/t/book")
@public
def book():
    audit(Actor.system("web"), "test.booked")
    after_commit(_hook, "a")
    after_commit(_hook, "b")
    return "ok"


@bp.post("/t/refuse")
@public
def refuse():
    audit(Actor.system("web"), "test.refused")
    after_commit(_hook, "never")
    raise ValidationError("Not like this.")


@bp.post("/t/clash")
@public
def clash():
    _user("same")
    _user("same")
    return "ok"


@bp.post("/api/v1/t/clash")
@public
def api_clash():
    return clash()


@bp.post("/t/form")
@public
def form():
    audit(Actor.system("web"), "test.before")
    with attempt() as done:
        audit(Actor.system("web"), "test.inside")
        raise ValidationError("The price is too high.")
    return {"done": bool(done), "flashed": get_flashed_messages()}


@click.command("t-book")
@click.option("--fail", is_flag=True)
def book_command(fail):
    audit(Actor.system(), "test.command")
    if fail:
        raise ValidationError("The command was refused.")
    click.echo("booked")


@pytest.fixture
def routes(app):
    app.register_blueprint(bp)
    add_commands(app, book_command)
    CALLED.clear()
    return app


def actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_request_commits_once_its_handler_returns_then_runs_its_hooks(routes, client):
    assert client.post("/t/book").status_code == 200
    assert actions() == ["test.booked"]
    assert CALLED == [["a", "b"]]  # one call with every item of the transaction


def test_a_broken_rule_rolls_the_whole_request_back(routes, client):
    response = client.post("/t/refuse")
    assert response.status_code == 422 and "Not like this." in response.get_data(as_text=True)
    assert actions() == [] and CALLED == []


def test_a_clash_in_the_database_is_a_clear_409_on_pages_and_in_the_api(routes, client):
    page = client.post("/t/clash")
    assert page.status_code == 409 and clash_message() in page.get_data(as_text=True)
    api = client.post("/api/v1/t/clash")
    assert api.status_code == 409 and api.mimetype == "application/problem+json"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_attempt_undoes_the_transaction_and_shows_the_message(routes, client):
    answer = client.post("/t/form").json
    assert answer == {"done": False, "flashed": [tr("The price is too high.")]}
    assert actions() == []  # what came before the refused call is undone too


def test_a_command_commits_once_and_a_broken_rule_is_a_clean_message(routes, runner):
    assert runner.invoke(args=["t-book"]).output == "booked\n"
    failed = runner.invoke(args=["t-book", "--fail"])
    assert failed.exit_code == 1 and "The command was refused." in failed.output
    assert actions() == ["test.command"]
