"""Test fixtures: a fresh, migrated database per test, on SQLite or PostgreSQL.

The database comes from TEST_DATABASE_URL (a PostgreSQL server URL; tests make and drop their own
databases there) or, without it, SQLite files under a temporary folder. DATABASE_URL is never read, so a
test can never touch real data. Migrations run once per session into a template; each test gets a copy.

KAUFHAUS_TEST_CLOCK=2027-03-02 (or 2027-03-28T00:30, or with an offset such as +01:00; naive values are
UTC) runs the whole session with the clock moved there and ticking (time-machine), to find tests that
depend on the day they run. A test that checks dates pins its own "today": a `now=`/`today=` argument
where the service takes one, else `@pytest.mark.clock` (the clock at NOW, or at the moment given).
"""

import itertools
import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, profiles
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from store import create_app
from store.auth import services as auth
from store.core.audit import Actor
from store.extensions import db

PASSWORD = "secret-pass-1"
PG_URL = os.environ.get("TEST_DATABASE_URL")
CLOCK = os.environ.get("KAUFHAUS_TEST_CLOCK")
# "Now" of the tests that pin the clock: Friday 20 November 2026, 11:00 in Berlin, when the fixtures'
# data (agreements in 2026, attendance in October and November) are recent and still running.
NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
_counter = itertools.count()
# The store's own password hasher, before the tests swap it for a cheap one (see cheap_password_hashes).
REAL_HASHER = auth._hasher


def pytest_configure(config):
    """KAUFHAUS_TEST_CLOCK: move the clock for the whole session, before test modules are imported."""
    config.addinivalue_line(
        "markers", "clock(moment=NOW, tick=True): run the test (and its fixtures) at this moment"
    )
    if CLOCK:
        import time_machine

        moment = datetime.fromisoformat(CLOCK)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config):
    if CLOCK:
        return f"clock moved to {CLOCK} (KAUFHAUS_TEST_CLOCK)"


def _pg_admin():
    url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    return sa.create_engine(url, isolation_level="AUTOCOMMIT"), url


