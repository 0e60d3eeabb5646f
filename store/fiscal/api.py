"""API: the DSFinV-K export, the TSE export and the registration data for the tax office."""

import re

from flask import Response, send_file
from flask_login import current_user
from pydantic import BaseModel, Field, field_validator

from store.branches import services as branches
from store.core.access import Role
from store.core.api import Schema, api_blueprint, endpoint
from store.core.bounds import Day, Id
from store.core.web import current_actor
from store.fiscal import downloads, dsfinvk, registration
from store.till import services as till_services

bp = api_blueprint("fiscal_api")

MANAGERS = (Role.SUPERVISOR, Role.ADMIN)
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RangeQuery(Schema):
    start: Day = Field(alias="from", description="First day, YYYY-MM-DD (store time)")
    end: Day = Field(alias="to", description="Last day, YYYY-MM-DD (store time), included")
    branch: Id | None = Field(
        default=None, description="Only the tills of this branch (one place of business)"
    )

    @field_validator("start", "end", mode="before")
    @classmethod
    def iso_day(cls, value):
        if not isinstance(value, str) or not DAY.match(value):
            raise ValueError("a day as YYYY-MM-DD")
        return value


def send_export(export: dsfinvk.Export) -> Response:
    return send_file(
        export.file,
        mimetype="application/zip",
        as_attachment=True,
        download_name=export.filename,
        max_age=0,
    )


@endpoint(
    bp,
    "/fiscal/dsfinvk",
    roles=MANAGERS,
    query=RangeQuery,
    produces="application/zip",
    summary="DSFinV-K export (ZIP) of every daily closing in a date range",
)
def dsfinvk_range(query: RangeQuery):
    """The ZIP holds the standard's CSV files and index.xml; one cash point closing per Z report."""
    if query.branch is not None:
        branches.require_branch_of(current_user, query.branch)
    export = dsfinvk.export_range(query.start, query.end, query.branch)
    downloads.record_dsfinvk_download(
        current_actor(), export, start=query.start.isoformat(), end=query.end.isoformat()
    )
    return send_export(export)


@endpoint(
    bp,
    "/fiscal/closings/<int:closing_id>/dsfinvk",
    roles=MANAGERS,
    produces="application/zip",
    summary="DSFinV-K export (ZIP) of one daily closing",
)
def dsfinvk_closing(closing_id: int):
    export = dsfinvk.export_closing(till_services.get_closing(closing_id))
    downloads.record_dsfinvk_download(current_actor(), export)
    return send_export(export)


@endpoint(
    bp,
    "/fiscal/tse/export",
    roles=MANAGERS,
    produces="application/x-tar",
    summary="The TSE's own export (TAR) of the TSE in service",
)
def tse_export():
    name, data = dsfinvk.tse_export()
    downloads.record_download(current_actor(), {"format": "tse", "file": name})
    return Response(
        data,
        mimetype="application/x-tar",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


class SiteOut(BaseModel):
    """One place of business (a branch) and its tills: its own entry in the report."""

    branch_id: int
    name: str
    street: str
    postcode: str
    city: str
    tax_number: str
    tills: list[registration.TillRegistration]


class RegistrationOut(BaseModel):
    store_name: str
    street: str
    postcode: str
    city: str
    tax_number: str
    tills: list[registration.TillRegistration]
    sites: list[SiteOut]


@endpoint(
    bp,
    "/fiscal/registration",
    roles=MANAGERS,
    response=RegistrationOut,
    summary="Registration data of the tills for the tax office (§146a Abs. 4 AO)",
)
def registration_data():
    shop = registration.store_identity()
    rows = registration.registrations(branches.visible_ids(current_user))
    return RegistrationOut(
        store_name=shop.name,
        street=shop.street,
        postcode=shop.postcode,
        city=shop.city,
        tax_number=shop.tax_number,
        tills=rows,
        sites=[
            SiteOut(
                branch_id=site.branch_id,
                name=site.shop.name,
                street=site.shop.street,
                postcode=site.shop.postcode,
                city=site.shop.city,
                tax_number=site.shop.tax_number,
                tills=site.tills,
            )
            for site in registration.sites(rows)
        ],
    )
