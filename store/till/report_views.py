"""Monthly reports of the till: vouchers to invoice to their issuers."""

from urllib.parse import quote

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _

from store.core.access import Role, roles
from store.core.exports import csv_bytes, euro
from store.core.i18n import local_datetime
from store.core.timeutil import month_key
from store.till import services

bp = Blueprint("till_reports", __name__)

READERS = (Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN)


def _month() -> tuple[int, int]:
    return services.report_month(request.args.get("month"))


@bp.get("/reports/vouchers")
@roles(*READERS)
def vouchers():
    year, month = _month()
    report = services.voucher_report(year, month)
    return render_template(
        "till/vouchers.html",
        report=report,
        month=month_key(year, month),
        totals=services.voucher_totals(report),
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
        + [["", "", "", _("Total"), euro(services.voucher_total(rows)), ""]],
    )
    name = f"gutscheine-{month_key(year, month)}-{issuer or 'ohne'}.csv".replace(" ", "_")
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )
