"""fiskaly SIGN DE (API v2): a certified cloud TSE behind the same interface as the simulator.

How the till's calls map onto the API:

- ``start``: ``PUT /tss/{tss}/tx/{tx}?tx_revision=1`` ``{"state": "ACTIVE", "client_id"}``;
- ``finish``/``cancel``: the same PUT with the next revision, ``"state": "FINISHED"`` or
  ``"CANCELLED"`` and the receipt as ``schema.standard_v1.receipt`` (fiskaly then builds the
  DSFinV-K process data itself) or, for other processes (``SonstigerVorgang``), ``schema.raw``;
- ``register_client``: ``PUT /tss/{tss}/client/{client}`` with the till's serial. The till's serial
  is the client; its fiskaly id is a UUID derived from the serial, so it is the same every time. A
  till that is not yet registered is registered on its first transaction.

Every network error, time-out, error answer and malformed answer becomes a TseError with a readable
message, so selling goes on and the failure is recorded. The API secret never goes into the database:
it comes from the environment variable FISKALY_API_SECRET.
"""

import base64
import io
import logging
import os
import tarfile
import threading
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests

from store.tse.backends.base import Finished, Receipt, Started, TseError, TseInfo
from store.tse.models import TseDevice
from store.tse.processdata import VAT_SLOTS, amount, parse_qr

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://kassensichv-middleware.fiskaly.com/api/v2"
SECRET_ENV = "FISKALY_API_SECRET"  # noqa: S105 - the name of the variable, not a secret
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 10.0
EXPORT_POLLS = 30
EXPORT_INTERVAL = 2.0
# Till serial → fiskaly client id: uuid5 in this namespace (never change it: clients would be new).
CLIENT_NAMESPACE = uuid.UUID("6f1c2a57-3d0e-5b8a-9c4e-2b7d0f8e1a93")

# DSFinV-K receipt type (BON_TYP) → fiskaly's receipt_type of standard_v1.
RECEIPT_TYPES = {
    "Beleg": "RECEIPT",
    "AVTraining": "TRAINING",
    "AVBelegstorno": "CANCELLATION",
    "AVBelegabbruch": "ABORT",
    "AVSachbezug": "BENEFIT_IN_KIND",
    "AVSonstige": "OTHER",
    "AVRechnung": "INVOICE",
    "AVTransfer": "TRANSFER",
    "AVBestellung": "ORDER",
}
EXPORT_FAILED = {"ERROR", "CANCELLED", "EXPIRED", "DELETED"}

# Access tokens per (base URL, API key), shared by all instances: the till makes a new FiskalyTse for
# every call and should not log in every time.
_tokens: dict[tuple[str, str], tuple[str, float]] = {}
_tokens_lock = threading.Lock()


