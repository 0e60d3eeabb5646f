"""One contract for every TSE backend: the simulator and fiskaly SIGN DE (against a local fake).

Then what only fiskaly can do wrong (tokens, errors, time-outs, malformed answers, a missing secret),
and the till signing through fiskaly: signed while it answers, "failed" but sold when it is down.
"""

import base64
import io
import re
import tarfile
import time
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization

from store.core.audit import Actor, AuditEntry
from store.extensions import db
from store.goods.models import ItemStatus
from store.till import services as t
from store.tse import processdata, signing
from store.tse.backends.base import Finished, Started, TseError, TseInfo
from store.tse.backends.fiskaly import FiskalyTse, client_uuid, forget_tokens
from store.tse.backends.simulator import SimulatorTse, new_device, verify
from store.tse.devices import connect_device
from store.tse.models import FiscalTransaction, TseDevice
from tests.tse.fake_fiskaly import FakeFiskaly
from tests.tse.tr03151 import elements, finish_dtbs, verify_plain

TILL = "K1-0001"
READ_TIMEOUT = 1.0


@pytest.fixture
def fake():
    forget_tokens()
    with FakeFiskaly() as server:
        yield server
    forget_tokens()


def fiskaly_tse(fake: FakeFiskaly, **options) -> FiskalyTse:
    options = {"read_timeout": READ_TIMEOUT, "export_interval": 0.01, **options}
    return FiskalyTse(fake.api_key, fake.api_secret, fake.tss_id, fake.url, **options)


class Backend:
    """A TSE under test and how to check its signatures."""

    def __init__(self, name: str, tse, check_signature):
        self.name, self.tse, self.check_signature = name, tse, check_signature


@pytest.fixture(params=["simulator", "fiskaly"])
def backend(request, app):
    if request.param == "simulator":
        device = new_device()
        db.session.add(device)
        db.session.commit()

        def check(qr: dict, done: Finished) -> bool:
            data = finish_dtbs(  # the TR-03151 log message, rebuilt independently
                done.tse_serial,
                qr["till_serial"],
                qr["process_type"],
                qr["process_data"],
                int(qr["number"]),
                int(qr["counter"]),
                int(moment(qr["end"]).timestamp()),
            )
            return verify(qr["public_key"], qr["signature"], data)

        return Backend("simulator", SimulatorTse(device), check)
    server = request.getfixturevalue("fake")
    return Backend("fiskaly", fiskaly_tse(server), lambda qr, done: server.verify(done.qr_code_data))


def moment(text: str) -> datetime:
    """A QR code time: unix seconds (our simulator) or ISO 8601 (fiskaly, DSFinV-K)."""
    if text.isdigit():
        return datetime.fromtimestamp(int(text), tz=UTC)
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def tx_id() -> str:
    return str(uuid.uuid4())


RECEIPTS = {
    "sale, mixed VAT, split payment": lambda: signing.receipt_for(
        "Beleg", [(1900, 1250), (700, 150)], 400, 1000
    ),
    "training": lambda: signing.receipt_for("AVTraining", [(1900, 1250)], 2000, 0),
    "void": lambda: signing.receipt_for("AVBelegstorno", [(1900, -1250)], -1250, 0),
    "card only, 0 %": lambda: signing.receipt_for("Beleg", [(0, 300), (1900, 200)], 0, 500),
    "cash deposit": lambda: signing.other_receipt("Einzahlung", 500),
}

# --- the contract --------------------------------------------------------------------------------


def test_info_describes_the_tse(backend):
    info = backend.tse.info()
    assert isinstance(info, TseInfo) and info.backend == backend.name
    assert info.serial and info.algorithm.startswith("ecdsa-plain-")
    assert len(base64.b64decode(info.public_key)) == 65  # uncompressed P-256 point
    assert info.time_format in ("unixTime", "utcTime")
    assert isinstance(info.certified, bool)
    if backend.name == "simulator":
        assert info.certified is False


def test_register_client_twice(backend):
    backend.tse.register_client(TILL)
    backend.tse.register_client(TILL)