class FreshContextClient(FlaskClient):
    """Each request in its own app context, as in production: its own g and database session.

    The test itself holds an app context for its own queries; without this, requests would share it.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def base_config(uri: str, tmp: Path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": uri,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "PRINT_RETRY_SECONDS": 0,
        "PRINT_IN_REQUEST": True,
        # Partner deliveries wait for the worker, whose clock the tests move (one test sends at once).
        "OUTBOX_SEND_AT_ONCE": False,
        "STORE_NAME": "Sozialkaufhaus Teststadt",
        # Test receivers of partner deliveries listen on loopback (store.core.outbound).
        "OUTBOUND_ALLOW_HOSTS": "127.0.0.1",
    }


class Databases:
    """Makes empty or migrated databases for tests, on the configured server."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.made: list[str] = []
        self.template: str | None = None
        if PG_URL:
            self.engine, self.url = _pg_admin()

    @property
    def dialect(self) -> str:
        return "postgresql" if PG_URL else "sqlite"

    def empty(self) -> str:
        name = f"kh_test_{os.getpid()}_{next(_counter)}"
        if PG_URL:
            with self.engine.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            self.made.append(name)
            return self.url.set(database=name).render_as_string(hide_password=False)
        return f"sqlite:///{self.tmp / (name + '.db')}"

    def migrated(self) -> str:
        if self.template is None:
            uri = self.empty()
            app = create_app(base_config(uri, self.tmp))
            with app.app_context():
                from flask_migrate import upgrade

                upgrade()
                db.engine.dispose()
            self.template = uri
        name = f"kh_test_{os.getpid()}_{next(_counter)}"
        if PG_URL:
            template = make_url(self.template).database
            with self.engine.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
            self.made.append(name)
            return self.url.set(database=name).render_as_string(hide_password=False)
        target = self.tmp / (name + ".db")
        shutil.copyfile(make_url(self.template).database, target)
        return f"sqlite:///{target}"

    def drop(self, uri: str) -> None:
        if PG_URL:
            name = make_url(uri).database
            with self.engine.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            Path(make_url(uri).database).unlink(missing_ok=True)

    def close(self) -> None:
        if PG_URL:
            for name in self.made:
                with self.engine.connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes():
    """Argon2 with its cheapest parameters (argon2-cffi's profile for tests). Most tests make two or
    three users and sign in, and the store's real cost (0.15–0.4 s a hash) was a third of the suite's
    time. The hashes are still Argon2 and verified as such; tests/auth checks REAL_HASHER's cost."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        yield


@pytest.fixture(autouse=True)
def pinned_clock(request):
    """With @pytest.mark.clock(moment=NOW, tick=True) the test and its fixtures run with the clock at
    that moment (time-machine; it moves the app's server thread too); yields the traveller, so a test
    can `pinned_clock.shift(...)`. Without the mark: the real clock (or KAUFHAUS_TEST_CLOCK's)."""
    marker = request.node.get_closest_marker("clock")
    if marker is None:
        yield None
        return
    import time_machine

    moment = marker.args[0] if marker.args else marker.kwargs.get("moment", NOW)
    with time_machine.travel(moment, tick=marker.kwargs.get("tick", True)) as traveller:
        yield traveller


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    dbs = Databases(tmp_path_factory.mktemp("db"))
    yield dbs
    dbs.close()


@pytest.fixture
def app_config():
    """Override in a test module to change the app's config."""
    return {}


@pytest.fixture
def app(databases, tmp_path, app_config, monkeypatch):
    monkeypatch.setenv("KAUFHAUS_INSTANCE", str(tmp_path / "instance"))
    for key in ("DATABASE_URL", "SECRET_KEY", "KAUFHAUS_DEMO"):
        monkeypatch.delenv(key, raising=False)
    uri = databases.migrated()
    app = create_app({**base_config(uri, tmp_path), **app_config})
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    databases.drop(uri)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """make_user(role="trainee", **fields) → a committed User."""
    made = itertools.count(1)

    def make(role: str = "trainee", **fields):
        n = next(made)
        values = {
            "username": f"{role}{n}-{uuid.uuid4().hex[:6]}",
            "first_name": role.capitalize(),
            "last_name": f"Nr{n}",
            "password": PASSWORD,
            **fields,
        }
        user = auth.create_user(Actor.system("cli"), role=role, **values)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client):
    """login(user) signs the test client in with the user's password."""

    def do(user, password: str = PASSWORD):
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do


@pytest.fixture
def api_token(app):
    """api_token(user) → a plain bearer token."""

    def make(user):
        _token, plain = auth.create_api_token(Actor.system("cli"), user, "test")
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    return make


@pytest.fixture
def make_category(app):
    """make_category(name="Hausrat", **fields) → a committed Category."""
    from store.goods import services as goods

    def make(name: str = "Hausrat", **fields):
        values = {"vat_rate_bp": 1900, "markdown_steps": [], "is_active": True, **fields}
        category = goods.save_category(Actor.system("cli"), None, name=name, **values)
        db.session.commit()
        return category

    return make


@pytest.fixture
def take_in(app):
    """take_in(category, "Tasse", 150, quantity=1, now=None, **entry) → committed items."""
    from store.goods import services as goods

    def make(
        category,
        description: str = "Tasse",
        price_cents: int = 150,
        *,
        quantity: int = 1,
        now=None,
        actor=None,
        **fields,
    ):
        entry = goods.IntakeEntry(
            category_id=category.id,
            description=description,
            price_cents=price_cents,
            quantity=quantity,
            **fields,
        )
        items = goods.take_in_items(actor or Actor.system("cli"), [entry], now=now)
        db.session.commit()
        return items

    return make


@pytest.fixture
def shop(app, make_user, make_category, take_in):
    """A small shop: an open till with a virtual receipt printer, a cashier, a supervisor
    (badge 9000001, PIN 9001), three jackets at 12,50 € (19 %) and a 0,50 € book article (7 %)."""
    from store.goods import services as goods
    from store.printing.services import save_printer
    from store.till import services as till_services

    class Shop:
        pass

    s = Shop()
    printer = save_printer(Actor.system(), None, name="Bondrucker 1", backend="virtual", params={})
    db.session.flush()
    s.till = till_services.save_till(
        Actor.system(),
        None,
        name="Kasse 1",
        serial="K1-0001",
        location="Eingang",
        receipt_printer_id=printer.id,
    )
    db.session.commit()
    s.cashier = make_user("trainee", first_name="Olena", badge="1000001")
    s.supervisor = make_user("supervisor", first_name="Michael", badge="9000001", pin="9001")
    s.actor = Actor(user=s.cashier, source="web", till_id=s.till.id)
    s.clothes = make_category("Kleidung", vat_rate_bp=1900, markdown_steps=[{"weeks": 4, "percent": 30}])
    s.books = make_category("Bücher", vat_rate_bp=700)
    s.items = take_in(s.clothes, "Jacke", 1250, quantity=3)
    s.book_article = goods.save_article(
        Actor.system(), None, name="Taschenbuch", category_id=s.books.id, price_cents=50
    )
    db.session.commit()
    till_services.open_session(s.actor, s.till, float_cents=10000)
    db.session.commit()
    return s


def tr(msgid: str, **values) -> str:
    """A message as the app says it outside a request (in the store's default language)."""
    from flask_babel import gettext

    return gettext(msgid, **values)