class FiskalyError(TseError):
    """fiskaly answered with an error (HTTP status and fiskaly's error code kept for callers)."""

    def __init__(self, message: str, status: int, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or ""


def api_secret() -> str:
    """The API secret, from the environment of the server ('' when it is not set)."""
    return os.environ.get(SECRET_ENV, "").strip()


def client_uuid(till_serial: str) -> str:
    """The fiskaly client id of a till: stable, derived from its serial."""
    return str(uuid.uuid5(CLIENT_NAMESPACE, till_serial))


def forget_tokens() -> None:
    """Drop every cached access token (tests; after changing credentials)."""
    with _tokens_lock:
        _tokens.clear()


def _moment(value) -> datetime:
    return datetime.fromtimestamp(int(value), tz=UTC)


def _check_base_url(base_url: str) -> str:
    """Only https, except for a server on this machine (the fake server in tests)."""
    parts = urlsplit(base_url)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise TseError(f"fiskaly base URL must start with https:// (got {base_url!r})")
    if not parts.hostname:
        raise TseError(f"fiskaly base URL has no host name ({base_url!r})")
    return base_url.rstrip("/")


def _check_uuid(value: str, what: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise TseError(f"{what} is not a UUID: {value!r}") from None


class FiskalyTse:
    """The Tse interface on fiskaly SIGN DE v2."""

    def __init__(
        self,
        api_key: str,
        api_secret: str,
        tss_id: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        client_id: str | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        export_polls: int = EXPORT_POLLS,
        export_interval: float = EXPORT_INTERVAL,
        session: requests.Session | None = None,
    ):
        if not api_key or not api_secret:
            raise TseError("fiskaly needs an API key and an API secret")
        self.api_key = api_key
        self._secret = api_secret
        self.tss_id = _check_uuid(tss_id, "fiskaly TSS id")
        self.base_url = _check_base_url(base_url or DEFAULT_BASE_URL)
        # One client id for every till, if the store registered its till in fiskaly's dashboard.
        self.fixed_client_id = _check_uuid(client_id, "fiskaly client id") if client_id else None
        self.timeout = (float(connect_timeout), float(read_timeout))
        self.export_polls = max(1, int(export_polls))
        self.export_interval = max(0.0, float(export_interval))
        self.session = session or requests.Session()
        self._revisions: dict[str, int] = {}  # tx id → last revision this instance wrote

    def __repr__(self) -> str:  # never show the secret
        return f"FiskalyTse(tss_id={self.tss_id!r}, base_url={self.base_url!r})"

    @classmethod
    def from_device(cls, device: TseDevice) -> "FiskalyTse":
        """Build the backend from a TseDevice (config: api_key, tss_id, base_url, client_id)."""
        config = device.config or {}
        secret = api_secret()
        if not secret:
            raise TseError(f"{SECRET_ENV} is not set in the environment of the server")
        if not config.get("api_key") or not config.get("tss_id"):
            raise TseError("the fiskaly TSE has no API key or TSS id configured")
        try:
            return cls(
                config["api_key"],
                secret,
                config["tss_id"],
                config.get("base_url") or DEFAULT_BASE_URL,
                client_id=config.get("client_id") or None,
                connect_timeout=float(config.get("connect_timeout", CONNECT_TIMEOUT)),
                read_timeout=float(config.get("read_timeout", READ_TIMEOUT)),
                export_polls=int(config.get("export_polls", EXPORT_POLLS)),
                export_interval=float(config.get("export_interval", EXPORT_INTERVAL)),
            )
        except (TypeError, ValueError) as error:
            raise TseError(f"the fiskaly settings are invalid: {error}") from None

    # --- the Tse interface ---------------------------------------------------------------------

    def info(self) -> TseInfo:
        """The TSS's serial, key and algorithm; it must be INITIALIZED to sign."""
        data = self._call("GET", f"/tss/{self.tss_id}")
        state = data.get("state")
        if state is not None and state != "INITIALIZED":
            raise TseError(
                f"the fiskaly TSS is {state}, not INITIALIZED: initialise it first "
                "(fiskaly dashboard or API)"
            )
        try:
            return TseInfo(
                backend="fiskaly",
                serial=str(data["serial_number"]),
                public_key=str(data["public_key"]),
                algorithm=str(data.get("signature_algorithm") or "ecdsa-plain-SHA256"),
                time_format=str(data.get("signature_timestamp_format") or "unixTime"),
                # A TSS of fiskaly's TEST environment has no certificate: not for real sales.
                certified=data.get("_env", "LIVE") != "TEST",
            )
        except KeyError as error:
            raise TseError(f"fiskaly's TSS answer lacks {error.args[0]}") from None

    def register_client(self, client_id: str) -> None:
        """Register a till (its serial) as a client of the TSS. Registering twice is harmless."""
        self._call(
            "PUT",
            f"/tss/{self.tss_id}/client/{self._client(client_id)}",
            json={"serial_number": client_id},
        )

    def start(self, client_id: str, tx_id: str) -> Started:
        tx_id = _check_uuid(tx_id, "transaction id")
        body = {"state": "ACTIVE", "client_id": self._client(client_id)}
        try:
            data = self._put_tx(tx_id, 1, body)
        except FiskalyError as error:
            if error.status != 404 or "TSS" in error.code.upper():
                raise
            # The till's first transaction on this TSS: register it, then start again.
            log.info("registering till %s as a fiskaly client", client_id)
            self.register_client(client_id)
            data = self._put_tx(tx_id, 1, body)
        try:
            return Started(tx_id, int(data["number"]), _moment(data["time_start"]))
        except (KeyError, TypeError, ValueError) as error:
            raise TseError(f"fiskaly's answer to the start is incomplete ({error!r})") from None

    def update(self, client_id: str, started: Started, process_data: str) -> None:
        body = {
            "state": "ACTIVE",
            "client_id": self._client(client_id),
            "schema": {"raw": {"process_type": "Kassenbeleg-V1", "process_data": _b64(process_data)}},
        }
        self._put_tx(started.tx_id, self._next_revision(started.tx_id), body)

    def finish(self, client_id: str, started: Started, receipt: Receipt) -> Finished:
        return self._end("FINISHED", client_id, started, receipt)

    def cancel(self, client_id: str, started: Started, receipt: Receipt) -> Finished:
        return self._end("CANCELLED", client_id, started, receipt)

    def export(self) -> bytes:
        """The TSS's own export (a TAR): trigger it, wait until fiskaly has made it, fetch it."""
        export_id = str(uuid.uuid4())
        path = f"/tss/{self.tss_id}/export/{export_id}"
        self._call("PUT", path, json={})
        for attempt in range(self.export_polls):
            state = self._call("GET", path).get("state")
            if state == "COMPLETED":
                break
            if state in EXPORT_FAILED:
                raise TseError(f"fiskaly could not make the export (state {state})")
            if attempt + 1 < self.export_polls:
                time.sleep(self.export_interval)
        else:
            raise TseError(
                f"fiskaly's export was not ready after {self.export_polls} checks; try again later"
            )
        content = self._call("GET", f"{path}/file", raw=True)
        try:
            with tarfile.open(fileobj=io.BytesIO(content)) as tar:
                tar.getmembers()
        except (tarfile.TarError, EOFError):
            raise TseError("fiskaly's export file is not a TAR archive") from None
        return content

    # --- transactions ----------------------------------------------------------------------------

    def _client(self, till_serial: str) -> str:
        return self.fixed_client_id or client_uuid(till_serial)

    def _next_revision(self, tx_id: str) -> int:
        return self._revisions.get(tx_id, 1) + 1

    def _end(self, state: str, client_id: str, started: Started, receipt: Receipt) -> Finished:
        body = {"state": state, "client_id": self._client(client_id), "schema": self.schema(receipt)}
        data = self._put_tx(started.tx_id, self._next_revision(started.tx_id), body)
        try:
            signature = data["signature"]
            finished = Finished(
                tx_id=started.tx_id,
                number=int(data["number"]),
                started_at=_moment(data["time_start"]),
                finished_at=_moment(data["time_end"]),
                signature_counter=int(signature["counter"]),
                signature=str(signature["value"]),
                algorithm=str(signature["algorithm"]),
                time_format=str((data.get("log") or {}).get("timestamp_format") or "unixTime"),
                public_key=str(signature["public_key"]),
                tse_serial=str(data["tss_serial_number"]),
                client_serial=str(data["client_serial_number"]),
                qr_code_data=str(data["qr_code_data"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise TseError(
                f"fiskaly's answer to the {state.lower()} transaction is incomplete ({error!r})"
            ) from None
        if finished.number != started.number:
            log.error(
                "fiskaly finished transaction %s with number %s, started as %s",
                started.tx_id,
                finished.number,
                started.number,
            )
        try:
            qr = parse_qr(finished.qr_code_data)
        except ValueError:
            return finished
        # The TSE's own process data is what the records keep (signing compares it with ours).
        return replace(finished, process_type=qr["process_type"], process_data=qr["process_data"])

    @staticmethod
    def schema(receipt: Receipt) -> dict:
        """The transaction's schema: standard_v1 for till receipts, raw for other processes."""
        kind = RECEIPT_TYPES.get(receipt.receipt_type)
        if receipt.process_type != "Kassenbeleg-V1" or kind is None:
            return {
                "raw": {"process_type": receipt.process_type, "process_data": _b64(receipt.process_data)}
            }
        vat = [
            {"vat_rate": slot, "amount": amount(receipt.vat[slot])}
            for slot in VAT_SLOTS
            if receipt.vat.get(slot)
        ]
        payments = [
            {"payment_type": kind_, "amount": amount(receipt.payments[kind_])}
            for kind_ in ("CASH", "NON_CASH")
            if receipt.payments.get(kind_)
        ]
        if not payments and kind != "ABORT":
            # Our process data says "0.00:Bar" for a receipt without payment; so must fiskaly's.
            payments = [{"payment_type": "CASH", "amount": amount(0)}]
        return {
            "standard_v1": {
                "receipt": {
                    "receipt_type": kind,
                    "amounts_per_vat_rate": vat or [{"vat_rate": "NORMAL", "amount": amount(0)}],
                    "amounts_per_payment_type": payments,
                }
            }
        }

    def _put_tx(self, tx_id: str, revision: int, body: dict) -> dict:
        """Write a revision; if fiskaly knows a later one (409), write after that one, once."""
        path = f"/tss/{self.tss_id}/tx/{tx_id}"
        try:
            data = self._call("PUT", path, json=body, params={"tx_revision": revision})
        except FiskalyError as error:
            if error.status != 409 or revision == 1:
                raise
            current = self._call("GET", path)
            latest = int(current.get("latest_revision") or current.get("revision") or 0)
            if latest + 1 == revision or current.get("state") != "ACTIVE":
                raise
            revision = latest + 1
            data = self._call("PUT", path, json=body, params={"tx_revision": revision})
        self._revisions[tx_id] = revision
        return data

    # --- HTTP ------------------------------------------------------------------------------------

    def _token(self, *, fresh: bool = False) -> str:
        key = (self.base_url, self.api_key)
        with _tokens_lock:
            cached = _tokens.get(key)
        if cached and not fresh and time.monotonic() < cached[1]:
            return cached[0]
        data = self._call(
            "POST", "/auth", json={"api_key": self.api_key, "api_secret": self._secret}, auth=False
        )
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise TseError("fiskaly's login answer has no access token")
        try:
            lifetime = float(data.get("access_token_expires_in") or 300)
        except (TypeError, ValueError):
            lifetime = 300.0
        # Renew a little before fiskaly would refuse it.
        with _tokens_lock:
            _tokens[key] = (token, time.monotonic() + lifetime * 0.9)
        return token

    def _forget_token(self) -> None:
        with _tokens_lock:
            _tokens.pop((self.base_url, self.api_key), None)

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: dict | None = None,
        params: dict | None = None,
        auth: bool = True,
        raw: bool = False,
    ):
        """One API call: JSON (or bytes) back, or TseError. A refused token is renewed once."""
        for attempt in (1, 2):
            headers = {"Accept": "application/octet-stream" if raw else "application/json"}
            if auth:
                headers["Authorization"] = f"Bearer {self._token(fresh=attempt == 2)}"
            try:
                response = self.session.request(
                    method,
                    self.base_url + path,
                    json=json,
                    params=params,
                    headers=headers,
                    timeout=self.timeout,
                )
            except requests.ConnectTimeout:
                raise TseError(
                    f"fiskaly is not reachable (no connection within {self.timeout[0]:g} s)"
                ) from None
            except requests.Timeout:
                raise TseError(f"fiskaly did not answer within {self.timeout[1]:g} s") from None
            except requests.RequestException as error:
                raise TseError(f"fiskaly is not reachable ({type(error).__name__})") from None
            if response.status_code == 401 and auth and attempt == 1:
                self._forget_token()  # expired or revoked: log in again and retry once
                continue
            break
        if response.status_code >= 400:
            raise self._error(response, path)
        if raw:
            return response.content
        try:
            data = response.json()
        except ValueError:
            raise TseError(
                f"fiskaly sent an answer that is not JSON (HTTP "
                f"{response.status_code}, {path.split('/')[-1] or path})"
            ) from None
        if not isinstance(data, dict):
            raise TseError("fiskaly sent an unexpected answer (not a JSON object)")
        return data

    def _error(self, response: requests.Response, path: str) -> FiskalyError:
        code = message = None
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            code = body.get("code")
            message = body.get("message") or body.get("error")
        if path == "/auth" and response.status_code in (401, 403):
            text = "fiskaly refused the API key or secret"
        else:
            text = f"fiskaly answered HTTP {response.status_code}"
        if message:
            text += f": {str(message)[:300]}"
        if code:
            text += f" ({code})"
        return FiskalyError(text, response.status_code, str(code) if code else None)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")