def test_start_numbers_increase_without_gaps(backend):
    backend.tse.register_client(TILL)
    started = [backend.tse.start(TILL, tx_id()) for _ in range(3)]
    assert all(isinstance(s, Started) for s in started)
    numbers = [s.number for s in started]
    assert numbers == list(range(numbers[0], numbers[0] + 3))
    assert all(s.started_at.tzinfo is not None for s in started)


@pytest.mark.parametrize("kind", RECEIPTS)
def test_finish_signs_what_the_till_sent(backend, kind):
    receipt = RECEIPTS[kind]()
    tse = backend.tse
    tse.register_client(TILL)
    before = tse.finish(TILL, tse.start(TILL, tx_id()), signing.other_receipt("Einzahlung", 1))
    started = tse.start(TILL, tx_id())
    done = tse.finish(TILL, started, receipt)

    assert isinstance(done, Finished)
    assert done.tx_id == started.tx_id and done.number == started.number
    assert done.signature and done.signature_counter > before.signature_counter
    assert done.finished_at >= done.started_at == started.started_at
    assert done.client_serial == TILL
    info = tse.info()
    assert done.tse_serial == info.serial and done.public_key == info.public_key
    assert done.algorithm == info.algorithm and done.time_format == info.time_format

    assert done.qr_code_data.startswith("V0;") and len(done.qr_code_data.split(";")) == 12
    qr = processdata.parse_qr(done.qr_code_data)
    assert qr["till_serial"] == TILL
    assert qr["process_type"] == receipt.process_type
    assert qr["process_data"] == receipt.process_data  # what the till keeps is what was signed
    assert int(qr["number"]) == done.number and int(qr["counter"]) == done.signature_counter
    assert moment(qr["start"]) == done.started_at and moment(qr["end"]) == done.finished_at
    assert qr["signature"] == done.signature and qr["public_key"] == done.public_key
    assert qr["algorithm"] == done.algorithm and qr["time_format"] == done.time_format
    assert backend.check_signature(qr, done)
    forged = dict(qr, process_data=qr["process_data"].replace("12.50", "12.49"))
    if forged != qr:
        forged_done = Finished(**{**done.__dict__, "qr_code_data": ";".join(forged.values())})
        assert not backend.check_signature(forged, forged_done)


def test_cancel_signs_the_abort(backend):
    tse = backend.tse
    tse.register_client(TILL)
    started = tse.start(TILL, tx_id())
    receipt = signing.receipt_for("AVBelegabbruch", [(1900, 300)], 0, 0)
    done = tse.cancel(TILL, started, receipt)
    assert done.number == started.number and done.signature
    qr = processdata.parse_qr(done.qr_code_data)
    assert qr["process_data"] == "AVBelegabbruch^3.00_0.00_0.00_0.00_0.00^"
    assert backend.check_signature(qr, done)


def test_numbers_stay_gapless_across_start_finish_and_cancel(backend):
    tse = backend.tse
    tse.register_client(TILL)
    sale = signing.receipt_for("Beleg", [(1900, 1250)], 1250, 0)
    abort = signing.receipt_for("AVBelegabbruch", [(1900, 1250)], 0, 0)
    results = []
    for end in (tse.finish, tse.cancel, tse.finish, tse.cancel):
        started = tse.start(TILL, tx_id())
        results.append(end(TILL, started, sale if end == tse.finish else abort))
    numbers = [r.number for r in results]
    counters = [r.signature_counter for r in results]
    assert numbers == list(range(numbers[0], numbers[0] + 4))
    assert counters == sorted(set(counters))


def test_export_is_a_tar(backend):
    tse = backend.tse
    tse.register_client(TILL)
    tse.finish(TILL, tse.start(TILL, tx_id()), signing.receipt_for("Beleg", [(1900, 100)], 100, 0))
    db.session.commit()
    data = tse.export()
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        assert tar.getnames()


# --- fiskaly only --------------------------------------------------------------------------------


def test_the_client_id_is_a_stable_uuid_of_the_till_serial(fake):
    assert client_uuid(TILL) == client_uuid(TILL) != client_uuid("K1-0002")
    uuid.UUID(client_uuid(TILL))
    tse = fiskaly_tse(fake)
    tse.start(TILL, tx_id())  # not registered yet: registered on its first transaction
    assert fake.clients == {client_uuid(TILL): TILL}


