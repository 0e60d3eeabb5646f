"""Which TSE signs: the device in service, its backend, its counters, and putting a fiskaly TSS into
service (which retires the TSE used so far)."""

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from store.core.audit import Actor, audit
from store.core.timeutil import as_utc
from store.extensions import db
from store.tse.backends.base import TseError, TseInfo
from store.tse.backends.fiskaly import DEFAULT_BASE_URL, FiskalyTse
from store.tse.backends.simulator import SimulatorTse, new_device
from store.tse.models import FiscalTransaction, TseDevice


def in_service() -> TseDevice | None:
    """The TSE in service, if one is set up."""
    return db.session.scalar(
        sa.select(TseDevice).where(TseDevice.is_active.is_(True)).order_by(TseDevice.id.desc()).limit(1)
    )


def active_device() -> TseDevice | None:
    """The TSE in service; in demo and tests a simulator is made on first use."""
    device = in_service()
    if device is None and current_app.config.get("TSE_SIMULATOR", False):
        device = new_device()
        db.session.add(device)
        db.session.flush()
    return device


@dataclass(frozen=True)
class Device:
    """What signing needs of the TSE in service, kept in memory between requests."""

    id: int
    backend: str
    serial: str
    public_key: str
    algorithm: str
    time_format: str
    certified: bool
    config: dict = field(default_factory=dict)


# The device in service per database, for a few seconds: every sale needs it, and it changes only
# when a TSE is put into service (which forgets it at once in this process).
CACHE_SECONDS = 5.0
_cache: dict[str, tuple[float, Device]] = {}
_cache_lock = threading.Lock()


def current() -> Device | None:
    """The TSE in service (cached for CACHE_SECONDS); in demo and tests a simulator is made."""
    key = str(db.engine.url)
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    device = in_service()
    made = device is None
    if made:
        device = active_device()
        if device is None:
            return None
    snapshot = Device(
        device.id,
        device.backend,
        device.serial,
        device.public_key,
        device.algorithm,
        device.time_format,
        device.certified,
        dict(device.config or {}),
    )
    if not made:  # a simulator made just now is not committed yet: not kept
        with _cache_lock:
            _cache[key] = (now + CACHE_SECONDS, snapshot)
    return snapshot


def forget() -> None:
    """Drop the kept device (after a TSE was put into service or retired)."""
    with _cache_lock:
        _cache.clear()


def backend(device: TseDevice | Device, *, retry: bool = False):
    """The TSE's interface. `retry`: the call may repeat one that was made before (recovery)."""
    if device.backend == "simulator":
        return SimulatorTse(
            device,
            fail=current_app.config.get("TSE_FAIL", False),
            delay_ms=int(current_app.config.get("TSE_SIMULATOR_DELAY_MS") or 0),
            retry=retry,
        )
    if device.backend == "fiskaly":
        return FiskalyTse.from_device(device)
    raise TseError(f"unknown TSE backend {device.backend}")


def all_devices() -> list[TseDevice]:
    """Every TSE this store used, the newest first."""
    return list(db.session.scalars(sa.select(TseDevice).order_by(TseDevice.id.desc())))


def recent_transactions(limit: int = 20) -> list[FiscalTransaction]:
    return list(
        db.session.scalars(
            sa.select(FiscalTransaction).order_by(FiscalTransaction.id.desc()).limit(limit)
        )
    )


def counters(device: TseDevice | None) -> dict:
    """Highest number and counter this TSE gave us, and how often it signed or failed."""
    if device is None:
        return {}

    def count(state: str):
        return sa.func.coalesce(sa.func.sum(sa.case((FiscalTransaction.state == state, 1), else_=0)), 0)

    row = db.session.execute(
        sa.select(
            sa.func.max(FiscalTransaction.tx_number),
            sa.func.max(FiscalTransaction.signature_counter),
            count("signed"),
            count("failed"),
        ).where(FiscalTransaction.device_id == device.id)
    ).one()
    return {"tx_number": row[0], "signature_counter": row[1], "signed": row[2], "failed": row[3]}


def check_connection(device: TseDevice) -> TseInfo:
    """Ask the TSE in service who it is (TseError when it does not answer)."""
    tse = backend(device)
    info = tse.info()
    if device.backend == "simulator":
        tse.register_client("connection-test")  # fails when the simulator is switched off
    return info


def check_fiskaly(
    *, api_key: str, api_secret: str, tss_id: str, base_url: str = DEFAULT_BASE_URL
) -> TseInfo:
    """Whether fiskaly accepts these settings: the TSS's answer, or TseError."""
    return FiskalyTse(api_key, api_secret, tss_id, base_url).info()


def connect_device(
    actor: Actor,
    *,
    api_key: str,
    api_secret: str,
    tss_id: str,
    base_url: str = DEFAULT_BASE_URL,
    now: datetime | None = None,
) -> TseDevice:
    """Put a fiskaly TSS into service: check it answers, keep it, retire the TSE used so far.

    The secret is only used to check the connection; it is never stored.
    """
    now = as_utc(now)
    tse = FiskalyTse(api_key, api_secret, tss_id, base_url)
    info = tse.info()
    config = {"api_key": tse.api_key, "tss_id": tse.tss_id, "base_url": tse.base_url}
    device = db.session.scalar(sa.select(TseDevice).where(TseDevice.serial == info.serial))
    for old in db.session.scalars(sa.select(TseDevice).where(TseDevice.is_active.is_(True))):
        if old is not device:
            old.is_active = False
            old.out_of_service_on = now
    if device is None:
        device = TseDevice(
            backend="fiskaly",
            serial=info.serial,
            in_service_on=now,
            last_tx_number=0,
            last_signature_counter=0,
        )
        db.session.add(device)
    device.public_key, device.algorithm = info.public_key, info.algorithm
    device.time_format, device.certified = info.time_format, info.certified
    device.config, device.is_active, device.out_of_service_on = config, True, None
    db.session.flush()
    forget()
    audit(
        actor,
        "fiscal.tse_connect",
        device,
        {
            "backend": "fiskaly",
            "serial": info.serial,
            "tss_id": tse.tss_id,
            "base_url": tse.base_url,
            "certified": info.certified,
        },
        now=now,
    )
    return device
