"""A software TSE for demo and tests: its own ECDSA P-256 key, counters and signatures.

It behaves like a TSE (gapless transaction numbers, a signature counter that counts every signature,
the same answers) but it is NOT certified: a shop must not use it for real sales. It signs the finish
of a transaction as a TSE does, the transaction log message of BSI TR-03151 (store.tse.logmessage),
and exports a TAR as BSI TR-03153 describes: one log message file per signed transaction, its
(self-signed, "not certified") certificate and info.csv. It keeps each start it signed
(SimulatorStart), and its export signs those log messages again with deterministic ECDSA (RFC 6979),
which gives the signature it gave at the start: the TAR holds every StartTransaction and
FinishTransaction message, and its signature counters have no gaps.
"""

import base64
import functools
import hashlib
import io
import tarfile
import time
from datetime import datetime, timedelta

import sqlalchemy as sa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from store.core import durability
from store.core.timeutil import utcnow
from store.extensions import db
from store.tse import logmessage
from store.tse.backends.base import Finished, Receipt, Started, TseError, TseInfo
from store.tse.models import FiscalTransaction, SimulatorStart, TseDevice
from store.tse.processdata import qr_code

ALGORITHM = "ecdsa-plain-SHA256"
TIME_FORMAT = "unixTime"


def new_device(now=None) -> TseDevice:
    """Make a simulator with a fresh key pair."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    now = now or utcnow()
    return TseDevice(
        backend="simulator",
        serial=hashlib.sha256(public).hexdigest(),
        public_key=base64.b64encode(public).decode(),
        algorithm=ALGORITHM,
        time_format=TIME_FORMAT,
        certified=False,
        config={"private_key": pem, "certificate": _certificate(key, now)},
        last_tx_number=0,
        last_signature_counter=0,
        in_service_on=now,
        is_active=True,
    )


def _certificate(key, now) -> str:
    """A self-signed X.509 certificate of the simulator's key, base64 DER (the export's certificate
    and DSFinV-K TSE_ZERTIFIKAT). It says what it is: not certified."""
    name = x509.Name(
        [x509.NameAttribute(x509.NameOID.COMMON_NAME, "Kaufhaus TSE simulator - NOT CERTIFIED")]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * 10))
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


def verify(public_key_b64: str, signature_b64: str, data: bytes) -> bool:
    """Check a plain (r‖s) ECDSA-SHA256 signature with the uncompressed public key."""
    public = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), base64.b64decode(public_key_b64)
    )
    raw = base64.b64decode(signature_b64)
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    try:
        public.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))
        return True
    except Exception:  # noqa: BLE001 - InvalidSignature and malformed input alike
        return False


# Loaded private keys by PEM: loading one costs more than signing with it.
_keys: dict[str, ec.EllipticCurvePrivateKey] = {}


def _private_key(pem: str):
    key = _keys.get(pem)
    if key is None:
        key = _keys[pem] = serialization.load_pem_private_key(pem.encode(), password=None)
    return key


def _own_transaction() -> bool:
    """Whether the counters move in a transaction of their own: on PostgreSQL, so no till waits for
    the row while another one's sale is still being stored. On SQLite there is one writer at a time
    anyway: they move in the session's transaction, which saves a commit (an fsync) per sale."""
    return db.engine.dialect.name != "sqlite"


@functools.cache
def _counting():
    """Raise a device's counters, giving them back (built once: building costs more than running)."""
    table = TseDevice.__table__
    return (
        sa.update(table)
        .where(table.c.id == sa.bindparam("device"))
        .values(
            last_tx_number=table.c.last_tx_number + sa.bindparam("transactions"),
            last_signature_counter=table.c.last_signature_counter + sa.bindparam("signatures"),
        )
        .returning(table.c.last_tx_number, table.c.last_signature_counter)
    )


@functools.cache
def _keeping():
    return sa.insert(SimulatorStart.__table__)