def test_the_receipt_goes_out_as_standard_v1(fake):
    receipt = signing.receipt_for("AVBelegstorno", [(1900, -1250), (700, -50)], -1300, 0)
    assert FiskalyTse.schema(receipt) == {
        "standard_v1": {
            "receipt": {
                "receipt_type": "CANCELLATION",
                "amounts_per_vat_rate": [
                    {"vat_rate": "NORMAL", "amount": "-12.50"},
                    {"vat_rate": "REDUCED_1", "amount": "-0.50"},
                ],
                "amounts_per_payment_type": [{"payment_type": "CASH", "amount": "-13.00"}],
            }
        }
    }
    other = FiskalyTse.schema(signing.other_receipt("Anfangsbestand", 10000))
    assert other == {
        "raw": {
            "process_type": "SonstigerVorgang",
            "process_data": base64.b64encode(b"Anfangsbestand^100.00").decode(),
        }
    }


def test_token_is_cached_and_renewed_after_a_401(fake):
    tse = fiskaly_tse(fake)
    tse.register_client(TILL)
    tse.start(TILL, tx_id())
    fiskaly_tse(fake).start(TILL, tx_id())  # a new instance, as the till makes per call
    assert fake.count("POST", "/auth") == 1
    fake.expire_tokens()
    started = tse.start(TILL, tx_id())
    assert started.number == 3
    assert fake.count("POST", "/auth") == 2
    assert fake.count("PUT", started.tx_id, status=401) == 1


def test_token_is_renewed_before_it_expires(fake):
    fake.token_lifetime = 1
    tse = fiskaly_tse(fake)
    tse.register_client(TILL)
    time.sleep(1.0)
    tse.start(TILL, tx_id())
    assert fake.count("POST", "/auth") == 2
    assert not any(status == 401 for _m, _p, status in fake.log)


def test_bad_credentials_are_a_tse_error(fake):
    tse = FiskalyTse(fake.api_key, "wrong-secret", fake.tss_id, fake.url)
    with pytest.raises(TseError, match="refused the API key or secret.*E_UNAUTHORIZED"):
        tse.info()


def test_unknown_tss_is_a_tse_error(fake):
    tse = FiskalyTse(fake.api_key, fake.api_secret, str(uuid.uuid4()), fake.url)
    with pytest.raises(TseError, match="404.*E_TSS_NOT_FOUND"):
        tse.start(TILL, tx_id())


def test_server_error_is_a_tse_error_and_the_next_call_works(fake):
    tse = fiskaly_tse(fake)
    tse.register_client(TILL)
    fake.fail_next(1, 500)
    with pytest.raises(TseError, match="HTTP 500.*injected.*E_INTERNAL"):
        tse.start(TILL, tx_id())
    assert tse.start(TILL, tx_id()).number == 1


def test_time_out_is_a_tse_error_quickly(fake):
    tse = fiskaly_tse(fake)
    tse.register_client(TILL)
    fake.delay_next(READ_TIMEOUT + 2)
    begun = time.monotonic()
    with pytest.raises(TseError, match="did not answer within 1 s"):
        tse.start(TILL, tx_id())
    assert time.monotonic() - begun < READ_TIMEOUT + 2


def test_unreachable_server_is_a_tse_error(fake):
    tse = fiskaly_tse(fake)
    tse.register_client(TILL)
    fake.stop()
    with pytest.raises(TseError, match="not reachable"):
        tse.start(TILL, tx_id())


def test_malformed_answer_is_a_tse_error(fake):
    tse = fiskaly_tse(fake)
    tse.register_client(TILL)
    fake.malformed_next()
    with pytest.raises(TseError, match="not JSON"):
        tse.start(TILL, tx_id())


def test_incomplete_answer_is_a_tse_error(fake, monkeypatch):
    tse = fiskaly_tse(fake)
    tse.register_client(TILL)
    started = tse.start(TILL, tx_id())
    real = tse._call

    def without_signature(method, path, **kwargs):
        answer = real(method, path, **kwargs)
        answer.pop("signature", None)
        return answer

    monkeypatch.setattr(tse, "_call", without_signature)
    with pytest.raises(TseError, match="incomplete"):
        tse.finish(TILL, started, signing.receipt_for("Beleg", [(1900, 100)], 100, 0))


