"""What the tax office must be told about the tills (§146a Abs. 4 AO, BMF letter of 28.06.2024).

Since 1 January 2025 every electronic till is reported through ELSTER, per business site: each till
with its serial, software, TSE type and serial, and the dates it was acquired, put into and taken out
of service. A new or decommissioned till is reported within one month. This module gathers those
facts from the tills and the TSE in use; the page shows them ready to copy into the ELSTER form.

Layering: the signing part of store.fiscal sits below the till (the till calls it); this module and
the DSFinV-K export sit above it and read the till's records.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, version

import sqlalchemy as sa
from flask import current_app

from store.core.timeutil import to_local
from store.extensions import db
from store.fiscal.models import TseDevice
from store.till.models import Till

# How the till software presents itself (DSFinV-K cashregister.csv and the ELSTER form).
BRAND = "Kaufhaus (open source)"
MODEL = "Kaufhaus-Kasse (Browser/PC)"
SOFTWARE = "Kaufhaus"
# ELSTER: "Art des Aufzeichnungssystems" for a PC or browser till.
SYSTEM_KIND = "Computergestütztes Kassensystem (PC-/Browser-Kasse)"
REPORTING_MONTHS = 1


def software_version() -> str:
    try:
        return version("kaufhaus")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


@dataclass(frozen=True)
class StoreIdentity:
    """The business and its site, from the configuration (STORE_NAME, STORE_ADDRESS, …)."""

    name: str
    street: str
    postcode: str
    city: str
    country: str
    tax_number: str
    vat_id: str

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.street, f"{self.postcode} {self.city}".strip()) if p)


_POSTCODE_CITY = re.compile(r"^(\d{5})\s+(.+)$")


def split_address(address: str) -> tuple[str, str, str]:
    """'Marktstraße 12, 49191 Belm' → ('Marktstraße 12', '49191', 'Belm')."""
    parts = [p.strip() for p in (address or "").split(",") if p.strip()]
    street = postcode = city = ""
    for part in parts:
        match = _POSTCODE_CITY.match(part)
        if match and not postcode:
            postcode, city = match.groups()
        elif not street:
            street = part
    return street, postcode, city


def store_identity() -> StoreIdentity:
    cfg = current_app.config
    street, postcode, city = split_address(cfg.get("STORE_ADDRESS", ""))
    return StoreIdentity(
        name=cfg.get("STORE_NAME", ""),
        street=street,
        postcode=postcode,
        city=city,
        country="DEU",
        tax_number=cfg.get("STORE_TAX_NUMBER", ""),
        vat_id=cfg.get("STORE_VAT_ID", ""),
    )


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day (§188 BGB)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reporting_deadline(day: date | None) -> date | None:
    """A till put into or taken out of service is reported within one month."""
    return add_months(day, REPORTING_MONTHS) if day else None


def tse_kind(device: TseDevice | None) -> str:
    """The TSE type as the ELSTER form asks for it."""
    if device is None:
        return ""
    if device.backend == "fiskaly":
        return "Cloud-TSE (fiskaly SIGN DE)"
    if device.backend == "simulator":
        return "Software-Simulator (Demo)"
    return device.backend


def certification_id(device: TseDevice | None) -> str:
    """The BSI certification id (BSI-K-TR-…) of a certified TSE, as configured for it."""
    if device is None or not device.certified:
        return ""
    return str((device.config or {}).get("bsi_certification_id", ""))


@dataclass(frozen=True)
class TillRegistration:
    """One line of the ELSTER report: a till and the TSE it signs with."""

    till_id: int
    name: str
    location: str
    serial: str
    is_active: bool
    kind: str
    brand: str
    model: str
    software: str
    software_version: str
    tse_kind: str
    tse_serial: str
    tse_certification_id: str
    tse_in_service_on: date | None
    tse_certified: bool
    acquired_on: date | None
    in_service_on: date | None
    out_of_service_on: date | None
    in_service_deadline: date | None
    out_of_service_deadline: date | None


def active_tse() -> TseDevice | None:
    return db.session.scalar(
        sa.select(TseDevice).where(TseDevice.is_active.is_(True)).order_by(TseDevice.id.desc()).limit(1)
    )


def registrations() -> list[TillRegistration]:
    """Every till (switched off ones too: decommissioned tills are reported as well)."""
    device = active_tse()
    rows = []
    for till in db.session.scalars(sa.select(Till).order_by(Till.name)):
        rows.append(
            TillRegistration(
                till_id=till.id,
                name=till.name,
                location=till.location,
                serial=till.serial,
                is_active=till.is_active,
                kind=SYSTEM_KIND,
                brand=BRAND,
                model=MODEL,
                software=SOFTWARE,
                software_version=software_version(),
                tse_kind=tse_kind(device),
                tse_serial=device.serial if device else "",
                tse_certification_id=certification_id(device),
                tse_in_service_on=to_local(device.in_service_on).date() if device else None,
                tse_certified=bool(device and device.certified),
                # We do not record a purchase date; the till is "acquired" when it goes into service.
                acquired_on=till.in_service_on,
                in_service_on=till.in_service_on,
                out_of_service_on=till.out_of_service_on,
                in_service_deadline=reporting_deadline(till.in_service_on),
                out_of_service_deadline=reporting_deadline(till.out_of_service_on),
            )
        )
    return rows


def registration_rows(rows: list[TillRegistration]) -> tuple[list[str], list[list]]:
    """The CSV for ELSTER: German headers, dates as DD.MM.YYYY (as the form takes them)."""
    shop = store_identity()

    def day(value: date | None) -> str:
        return value.strftime("%d.%m.%Y") if value else ""

    header = [
        "Betriebsstätte",
        "Straße",
        "PLZ",
        "Ort",
        "Steuernummer",
        "Kasse",
        "Art des Aufzeichnungssystems",
        "Hersteller",
        "Modell",
        "Software",
        "Softwareversion",
        "Seriennummer Kasse",
        "Art der TSE",
        "Seriennummer TSE",
        "BSI-Zertifizierungs-ID",
        "Inbetriebnahme TSE",
        "Anschaffung Kasse",
        "Inbetriebnahme Kasse",
        "Außerbetriebnahme Kasse",
        "Meldefrist",
    ]
    body = [
        [
            shop.name,
            shop.street,
            shop.postcode,
            shop.city,
            shop.tax_number,
            r.name,
            r.kind,
            r.brand,
            r.model,
            r.software,
            r.software_version,
            r.serial,
            r.tse_kind,
            r.tse_serial,
            r.tse_certification_id,
            day(r.tse_in_service_on),
            day(r.acquired_on),
            day(r.in_service_on),
            day(r.out_of_service_on),
            day(r.out_of_service_deadline or r.in_service_deadline),
        ]
        for r in rows
    ]
    return header, body
