"""What the tax office must be told about the tills (§146a Abs. 4 AO, BMF letter of 28.06.2024).

Since 1 January 2025 every electronic till is reported through ELSTER, per business site: each till
with its serial, software, TSE type and serial, and the dates it was acquired, put into and taken out
of service. A new or decommissioned till is reported within one month. This module gathers those
facts from the tills and the TSE in use; the page shows them ready to copy into the ELSTER form.

Layering: the TSE (store.tse) sits below the till, which signs with it; this module and the DSFinV-K
export sit above the till and read its records.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from importlib.metadata import PackageNotFoundError, version

import sqlalchemy as sa
from flask import current_app

from store.branches.models import Branch
from store.core.timeutil import add_months, to_local
from store.extensions import db
from store.till.models import Till
from store.tse.devices import in_service as active_tse
from store.tse.models import TseDevice

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


def branch_identity(branch: Branch) -> StoreIdentity:
    """A branch as a place of business (Betriebsstätte): its own name and address, its tax data
    (the store's when the branch has none of its own)."""
    street, postcode, city = split_address(branch.address)
    tax_number, vat_id = branch.tax_data()
    return StoreIdentity(
        name=branch.name,
        street=street,
        postcode=postcode,
        city=city,
        country=branch.country or "DEU",
        tax_number=tax_number,
        vat_id=vat_id,
    )


def reporting_deadline(day: date | None) -> date | None:
    """A till put into or taken out of service is reported within one month: the same day a month
    later, the month's last day when it has no such day (§188 BGB)."""
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


# A field of TillRegistration with this metadata is the till's own value of the same name.
AS_RECORDED = {"from": "till"}


@dataclass(frozen=True)
class TillRegistration:
    """One line of the ELSTER report: a till and the TSE it signs with (also the API's answer)."""

    till_id: int
    branch_id: int = field(metadata=AS_RECORDED)
    name: str = field(metadata=AS_RECORDED)
    location: str = field(metadata=AS_RECORDED)
    serial: str = field(metadata=AS_RECORDED)
    is_active: bool = field(metadata=AS_RECORDED)
    kind: str = SYSTEM_KIND
    brand: str = BRAND
    model: str = MODEL
    software: str = SOFTWARE
    software_version: str = ""
    tse_kind: str = ""
    tse_serial: str = ""
    tse_certification_id: str = ""
    tse_in_service_on: date | None = None
    tse_certified: bool = False
    # We do not record a purchase date; the till is "acquired" when it goes into service.
    acquired_on: date | None = None
    in_service_on: date | None = field(default=None, metadata=AS_RECORDED)
    out_of_service_on: date | None = field(default=None, metadata=AS_RECORDED)
    in_service_deadline: date | None = None
    out_of_service_deadline: date | None = None

    @classmethod
    def of(cls, till: Till, device: TseDevice | None) -> "TillRegistration":
        recorded = {f.name: getattr(till, f.name) for f in fields(cls) if f.metadata == AS_RECORDED}
        return cls(
            till_id=till.id,
            **recorded,
            software_version=software_version(),
            tse_kind=tse_kind(device),
            tse_serial=device.serial if device else "",
            tse_certification_id=certification_id(device),
            tse_in_service_on=to_local(device.in_service_on).date() if device else None,
            tse_certified=bool(device and device.certified),
            acquired_on=till.in_service_on,
            in_service_deadline=reporting_deadline(till.in_service_on),
            out_of_service_deadline=reporting_deadline(till.out_of_service_on),
        )


def registrations(branch_ids: set[int] | None = None) -> list[TillRegistration]:
    """Every till (switched off ones too: decommissioned tills are reported as well), of these
    branches (None: of all)."""
    device = active_tse()
    query = sa.select(Till).order_by(Till.name)
    if branch_ids is not None:
        query = query.where(Till.branch_id.in_(branch_ids))
    return [TillRegistration.of(till, device) for till in db.session.scalars(query)]


@dataclass(frozen=True)
class Site:
    """One place of business (a branch) and its tills: one entry of the report to the tax office."""

    branch_id: int
    shop: StoreIdentity
    tills: list[TillRegistration]


def sites(rows: list[TillRegistration]) -> list[Site]:
    """The tills grouped by their branch, each branch its own place of business."""
    ids = sorted({r.branch_id for r in rows})
    found = {b.id: b for b in db.session.scalars(sa.select(Branch).where(Branch.id.in_(ids)))}
    return sorted(
        (
            Site(b, branch_identity(found[b]), [r for r in rows if r.branch_id == b])
            for b in ids
            if b in found
        ),
        key=lambda s: s.shop.name,
    )


@dataclass(frozen=True)
class DueReport:
    """A change the tax office has still to be told about, by its deadline."""

    till: TillRegistration
    out_of_service: bool  # taken out of service (else: put into service)
    on: date | None
    deadline: date


def due_reports(rows: list[TillRegistration], today: date) -> list[DueReport]:
    """The tills whose report is due (its deadline not passed yet); a decommissioning first."""
    due = []
    for r in rows:
        if r.out_of_service_on and r.out_of_service_deadline and r.out_of_service_deadline >= today:
            due.append(DueReport(r, True, r.out_of_service_on, r.out_of_service_deadline))
        elif r.in_service_deadline and r.in_service_deadline >= today:
            due.append(DueReport(r, False, r.in_service_on, r.in_service_deadline))
    return due


def undated(rows: list[TillRegistration]) -> list[TillRegistration]:
    """Tills in service without an in-service date: the tax office needs it."""
    return [r for r in rows if r.is_active and r.in_service_on is None]


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


# The CSV for ELSTER, one column per entry: its German header and its value (dates as DD.MM.YYYY, as
# the form takes them).
CSV_COLUMNS: tuple[tuple[str, Callable[[StoreIdentity, TillRegistration], object]], ...] = (
    ("Betriebsstätte", lambda shop, r: shop.name),
    ("Straße", lambda shop, r: shop.street),
    ("PLZ", lambda shop, r: shop.postcode),
    ("Ort", lambda shop, r: shop.city),
    ("Steuernummer", lambda shop, r: shop.tax_number),
    ("Kasse", lambda shop, r: r.name),
    ("Art des Aufzeichnungssystems", lambda shop, r: r.kind),
    ("Hersteller", lambda shop, r: r.brand),
    ("Modell", lambda shop, r: r.model),
    ("Software", lambda shop, r: r.software),
    ("Softwareversion", lambda shop, r: r.software_version),
    ("Seriennummer Kasse", lambda shop, r: r.serial),
    ("Art der TSE", lambda shop, r: r.tse_kind),
    ("Seriennummer TSE", lambda shop, r: r.tse_serial),
    ("BSI-Zertifizierungs-ID", lambda shop, r: r.tse_certification_id),
    ("Inbetriebnahme TSE", lambda shop, r: _day(r.tse_in_service_on)),
    ("Anschaffung Kasse", lambda shop, r: _day(r.acquired_on)),
    ("Inbetriebnahme Kasse", lambda shop, r: _day(r.in_service_on)),
    ("Außerbetriebnahme Kasse", lambda shop, r: _day(r.out_of_service_on)),
    ("Meldefrist", lambda shop, r: _day(r.out_of_service_deadline or r.in_service_deadline)),
)


def registration_rows(rows: list[TillRegistration]) -> tuple[list[str], list[list]]:
    """The CSV for ELSTER: German headers, dates as DD.MM.YYYY (as the form takes them)."""
    header = [name for name, _value in CSV_COLUMNS]
    return header, [
        [value(site.shop, r) for _name, value in CSV_COLUMNS] for site in sites(rows) for r in site.tills
    ]