class SimulatorTse:
    """The TSE interface on a TseDevice row. Its counters move with one UPDATE … RETURNING (in a
    transaction of their own on PostgreSQL, as a real TSE counts whatever happens to the booking), so
    no sale waits for another one's signature. `delay_ms` makes every call as slow as a network TSE."""

    def __init__(self, device, *, fail: bool = False, delay_ms: int = 0, retry: bool = False):
        self.device = device
        self.fail = fail  # the "unplugged" switch for tests and demos
        self.delay_ms = delay_ms
        self.retry = retry  # finishing again what may have been finished: answer as it was

    def info(self) -> TseInfo:
        d = self.device
        return TseInfo("simulator", d.serial, d.public_key, d.algorithm, d.time_format, False)

    def register_client(self, client_id: str) -> None:
        self._check()

    def _check(self) -> None:
        if self.delay_ms:
            time.sleep(self.delay_ms / 1000)  # the network, before any database work
        if self.fail or (self.device.config or {}).get("offline"):
            raise TseError("TSE simulator is switched off")

    def _count(self, transactions: int, signatures: int, start: tuple[str, datetime] | None = None):
        """Raise the counters; (transaction number, signature counter) after it. `start`: the client
        and the time of a transaction that starts with these signatures (its start is the first)."""
        counts = {"device": self.device.id, "transactions": transactions, "signatures": signatures}
        if _own_transaction():
            # Its commit need not wait for the disk: the signature is stored by a later commit that
            # does, and a database's log reaches the disk in order (a counter lost in a power cut
            # belongs to a signature nobody received).
            with db.engine.connect() as conn, durability.relaxed(conn):
                row = conn.execute(_counting(), counts).first()
                if row is not None and start:
                    conn.execute(_keeping(), self._kept(row, signatures, start))
            if row is not None:
                return tuple(row)
        # SQLite, or a simulator this session made and has not committed yet.
        conn = db.session.connection()  # Core: the ORM's bookkeeping costs more than the UPDATE
        row = conn.execute(_counting(), counts).one()
        if start:
            conn.execute(_keeping(), self._kept(row, signatures, start))
        return tuple(row)

    def _kept(self, row, signatures: int, start: tuple[str, datetime]) -> dict:
        number, counter = row
        return {
            "device_id": self.device.id,
            "signature_counter": counter - signatures + 1,
            "tx_number": number,
            "client_serial": start[0],
            "started_at": start[1],
        }

    def start(self, client_id: str, tx_id: str) -> Started:
        self._check()
        now = utcnow().replace(microsecond=0)
        number, _counter = self._count(1, 1, (client_id, now))  # a real TSE signs the start too
        return Started(tx_id, number, now)

    def update(self, client_id: str, started: Started, process_data: str) -> None:
        self._check()

    def sign(self, client_id: str, tx_id: str, receipt: Receipt) -> Finished:
        """Start and finish at once (the sale was paid before the first scan reached the TSE). A
        network TSE takes two calls for it (fiskaly: ACTIVE, then FINISHED): so does the delay."""
        done = self._signed(tx_id) if self.retry else None
        if done is not None:
            return done
        self._check()
        self._check()
        now = utcnow().replace(microsecond=0)
        number, counter = self._count(1, 2, (client_id, now))
        return self._finish(client_id, Started(tx_id, number, now), receipt, counter)

    def finish(self, client_id: str, started: Started, receipt: Receipt) -> Finished:
        done = self._signed(started.tx_id) if self.retry else None
        if done is not None:
            return done
        self._check()
        _number, counter = self._count(0, 1)
        return self._finish(client_id, started, receipt, counter)

    def _signed(self, tx_id: str) -> Finished | None:
        """A transaction finished before is answered as it was (a retry signs nothing twice)."""
        t = db.session.scalar(
            sa.select(FiscalTransaction).where(
                FiscalTransaction.tx_id == tx_id, FiscalTransaction.state == "signed"
            )
        )
        if t is None:
            return None
        return Finished(
            t.tx_id,
            t.tx_number,
            t.started_at,
            t.finished_at,
            t.signature_counter,
            t.signature,
            t.algorithm,
            t.time_format,
            t.public_key,
            t.tse_serial,
            t.client_serial,
            t.qr_code_data,
        )

    def _finish(self, client_id: str, started: Started, receipt: Receipt, counter: int) -> Finished:
        finished_at = max(utcnow().replace(microsecond=0), started.started_at)
        data = logmessage.to_be_signed(
            bytes.fromhex(self.device.serial),
            "Finish",
            client_id,
            receipt.process_type,
            receipt.process_data,
            started.number,
            counter,
            int(finished_at.timestamp()),
        )
        signature = base64.b64encode(self._signature(data)).decode()
        qr = qr_code(
            client_id,
            receipt.process_type,
            receipt.process_data,
            started.number,
            counter,
            started.started_at,
            finished_at,
            ALGORITHM,
            TIME_FORMAT,
            signature,
            self.device.public_key,
        )
        return Finished(
            started.tx_id,
            started.number,
            started.started_at,
            finished_at,
            counter,
            signature,
            ALGORITHM,
            TIME_FORMAT,
            self.device.public_key,
            self.device.serial,
            client_id,
            qr,
        )

    def cancel(self, client_id: str, started: Started, receipt: Receipt) -> Finished:
        return self.finish(client_id, started, receipt)

    def _starts(self) -> list[SimulatorStart]:
        query = sa.select(SimulatorStart).where(SimulatorStart.device_id == self.device.id)
        return list(db.session.scalars(query.order_by(SimulatorStart.signature_counter)))

    def _start_message(self, serial: bytes, start: SimulatorStart) -> tuple[int, str, bytes, int]:
        """A start's log message (no process type or data: a till starts a transaction with its
        first line, before it knows them), signed again: deterministic ECDSA signs it as it did."""
        log_time = int(start.started_at.timestamp())
        fields = (start.client_serial, "", "", start.tx_number, start.signature_counter, log_time)
        signature = self._signature(logmessage.to_be_signed(serial, "Start", *fields))
        content = logmessage.log_message(serial, "Start", *fields, signature)
        name = logmessage.file_name(
            log_time, start.signature_counter, start.tx_number, "Start", start.client_serial
        )
        return start.signature_counter, name, content, log_time

    def _signature(self, data: bytes) -> bytes:
        """ECDSA P-256 over SHA-256, plain (r ‖ s), deterministic (RFC 6979)."""
        key = _private_key(self.device.config["private_key"])
        der = key.sign(data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
        r, s = decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def export(self) -> bytes:
        """The TAR of BSI TR-03153: a TR-03151 log message file for every finished transaction, the
        certificate (`<serial>_X509.cer`) and info.csv, which says the simulator is not certified."""
        device = self.device
        serial = bytes.fromhex(device.serial)
        rows = db.session.scalars(
            sa.select(FiscalTransaction)
            .where(
                FiscalTransaction.device_id == device.id,
                FiscalTransaction.state == "signed",
                FiscalTransaction.signature.is_not(None),
            )
            .order_by(FiscalTransaction.signature_counter)
        )
        members = [self._start_message(serial, start) for start in self._starts()]
        for t in rows:
            log_time = int(t.finished_at.timestamp())
            content = logmessage.log_message(
                serial,
                "Finish",
                t.client_serial,
                t.process_type,
                t.process_data,
                t.tx_number,
                t.signature_counter,
                log_time,
                base64.b64decode(t.signature),
            )
            name = logmessage.file_name(
                log_time, t.signature_counter, t.tx_number, "Finish", t.client_serial
            )
            members.append((t.signature_counter, name, content, log_time))
        members.sort()
        members = [member[1:] for member in members]
        certificate = (device.config or {}).get("certificate") or _certificate(
            _private_key(device.config["private_key"]), device.in_service_on
        )
        stamp = int(device.in_service_on.timestamp())
        members.append((f"{device.serial.upper()}_X509.cer", base64.b64decode(certificate), stamp))
        info = (
            '"description:","Kaufhaus TSE-Simulator - NICHT ZERTIFIZIERT, nur zur Vorfuehrung";'
            '"manufacturer:","Kaufhaus (open source)";"version:","1"\r\n'
        )
        members.append(("info.csv", info.encode(), stamp))
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
            for name, content, mtime in members:
                info_ = tarfile.TarInfo(name)
                info_.size, info_.mtime = len(content), mtime
                tar.addfile(info_, io.BytesIO(content))
        return out.getvalue()
