"""Outbound requests: the address each connection really goes to is checked, redirects included."""

import ipaddress
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest

from store.core.outbound import BlockedAddressError, Policy, session


@pytest.fixture
def redirector():
    """A server on loopback that answers every request with a redirect to ?to=…, or 200."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server name
            target = unquote(self.path.partition("?to=")[2])
            self.send_response(302 if target else 200)
            if target:
                self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_loopback_only_when_allowed(redirector):
    with pytest.raises(BlockedAddressError):
        session(Policy()).get(redirector, timeout=2)
    assert session(Policy(loopback=True)).get(redirector, timeout=2).status_code == 200
    allowed = Policy.from_config({"OUTBOUND_ALLOW_HOSTS": "127.0.0.0/8"})
    assert session(allowed).get(redirector, timeout=2).status_code == 200


@pytest.mark.parametrize(
    "target",
    ["http://169.254.169.254/latest/", "http://[::ffff:169.254.169.254]/", "http://10.0.0.1/"],
)
def test_a_redirect_to_a_forbidden_address_is_refused(redirector, target):
    policy = Policy.from_config({"OUTBOUND_ALLOW_HOSTS": "127.0.0.1"})
    with pytest.raises(BlockedAddressError):
        session(policy).get(redirector + "?to=" + target, timeout=2)


def test_metadata_is_never_allowed():
    policy = Policy.from_config(
        {"OUTBOUND_ALLOW_HOSTS": "169.254.169.254,169.254.0.0/16,0.0.0.0/0", "DEMO": True}
    )
    for address in ("169.254.169.254", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "fd00:ec2::254"):
        assert policy.refusal(ipaddress.ip_address(address)), address
    assert policy.refusal(ipaddress.ip_address("10.1.2.3")) is None  # 0.0.0.0/0 allows the rest


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("10.0.0.5", True),
        ("192.168.1.1", True),
        ("100.64.0.1", True),
        ("224.0.0.1", True),
        ("0.0.0.0", True),  # noqa: S104 - an address to refuse, not to bind
        ("fe80::1", True),
        ("93.184.215.14", False),
        ("2a00:1450:4001:80b::200e", False),
    ],
)
def test_the_default_policy(address, refused):
    assert bool(Policy().refusal(ipaddress.ip_address(address))) is refused
