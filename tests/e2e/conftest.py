"""Browser journeys: the app on a real HTTP server thread, driven by Debian's Chromium."""

import threading

import pytest
from argon2 import PasswordHasher, profiles
from werkzeug.serving import make_server

from store.auth import services as auth_services

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 1024, "height": 768},
        "locale": "de-DE",
        "timezone_id": "Europe/Berlin",
    }


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes():
    """Argon2 with its cheapest parameters (argon2-cffi's profile for tests): the journeys make two or
    three users each and sign in by PIN, and the store's real cost (0.3–0.4 s a hash on the shared test
    machine) would be most of a journey's set-up. The hashes are still Argon2 and verified as such;
    tests/auth checks the real hasher."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth_services, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        yield


@pytest.fixture
def live_server(app):
    """The app served on 127.0.0.1 on a free port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}  # the browser sends real forms with real tokens
