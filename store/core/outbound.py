"""Requests to other systems (partner deliveries), safe by construction: every connection resolves
its host itself and refuses loopback, private, link-local, multicast, reserved and cloud metadata
addresses, then connects to the very address it checked (no second lookup that a DNS trick could
answer differently). This holds for redirects too, since each hop opens its own connection.

A store whose partner sits in its own network names it in OUTBOUND_ALLOW_HOSTS (host names,
addresses or networks: "127.0.0.1,10.0.0.5,partner.lan,192.168.7.0/24"). The demo allows loopback,
so a test receiver on this computer works. Metadata addresses are never allowed.

    response = outbound.session().post(url, data=body, timeout=10)
"""

import ipaddress
import socket
from dataclasses import dataclass

import requests
from flask import current_app, has_app_context
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud instance metadata (AWS, GCP, Azure, Alibaba, Oracle): credentials live there. Never.
METADATA = tuple(
    ipaddress.ip_network(n)
    for n in (
        "169.254.169.254/32",
        "169.254.170.2/32",
        "fd00:ec2::254/128",
        "100.100.100.200/32",
        "168.63.129.16/32",
        "192.0.0.192/32",
    )
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class BlockedAddressError(ValueError):
    """The host resolves to an address that outbound requests may not reach."""


def plain_address(ip: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv4-mapped or NAT64 IPv6 address, else the address itself."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return ip.ipv4_mapped
        if ip in NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


@dataclass(frozen=True)
class Policy:
    """Which addresses are allowed besides the public internet."""

    hosts: frozenset[str] = frozenset()
    networks: tuple = ()
    loopback: bool = False

    @classmethod
    def from_config(cls, config) -> "Policy":
        hosts, networks = set(), []
        for entry in str(config.get("OUTBOUND_ALLOW_HOSTS") or "").split(","):
            entry = entry.strip().lower().strip("[]")
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.rstrip("."))
        return cls(frozenset(hosts), tuple(networks), bool(config.get("DEMO")))

    @classmethod
    def current(cls) -> "Policy":
        return cls.from_config(current_app.config) if has_app_context() else cls()

    def refusal(self, ip: IPAddress, host: str = "") -> str | None:
        """Why `ip` (of `host`) may not be reached, or None if it may."""
        ip = plain_address(ip)
        if any(ip in net for net in METADATA):
            return "a cloud metadata address"
        if host.lower().rstrip(".") in self.hosts or any(
            ip.version == net.version and ip in net for net in self.networks
        ):
            return None
        if ip.is_loopback:
            return None if self.loopback else "a loopback address"
        if ip.is_multicast:
            return "a multicast address"
        if ip.is_link_local:
            return "a link-local address"
        if not ip.is_global:
            return "a private or reserved address"
        return None

    def check(self, host: str, port: int | None = None) -> str:
        """Resolve `host`; every address must be allowed. The first one, to connect to."""
        name = host.strip("[]")
        try:
            found = socket.getaddrinfo(name, port or 443, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise BlockedAddressError(f"{host} cannot be resolved: {exc}") from None
        addresses = list(dict.fromkeys(info[4][0] for info in found))
        for address in addresses:
            why = self.refusal(ipaddress.ip_address(address.split("%")[0]), name)
            if why:
                raise BlockedAddressError(f"{host} is {why} ({address}); not allowed")
        if not addresses:
            raise BlockedAddressError(f"{host} has no address")
        return addresses[0]

    def check_literal(self, host: str) -> str | None:
        """Without a DNS lookup: why a host written as an address (in any spelling the resolver
        takes: 2852039166, 0xA9FEA9FE, [::ffff:169.254.169.254]) is refused, else None."""
        name = host.strip("[]")
        try:
            found = socket.getaddrinfo(name, 443, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
        except socket.gaierror:
            return None  # a name: checked when sending
        for info in found:
            why = self.refusal(ipaddress.ip_address(info[4][0].split("%")[0]), name)
            if why:
                return why
        return None


class _Guarded:
    """Mixed into urllib3's connections: connect only to the checked address of the host (TLS
    still checks the certificate against the host name)."""

    policy: Policy = Policy()

    def _new_conn(self):
        name = self._dns_host
        self._dns_host = self.policy.check(name, self.port)
        try:
            return super()._new_conn()
        finally:
            self._dns_host = name


def session(policy: Policy | None = None) -> requests.Session:
    """A requests session whose every connection (redirects included) goes through `policy`
    (by default the app's). Proxies from the environment are not used: they would connect for us."""
    policy = policy or Policy.current()
    conn = type("GuardedHTTPConnection", (_Guarded, HTTPConnection), {"policy": policy})
    tls = type("GuardedHTTPSConnection", (_Guarded, HTTPSConnection), {"policy": policy})
    pools = {
        "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": conn}),
        "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": tls}),
    }
    s = requests.Session()
    s.trust_env = False
    s.max_redirects = 3
    for prefix in ("http://", "https://"):
        adapter = HTTPAdapter(max_retries=0)
        adapter.poolmanager.pool_classes_by_scheme = pools
        s.mount(prefix, adapter)
    return s