def test_a_later_revision_is_followed_once(fake):
    tse = fiskaly_tse(fake)
    tse.register_client(TILL)
    started = tse.start(TILL, tx_id())
    tse.update(TILL, started, "Beleg^1.00_0.00_0.00_0.00_0.00^1.00:Bar")  # revision 2
    # the till finishes with a new instance, which does not know about the update
    done = fiskaly_tse(fake).finish(TILL, started, signing.receipt_for("Beleg", [(1900, 100)], 100, 0))
    assert fake.transactions[started.tx_id]["revision"] == 3 and done.number == started.number
    assert fake.count("PUT", started.tx_id, status=409) == 1
    with pytest.raises(TseError, match="409"):  # a finished transaction stays finished
        fiskaly_tse(fake).finish(TILL, started, signing.receipt_for("Beleg", [(1900, 100)], 100, 0))


def test_export_that_never_completes_is_a_tse_error(fake):
    fake.export_polls_needed = 10
    with pytest.raises(TseError, match="not ready after 3 checks"):
        fiskaly_tse(fake, export_polls=3).export()


def test_uncertified_test_environment_and_certified_live(fake):
    assert fiskaly_tse(fake).info().certified is False  # fiskaly's TEST environment
    fake.env = "LIVE"
    assert fiskaly_tse(fake).info().certified is True
    fake.tss_state = "UNINITIALIZED"
    with pytest.raises(TseError, match="UNINITIALIZED"):
        fiskaly_tse(fake).info()


def test_from_device_needs_the_secret_from_the_environment(app, fake, monkeypatch):
    device = TseDevice(
        backend="fiskaly",
        serial=fake.tss_serial,
        public_key=fake.public_key,
        algorithm="ecdsa-plain-SHA256",
        time_format="unixTime",
        config={"api_key": fake.api_key, "tss_id": fake.tss_id, "base_url": fake.url},
    )
    monkeypatch.delenv("FISKALY_API_SECRET", raising=False)
    with pytest.raises(TseError, match="FISKALY_API_SECRET"):
        FiskalyTse.from_device(device)
    monkeypatch.setenv("FISKALY_API_SECRET", fake.api_secret)
    tse = FiskalyTse.from_device(device)
    assert tse.info().serial == fake.tss_serial
    assert fake.api_secret not in repr(tse)


def test_plain_http_only_on_this_machine():
    tss = str(uuid.uuid4())
    with pytest.raises(TseError, match="https"):
        FiskalyTse("key", "secret", tss, "http://kassensichv.example.com/api/v2")
    with pytest.raises(TseError, match="not a UUID"):
        FiskalyTse("key", "secret", "../../auth", "https://kassensichv.example.com/api/v2")
    assert FiskalyTse("key", "secret", tss).base_url.startswith("https://kassensichv-middleware")


# --- the till through fiskaly --------------------------------------------------------------------


def test_till_signs_with_fiskaly_and_sells_on_when_it_is_down(app, shop, fake, monkeypatch):
    monkeypatch.setenv("FISKALY_API_SECRET", fake.api_secret)
    simulator = signing.active_device()
    device = connect_device(
        Actor.system(),
        api_key=fake.api_key,
        api_secret=fake.api_secret,
        tss_id=fake.tss_id,
        base_url=fake.url,
    )
    db.session.commit()
    assert signing.active_device() is device and not simulator.is_active
    assert device.backend == "fiskaly" and "api_secret" not in str(device.config)
    assert db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "fiscal.tse_connect")
    ).object_id == str(device.id)

    t.add_code(shop.actor, shop.till, shop.items[0].code)
    sale, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("card", 250), t.PaymentIn("cash", 1000)])
    db.session.commit()
    tx = signing.for_sale(sale.id)
    assert tx.state == "signed" and tx.device_id == device.id
    assert tx.process_data == "Beleg^12.50_0.00_0.00_0.00_0.00^10.00:Bar_2.50:Unbar"
    remote = fake.transactions[tx.tx_id]
    assert remote["state"] == "FINISHED" and remote["signature"] == tx.signature
    assert remote["process_data"] == tx.process_data and remote["number"] == tx.tx_number
    assert tx.tse_serial == fake.tss_serial and tx.qr_code_data == remote["qr_code_data"]
    assert fake.verify(tx.qr_code_data)
    assert fake.clients == {client_uuid(shop.till.serial): shop.till.serial}

    fake.stop()  # fiskaly is down: the sale still goes through, recorded as failed
    t.add_code(shop.actor, shop.till, shop.items[1].code)
    down, created = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 1250)])
    db.session.commit()
    assert created and shop.items[1].status == ItemStatus.SOLD
    failed = signing.for_sale(down.id)
    assert failed.state == "failed" and "not reachable" in failed.error
    assert failed.signature is None


