"""Monthly reports of the till: vouchers to invoice to their issuers."""

from datetime import date
from urllib.parse import quote

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _

from store.core.access import Role, roles
from store.core.exports import csv_bytes, euro
from store.core.i18n import local_datetime
from store.core.timeutil import local_today
from store.till import services

bp = Blueprint("till_reports", __name__)

READERS = (Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN)


def _month() -> tuple[int, int]:
    text = request.args.get("month", "")
    try:
        year, month = (int(part) for part in text.split("-"))
        date(year, month, 1)
        return year, month
    except ValueError:
        today = local_today()
        return today.year, today.month


@bp.get("/reports/vouchers")
@roles(*READERS)
def vouchers():
    year, month = _month()
    report = services.voucher_report(year, month)
    return render_template(
        "till/vouchers.html",
        report=report,
        month=f"{year:04d}-{month:02d}",
        totals={k: sum(r.amount_cents for r in v) for k, v in report.items()},
    )


@bp.get("/reports/vouchers.csv")
@roles(*READERS)
def vouchers_csv():
    """One issuer's vouchers of a month, to attach to the invoice (Excel-ready CSV)."""
    year, month = _month()
    issuer = request.args.get("issuer", "")
    rows = services.voucher_report(year, month).get(issuer, [])
    body = csv_bytes(
        [_("Date"), _("Till"), _("Receipt no."), _("Voucher number"), _("Amount (€)"), _("Kind")],
        [
            [
                local_datetime(r.at, "short"),
                r.till,
                r.receipt_number,
                r.number,
                euro(r.amount_cents),
                r.kind,
            ]
            for r in rows
        ]
        + [["", "", "", _("Total"), euro(sum(r.amount_cents for r in rows)), ""]],
    )
    name = f"gutscheine-{year:04d}-{month:02d}-{issuer or 'ohne'}.csv".replace(" ", "_")
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )
