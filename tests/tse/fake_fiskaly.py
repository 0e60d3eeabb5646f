"""A local fake of fiskaly SIGN DE v2 for tests: a real HTTP server on 127.0.0.1 with state.

It answers the endpoints the till uses as the documented API does: ``POST /auth``, ``GET /tss/{id}``,
``PUT|GET /tss/{id}/client/{cid}``, ``PUT|GET /tss/{id}/tx/{txid}?tx_revision=n``,
``PUT|GET /tss/{id}/export/{eid}`` and ``GET …/export/{eid}/file``. It keeps a gapless transaction
number, a signature counter that grows with every signature (start, update, finish), transactions
with revisions, and signs with its own ECDSA P-256 key. The process data of a ``standard_v1`` receipt
is built the way fiskaly builds it (DSFinV-K ``Kassenbeleg-V1``); the QR code carries ISO 8601 times
as fiskaly's does.

Errors have fiskaly's shape ``{"status_code", "error", "code", "message"}``: bad credentials and
expired tokens (401), unknown TSS, client or transaction (404), a wrong revision or a finished
transaction (409), invalid bodies (400). Tests can make it fail the next requests with 500, answer
slower than a client's read time-out, send malformed JSON, or expire every token.

    with FakeFiskaly() as fake:
        tse = FiskalyTse(fake.api_key, fake.api_secret, fake.tss_id, fake.url)
"""

import base64
import hashlib
import io
import json
import re
import secrets
import tarfile
import threading
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

PREFIX = "/api/v2"
ALGORITHM = "ecdsa-plain-SHA256"
RECEIPT_TYPES = {
    "RECEIPT": "Beleg",
    "TRAINING": "AVTraining",
    "TRANSFER": "AVTransfer",
    "ORDER": "AVBestellung",
    "CANCELLATION": "AVBelegstorno",
    "ABORT": "AVBelegabbruch",
    "BENEFIT_IN_KIND": "AVSachbezug",
    "INVOICE": "AVRechnung",
    "OTHER": "AVSonstige",
}
VAT_RATES = ("NORMAL", "REDUCED_1", "SPECIAL_RATE_1", "SPECIAL_RATE_2", "NULL")
PAYMENT_TYPES = {"CASH": "Bar", "NON_CASH": "Unbar"}
AMOUNT = re.compile(r"^-?\d{1,12}\.\d{2}$")
REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def signed_text(
    tss_serial: str,
    client_serial: str,
    process_type: str,
    process_data: str,
    number: int,
    counter: int,
    start: int,
    end: int,
) -> bytes:
    """What the fake signs (a real TSE signs an ASN.1 log message with the same facts)."""
    return ";".join(
        [
            "FakeFiskaly-V1",
            tss_serial,
            client_serial,
            process_type,
            process_data,
            str(number),
            str(counter),
            str(start),
            str(end),
        ]
    ).encode()


def iso(unix: int) -> str:
    return datetime.fromtimestamp(unix, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def from_iso(text: str) -> int:
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.000Z").replace(tzinfo=UTC).timestamp())


class FakeFiskaly:
    """The fake server. Start with `start()` or `with`; `url` is the base URL to configure."""

    def __init__(
        self,
        *,
        api_key: str = "test_key_kaufhaus",
        api_secret: str | None = None,
        token_lifetime: int = 3600,
        env: str = "TEST",
        tss_state: str = "INITIALIZED",
    ):
        self.api_key = api_key
        self.api_secret = api_secret or secrets.token_hex(16)
        self.token_lifetime = token_lifetime
        self.env = env
        self.key = ec.generate_private_key(ec.SECP256R1())
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.public_key = base64.b64encode(public).decode()
        self.tss_id = str(uuid.uuid4())
        self.tss_serial = hashlib.sha256(public).hexdigest()
        self.tss_state = tss_state
        self.clients: dict[str, str] = {}  # client id → serial number
        self.transactions: dict[str, dict] = {}
        self.exports: dict[str, dict] = {}
        self.tx_counter = 0
        self.signature_counter = 0
        self.export_polls_needed = 2  # GETs that answer WORKING before COMPLETED
        self.tokens: dict[str, float] = {}  # token → expiry (monotonic)
        self.log: list[tuple[str, str, int]] = []  # (method, path, status) of every request
        self.lock = threading.Lock()
        self._fail: list[int] = []
        self._delays: list[float] = []
        self._malformed = 0
        # Set to a function to make the fake sign other process data than it was sent (tests).
        self.rewrite_process_data = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle ----------------------------------------------------------------------------

    def start(self) -> "FakeFiskaly":
        fake = self

        class Handler(_Handler):
            pass

        Handler.fake = fake
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> "FakeFiskaly":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    # --- what tests can ask for ----------------------------------------------------------------

    def fail_next(self, n: int = 1, status: int = 500) -> None:
        """The next n requests get an error answer with this status."""
        with self.lock:
            self._fail.extend([status] * n)

    def delay_next(self, seconds: float, n: int = 1) -> None:
        """The next n requests are answered only after `seconds` (longer than a time-out)."""
        with self.lock:
            self._delays.extend([seconds] * n)

    def malformed_next(self, n: int = 1) -> None:
        """The next n requests get HTTP 200 with a body that is not JSON."""
        with self.lock:
            self._malformed += n

    def expire_tokens(self) -> None:
        """Every token issued so far is refused from now on (401)."""
        with self.lock:
            self.tokens.clear()

    def count(self, method: str, path_end: str, status: int | None = None) -> int:
        return sum(
            1
            for m, p, s in self.log
            if m == method and p.endswith(path_end) and (status is None or s == status)
        )

    def verify(self, qr_code_data: str) -> bool:
        """Does the QR code's signature verify over the facts in the QR code?"""
        parts = qr_code_data.split(";")
        if len(parts) != 12:
            return False
        _v0, client, ptype, pdata, number, counter, start, end, _alg, _fmt, sig, pub = parts
        data = signed_text(
            self.tss_serial,
            client,
            ptype,
            pdata,
            int(number),
            int(counter),
            from_iso(start),
            from_iso(end),
        )
        from store.tse.backends.simulator import verify

        return pub == self.public_key and verify(pub, sig, data)

    # --- the API -------------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict, body, auth: str | None):
        """(status, JSON object or bytes) for one request."""
        if not path.startswith(PREFIX + "/"):
            raise ApiError(404, "E_NOT_FOUND", "No such endpoint")
        parts = path[len(PREFIX) + 1 :].split("/")
        if parts == ["auth"] and method == "POST":
            return 200, self._auth(body)
        self._check_token(auth)
        if len(parts) < 2 or parts[0] != "tss":
            raise ApiError(404, "E_NOT_FOUND", "No such endpoint")
        if parts[1] != self.tss_id:
            raise ApiError(404, "E_TSS_NOT_FOUND", f"TSS {parts[1]} not found")
        rest = parts[2:]
        if rest == [] and method == "GET":
            return 200, self._tss()
        if len(rest) == 2 and rest[0] == "client":
            return 200, self._client(method, rest[1], body)
        if len(rest) == 2 and rest[0] == "tx":
            if method == "GET":
                return 200, self._tx_answer(self._find_tx(rest[1]))
            if method == "PUT":
                return 200, self._put_tx(rest[1], query, body)
        if len(rest) in (2, 3) and rest[0] == "export":
            return self._export(method, rest[1], rest[2:])
        raise ApiError(404, "E_NOT_FOUND", "No such endpoint")

    def _auth(self, body) -> dict:
        if (
            not isinstance(body, dict)
            or body.get("api_key") != self.api_key
            or body.get("api_secret") != self.api_secret
        ):
            raise ApiError(401, "E_UNAUTHORIZED", "Invalid API key or API secret")
        token = secrets.token_urlsafe(24)
        self.tokens[token] = time.monotonic() + self.token_lifetime
        now = int(time.time())
        return {
            "access_token": token,
            "access_token_expires_in": self.token_lifetime,
            "access_token_expires_at": now + self.token_lifetime,
            "refresh_token": secrets.token_urlsafe(24),
            "refresh_token_expires_in": 172800,
            "refresh_token_expires_at": now + 172800,
        }

    def _check_token(self, auth: str | None) -> None:
        token = (auth or "").removeprefix("Bearer ").strip()
        expires = self.tokens.get(token)
        if expires is None:
            raise ApiError(401, "E_UNAUTHORIZED", "Invalid or missing access token")
        if time.monotonic() >= expires:
            raise ApiError(401, "E_TOKEN_EXPIRED", "The access token has expired")

    def _tss(self) -> dict:
        return {
            "_id": self.tss_id,
            "_type": "TSS",
            "_env": self.env,
            "_version": "2.1.18",
            "state": self.tss_state,
            "serial_number": self.tss_serial,
            "public_key": self.public_key,
            "certificate": "-----BEGIN CERTIFICATE-----…",
            "signature_algorithm": ALGORITHM,
            "signature_timestamp_format": "unixTime",
            "transaction_data_encoding": "UTF-8",
            "signature_counter": str(self.signature_counter),
            "transaction_counter": str(self.tx_counter),
            "number_registered_clients": len(self.clients),
            "max_number_registered_clients": 199,
            "time_creation": int(time.time()),
        }

    def _client(self, method: str, client_id: str, body) -> dict:
        _uuid(client_id, "client")
        if method == "PUT":
            serial = body.get("serial_number") if isinstance(body, dict) else None
            if not isinstance(serial, str) or not serial:
                raise ApiError(400, "E_VALIDATION", "serial_number is required")
            known = self.clients.get(client_id)
            if known is not None and known != serial:
                raise ApiError(
                    409, "E_CLIENT_CONFLICT", f"Client {client_id} exists with another serial number"
                )
            self.clients[client_id] = serial
        elif client_id not in self.clients:
            raise ApiError(404, "E_CLIENT_NOT_FOUND", f"Client {client_id} not found")
        return {
            "_id": client_id,
            "_type": "CLIENT",
            "_env": self.env,
            "tss_id": self.tss_id,
            "serial_number": self.clients[client_id],
            "state": "REGISTERED",
        }

    def _find_tx(self, tx_id: str) -> dict:
        tx = self.transactions.get(tx_id)
        if tx is None:
            raise ApiError(404, "E_TX_NOT_FOUND", f"Transaction {tx_id} not found")
        return tx

    def _sign(self, tx: dict, process_type: str, process_data: str, end: int) -> None:
        self.signature_counter += 1
        tx["counter"] = self.signature_counter
        data = signed_text(
            self.tss_serial,
            tx["client_serial"],
            process_type,
            process_data,
            tx["number"],
            self.signature_counter,
            tx["time_start"],
            end,
        )
        r, s = decode_dss_signature(self.key.sign(data, ec.ECDSA(hashes.SHA256())))
        tx["signature"] = base64.b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode()

    def _put_tx(self, tx_id: str, query: dict, body) -> dict:
        _uuid(tx_id, "transaction")
        if not isinstance(body, dict):
            raise ApiError(400, "E_VALIDATION", "The body must be a JSON object")
        try:
            revision = int(query.get("tx_revision", [""])[0])
        except ValueError:
            raise ApiError(400, "E_VALIDATION", "tx_revision must be a positive integer") from None
        state = body.get("state")
        if state not in ("ACTIVE", "FINISHED", "CANCELLED"):
            raise ApiError(400, "E_VALIDATION", "state must be ACTIVE, FINISHED or CANCELLED")
        client_id = body.get("client_id")
        if client_id not in self.clients:
            raise ApiError(404, "E_CLIENT_NOT_FOUND", f"Client {client_id} not found")
        if self.tss_state != "INITIALIZED":
            raise ApiError(400, "E_TSS_NOT_INITIALIZED", "The TSS is not initialized")
        tx = self.transactions.get(tx_id)
        now = int(time.time())
        if tx is None:
            if revision != 1:
                raise ApiError(404, "E_TX_NOT_FOUND", f"Transaction {tx_id} not found")
            if state != "ACTIVE":
                raise ApiError(400, "E_VALIDATION", "A new transaction must be ACTIVE")
            self.tx_counter += 1
            tx = {
                "_id": tx_id,
                "number": self.tx_counter,
                "client_id": client_id,
                "client_serial": self.clients[client_id],
                "state": "ACTIVE",
                "revision": 1,
                "time_start": now,
                "schema": None,
                "operation": "Start",
            }
            self._sign(tx, "", "", now)
            self.transactions[tx_id] = tx
            return self._tx_answer(tx)
        if revision != tx["revision"] + 1:
            raise ApiError(
                409,
                "E_TX_REVISION_CONFLICT",
                f"tx_revision must be {tx['revision'] + 1}, not {revision}",
            )
        if tx["state"] != "ACTIVE":
            raise ApiError(409, "E_TX_ALREADY_FINISHED", f"Transaction is {tx['state']}")
        if client_id != tx["client_id"]:
            raise ApiError(400, "E_VALIDATION", "client_id differs from the transaction's")
        process_type, process_data = self._process(body.get("schema"), required=state != "ACTIVE")
        tx.update(revision=revision, state=state, schema=body.get("schema"))
        if state == "ACTIVE":
            tx["operation"] = "Update"
            self._sign(tx, process_type, process_data, now)
            return self._tx_answer(tx)
        if self.rewrite_process_data is not None:
            process_data = self.rewrite_process_data(process_data)
        tx.update(
            operation="Finish",
            time_end=max(now, tx["time_start"]),
            process_type=process_type,
            process_data=process_data,
        )
        self._sign(tx, process_type, process_data, tx["time_end"])
        tx["qr_code_data"] = ";".join(
            [
                "V0",
                tx["client_serial"],
                process_type,
                process_data,
                str(tx["number"]),
                str(tx["counter"]),
                iso(tx["time_start"]),
                iso(tx["time_end"]),
                ALGORITHM,
                "unixTime",
                tx["signature"],
                self.public_key,
            ]
        )
        return self._tx_answer(tx)

    def _process(self, schema, *, required: bool) -> tuple[str, str]:
        """(process type, process data) as fiskaly builds them from the schema."""
        if schema is None and not required:
            return "", ""
        if not isinstance(schema, dict) or len(schema) != 1:
            raise ApiError(400, "E_VALIDATION", "schema needs standard_v1 or raw")
        if "raw" in schema:
            raw = schema["raw"]
            try:
                data = base64.b64decode(raw["process_data"], validate=True).decode("utf-8")
                return str(raw["process_type"]), data
            except (KeyError, TypeError, ValueError):
                raise ApiError(
                    400, "E_VALIDATION", "raw needs process_type and base64 process_data"
                ) from None
        receipt = (schema.get("standard_v1") or {}).get("receipt")
        if not isinstance(receipt, dict):
            raise ApiError(400, "E_VALIDATION", "standard_v1 needs a receipt")
        kind = RECEIPT_TYPES.get(receipt.get("receipt_type"))
        if kind is None:
            raise ApiError(
                400,
                "E_VALIDATION",
                f"receipt_type {receipt.get('receipt_type')!r} is not one of {', '.join(RECEIPT_TYPES)}",
            )
        vat = dict.fromkeys(VAT_RATES, Decimal("0.00"))
        for row in _list(receipt, "amounts_per_vat_rate"):
            if row.get("vat_rate") not in vat:
                raise ApiError(400, "E_VALIDATION", f"vat_rate {row.get('vat_rate')!r} unknown")
            vat[row["vat_rate"]] += _amount(row)
        payments: dict[str, Decimal] = {}
        for row in _list(receipt, "amounts_per_payment_type"):
            name = PAYMENT_TYPES.get(row.get("payment_type"))
            if name is None:
                raise ApiError(400, "E_VALIDATION", f"payment_type {row.get('payment_type')!r} unknown")
            currency = row.get("currency_code", "EUR")
            label = name if currency == "EUR" else f"{name}:{currency}"
            payments[label] = payments.get(label, Decimal("0.00")) + _amount(row)
        data = "^".join(
            [
                kind,
                "_".join(f"{vat[r]:.2f}" for r in VAT_RATES),
                "_".join(f"{value:.2f}:{label}" for label, value in payments.items()),
            ]
        )
        return "Kassenbeleg-V1", data

    def _tx_answer(self, tx: dict) -> dict:
        answer = {
            "_id": tx["_id"],
            "_type": "TRANSACTION",
            "_env": self.env,
            "_version": "2.1.18",
            "tss_id": self.tss_id,
            "client_id": tx["client_id"],
            "client_serial_number": tx["client_serial"],
            "tss_serial_number": self.tss_serial,
            "number": tx["number"],
            "state": tx["state"],
            "revision": tx["revision"],
            "latest_revision": tx["revision"],
            "time_start": tx["time_start"],
            "log": {
                "operation": tx["operation"],
                "timestamp": tx.get("time_end", tx["time_start"]),
                "timestamp_format": "unixTime",
            },
            "signature": {
                "value": tx["signature"],
                "algorithm": ALGORITHM,
                "counter": str(tx["counter"]),
                "public_key": self.public_key,
            },
        }
        if tx.get("schema") is not None:
            answer["schema"] = tx["schema"]
        if "time_end" in tx:
            answer["time_end"] = tx["time_end"]
            answer["qr_code_data"] = tx["qr_code_data"]
        return answer

    def _export(self, method: str, export_id: str, rest: list[str]):
        _uuid(export_id, "export")
        if method == "PUT" and not rest:
            self.exports[export_id] = {"state": "PENDING", "polls": 0}
            return 200, {"_id": export_id, "_type": "EXPORT", "state": "PENDING", "tss_id": self.tss_id}
        export = self.exports.get(export_id)
        if export is None:
            raise ApiError(404, "E_EXPORT_NOT_FOUND", f"Export {export_id} not found")
        if method == "GET" and not rest:
            export["polls"] += 1
            if export["polls"] > self.export_polls_needed:
                export["state"] = "COMPLETED"
            else:
                export["state"] = "WORKING"
            return 200, {
                "_id": export_id,
                "_type": "EXPORT",
                "state": export["state"],
                "tss_id": self.tss_id,
            }
        if method == "GET" and rest == ["file"]:
            if export["state"] != "COMPLETED":
                raise ApiError(409, "E_EXPORT_NOT_COMPLETED", "The export is not ready yet")
            return 200, self._tar()
        raise ApiError(404, "E_NOT_FOUND", "No such endpoint")

    def _tar(self) -> bytes:
        log = "\n".join(
            json.dumps({k: v for k, v in tx.items() if k != "schema"})
            for tx in self.transactions.values()
        )
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w") as tar:
            for name, content in (
                ("public_key.b64", self.public_key.encode()),
                ("transactions.jsonl", log.encode()),
                ("info.txt", f"fake fiskaly TSS {self.tss_serial}\n".encode()),
            ):
                info = tarfile.TarInfo(name)
                info.size = len(content)
                info.mtime = int(time.time())
                tar.addfile(info, io.BytesIO(content))
        return out.getvalue()


def _uuid(value: str, what: str) -> None:
    try:
        uuid.UUID(value)
    except ValueError:
        raise ApiError(400, "E_VALIDATION", f"The {what} id must be a UUID") from None


def _list(receipt: dict, key: str) -> list:
    rows = receipt.get(key)
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ApiError(400, "E_VALIDATION", f"{key} must be a list of objects")
    return rows


def _amount(row: dict) -> Decimal:
    value = row.get("amount")
    if not isinstance(value, str) or not AMOUNT.match(value):
        raise ApiError(400, "E_VALIDATION", f"amount {value!r} must be a string like 12.50")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ApiError(400, "E_VALIDATION", f"amount {value!r} is not a number") from None


class _Handler(BaseHTTPRequestHandler):
    fake: FakeFiskaly  # set on a subclass per server

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass

    def do_GET(self):
        self._serve("GET")

    def do_PUT(self):
        self._serve("PUT")

    def do_POST(self):
        self._serve("POST")

    def _serve(self, method: str) -> None:
        fake = self.fake
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        with fake.lock:
            delay = fake._delays.pop(0) if fake._delays else 0
        if delay:
            time.sleep(delay)
        with fake.lock:
            fail = fake._fail.pop(0) if fake._fail else None
            malformed = False
            if fail is None and fake._malformed:
                fake._malformed -= 1
                malformed = True
            if fail is not None:
                status, payload = (
                    fail,
                    _error(fail, "E_INTERNAL", "Internal error (injected by the test)"),
                )
            elif malformed:
                status, payload = 200, b'{"number": 1, "this is": not json'
            else:
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    status, payload = 400, _error(400, "E_VALIDATION", "Body is not JSON")
                else:
                    try:
                        status, payload = fake.handle(
                            method,
                            url.path,
                            parse_qs(url.query),
                            body,
                            self.headers.get("Authorization"),
                        )
                    except ApiError as error:
                        status, payload = error.status, _error(error.status, error.code, error.message)
            fake.log.append((method, url.path, status))
        if isinstance(payload, dict):
            content, kind = json.dumps(payload).encode(), "application/json"
        else:
            content = payload
            kind = "application/x-tar" if url.path.endswith("/file") else "application/json"
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (time-out tests)


def _error(status: int, code: str, message: str) -> dict:
    return {
        "status_code": status,
        "error": REASONS.get(status, "Error"),
        "code": code,
        "message": message,
    }