def test_till_records_a_fiskaly_time_out_as_failed(app, shop, fake, monkeypatch):
    monkeypatch.setenv("FISKALY_API_SECRET", fake.api_secret)
    device = connect_device(
        Actor.system(),
        api_key=fake.api_key,
        api_secret=fake.api_secret,
        tss_id=fake.tss_id,
        base_url=fake.url,
    )
    device.config = {**device.config, "read_timeout": READ_TIMEOUT}
    db.session.commit()
    t.add_code(shop.actor, shop.till, shop.items[0].code)  # started at fiskaly
    fake.delay_next(READ_TIMEOUT + 1.5)
    sale, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 1250)])
    db.session.commit()
    tx = signing.for_sale(sale.id)
    assert tx.state == "failed" and "did not answer" in tx.error
    assert tx.tx_number is not None  # the start was signed; the finish is what failed


def test_fiskaly_process_data_is_kept_and_a_mismatch_flagged(app, shop, fake, monkeypatch, caplog):
    """What the TSE signed is what is stored (and exported); if it is not what the till sent, the
    till's version is kept beside it, logged, and supervisors are warned."""
    from store.fiscal import tse_notices

    monkeypatch.setenv("FISKALY_API_SECRET", fake.api_secret)
    connect_device(
        Actor.system(),
        api_key=fake.api_key,
        api_secret=fake.api_secret,
        tss_id=fake.tss_id,
        base_url=fake.url,
    )
    db.session.commit()
    t.add_code(shop.actor, shop.till, shop.items[0].code)
    sale, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 1250)])
    db.session.commit()
    same = signing.for_sale(sale.id)
    assert same.sent_process_data is None and tse_notices(shop.supervisor) == []

    fake.rewrite_process_data = lambda data: data.replace(":Bar", ":Unbar")
    t.add_code(shop.actor, shop.till, shop.items[1].code)
    other, _ = t.checkout(shop.actor, shop.till, [t.PaymentIn("cash", 1250)])
    db.session.commit()
    tx = signing.for_sale(other.id)
    assert tx.state == "signed"
    assert tx.process_data == "Beleg^12.50_0.00_0.00_0.00_0.00^12.50:Unbar"
    assert tx.process_data == fake.transactions[tx.tx_id]["process_data"]
    assert tx.sent_process_data == "Kassenbeleg-V1;Beleg^12.50_0.00_0.00_0.00_0.00^12.50:Bar"
    assert "the TSE signed" in caplog.text
    [(level, text, _endpoint)] = tse_notices(shop.supervisor)
    assert level == "error" and f"({tx.tx_number})" in text.replace("Transaktion ", "").replace(
        "transaction ", ""
    )
    assert tse_notices(shop.cashier) == []


def test_simulator_export_holds_the_start_of_a_signed_at_once_sale(app, shop):
    """A sale paid before its first line reached the TSE is started and finished in one call: its
    start is in the export too (its finish comes from the stored fiscal transaction, see below), and
    so is a start whose transaction never finished."""
    device = new_device()
    db.session.add(device)
    db.session.commit()
    tse = SimulatorTse(device)
    finished = tse.sign(TILL, tx_id(), signing.receipt_for("Beleg", [(1900, 100)], 100, 0))
    tse.start(TILL, tx_id())  # a till that went dark after its first scan
    db.session.commit()
    with tarfile.open(fileobj=io.BytesIO(tse.export())) as tar:
        logs = sorted(n for n in tar.getnames() if n.endswith(".log"))
    assert [n.split("_")[2] + "_" + n.split("_")[5] for n in logs] == [
        f"Sig-{finished.signature_counter - 1}_Start",
        f"Sig-{finished.signature_counter + 1}_Start",
    ]


def test_simulator_exports_a_tr03153_tar_a_verifier_accepts(app, shop):
    """BSI TR-03153: log messages named Unixt_…_Sig-…_Log-Tra_No-…_Start|Finish_Client-….log, the
    certificate <serial>_X509.cer, info.csv; a start and a finish message per transaction, signature
    counters without a gap; every log message's signature checks out against the certificate's key
    over its DER elements from version to logTime."""
    from cryptography import x509

    device = new_device()
    db.session.add(device)
    db.session.commit()
    tse = SimulatorTse(device)
    sale = signing.receipt_for("Beleg", [(1900, 1250), (700, 150)], 400, 1000)
    abort = signing.receipt_for("AVBelegabbruch", [], 0, 0)
    done = []
    for receipt in (sale, abort):
        started = tse.start(TILL, tx_id())
        finished = tse.finish(TILL, started, receipt)
        done.append(finished)
        db.session.add(
            FiscalTransaction(
                device_id=device.id, till_id=shop.till.id, client_serial=TILL, tx_id=finished.tx_id,
                tx_number=finished.number, process_type=receipt.process_type,
                process_data=receipt.process_data, receipt_type=receipt.receipt_type,
                started_at=finished.started_at, finished_at=finished.finished_at,
                signature_counter=finished.signature_counter, signature=finished.signature,
                state="signed", recorded_at=finished.finished_at,
            )
        )  # fmt: skip
    db.session.flush()
    with tarfile.open(fileobj=io.BytesIO(tse.export())) as tar:
        files = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    names = sorted(files)
    pattern = r"Unixt_\d+_Sig-\d+_Log-Tra_No-\d+_(Start|Update|Finish)_Client-[^_]+\.log"
    logs = [n for n in names if re.fullmatch(pattern, n)]
    assert len(logs) == 4
    counters = sorted(int(n.split("_")[2][4:]) for n in logs)
    assert counters == list(range(counters[0], counters[0] + 4))
    assert set(names) == set(logs) | {f"{device.serial.upper()}_X509.cer", "info.csv"}
    assert "NICHT ZERTIFIZIERT" in files["info.csv"].decode()
    certificate = x509.load_der_x509_certificate(files[f"{device.serial.upper()}_X509.cer"])
    assert "NOT CERTIFIED" in certificate.subject.rfc4514_string()
    public = base64.b64encode(
        certificate.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    ).decode()
    assert public == device.public_key
    starts = sorted((n for n in logs if "_Start_" in n), key=lambda n: int(n.split("_")[4][3:]))
    for name, finished in zip(starts, done, strict=True):
        children = elements(files[name])
        assert verify_plain(public, _read_value(children[-1]), b"".join(children[:-1]))
        assert f"_Sig-{finished.signature_counter - 1}_" in name  # signed right before its finish
        assert name.endswith(f"_No-{finished.number}_Start_Client-{TILL}.log")
    finishes = [n for n in logs if "_Finish_" in n]
    by_number = sorted(finishes, key=lambda n: int(n.split("_")[4][3:]))
    for name, finished, receipt in zip(by_number, done, (sale, abort), strict=True):
        children = elements(files[name])
        dtbs = b"".join(children[:-1])
        signature = _read_value(children[-1])
        assert verify_plain(public, signature, dtbs)
        assert dtbs == finish_dtbs(
            device.serial, TILL, receipt.process_type, receipt.process_data, finished.number,
            finished.signature_counter, int(finished.finished_at.timestamp()),
        )  # fmt: skip
        assert base64.b64encode(signature).decode() == finished.signature
        assert name == (
            f"Unixt_{int(finished.finished_at.timestamp())}_Sig-{finished.signature_counter}"
            f"_Log-Tra_No-{finished.number}_Finish_Client-{TILL}.log"
        )


def _read_value(element: bytes) -> bytes:
    """The value of a short OCTET STRING (the 64-byte signature)."""
    assert element[0] == 0x04 and element[1] == len(element) - 2
    return element[2:]
