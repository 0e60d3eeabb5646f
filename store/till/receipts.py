"""Receipts and Z reports as ESC/POS bytes (80 mm), in the store's language."""

import textwrap

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from store.core.money import format_cents
from store.core.pricing import vat_breakdown
from store.core.settings import get_setting
from store.core.timeutil import to_local
from store.extensions import db
from store.goods.services.impact import receipt_impact_text
from store.printing.models import Printer
from store.printing.render import columns, document, printable
from store.till.models import BusinessCase, Closing, PaymentMethod, Sale, SaleKind, SaleLine
from store.tse import signing

VAT_LETTERS = {1900: "A", 700: "B", 0: "C"}


def cashier_text(sale) -> str:
    """First name and cashier number; the number alone once the retention run removed the name."""
    user = sale.cashier
    if user is not None and user.first_name and sale.cashier_label.isdigit():
        return f"{user.first_name} ({sale.cashier_label})"
    return sale.cashier_label  # sales booked before 2026-11 keep "Name (number)" as they were


def _money(cents: int) -> str:
    return format_cents(cents, "de").replace("\u00a0", " ")


def _header(doc, width: int, branch=None) -> None:
    """The store's name; the branch (Filiale) of the till, its address and tax number (the store's
    where the branch has none of its own)."""
    cfg = current_app.config
    doc.set(align="center", bold=True, double_height=True, double_width=True)
    doc.text(printable(cfg["STORE_NAME"]) + "\n")
    doc.set(align="center", bold=False, normal_textsize=True)
    if branch is not None and branch.name != cfg["STORE_NAME"]:
        doc.text(printable(branch.name) + "\n")
    address = (branch.address if branch is not None else "") or cfg.get("STORE_ADDRESS") or ""
    for line in address.split(","):
        if line.strip():
            doc.text(printable(line.strip()) + "\n")
    tax_number = branch.tax_data()[0] if branch is not None else cfg.get("STORE_TAX_NUMBER")
    if tax_number:
        doc.text(printable(_("Tax number %(n)s", n=tax_number)) + "\n")
    doc.set(align="left")
    doc.text("-" * width + "\n")


def payment_label(method: PaymentMethod) -> str:
    return {
        PaymentMethod.CASH: _("Cash"),
        PaymentMethod.CARD: _("Card"),
        PaymentMethod.VOUCHER: _("Voucher"),
    }[method]


def render_receipt(sale: Sale, printer: Printer | None, *, copy: bool = False, tx=None) -> bytes:
    """The customer's receipt (`tx`: its TSE outcome, read from the database when not given)."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _receipt(sale, printer, copy, tx)


def _receipt(sale: Sale, printer: Printer | None, copy: bool, tx=None) -> bytes:
    width = printer.columns if printer else 48
    doc = document(printer)
    _header(doc, width, sale.till.branch)
    if sale.training:
        _training_banner(doc)
    _titles(doc, sale, copy)
    when = to_local(sale.created_at)
    doc.text(columns(sale.till.name, _("Receipt no. %(n)s", n=sale.receipt_number), width))
    doc.text(columns(when.strftime("%d.%m.%Y %H:%M"), _("Cashier: %(c)s", c=cashier_text(sale)), width))
    doc.text("-" * width + "\n")
    for line in sale.lines:
        _line(doc, line, width)
    doc.text("=" * width + "\n")
    _payments(doc, sale, width)
    doc.text("-" * width + "\n")
    _vat_table(doc, sale)
    doc.text("-" * width + "\n")
    _fiscal_block(doc, sale, width, tx)
    if sale.training:
        _training_banner(doc)
    footer = get_setting("receipt_footer")
    if footer:
        doc.set(align="center")
        doc.text(printable(textwrap.fill(footer, width)) + "\n")
    if sale.kind == SaleKind.SALE and not sale.training:  # the store's optional "kg kept in use"
        goods_lines = [ln for ln in sale.lines if ln.item_id or ln.article_id]
        kept = receipt_impact_text([(ln.category_id, ln.quantity) for ln in goods_lines], when.date())
        if kept:
            doc.set(align="center")
            doc.text(printable(textwrap.fill(kept, width)) + "\n")
    doc.ln(1)
    doc.cut()
    return doc.output


def _titles(doc, sale: Sale, copy: bool) -> None:
    """COPY on a reprint; VOID or RETURN with the original receipt and the reason."""
    if copy:
        doc.set(align="center", bold=True, double_height=True)
        doc.text(_("COPY") + "\n")
        doc.set(align="left", bold=False, normal_textsize=True)
    deposit_titles = {
        SaleKind.DEPOSIT: _("DEPOSIT"),
        SaleKind.DEPOSIT_REFUND: _("DEPOSIT REFUNDED"),
        SaleKind.DEPOSIT_KEPT: _("DEPOSIT KEPT"),
    }
    if sale.kind in deposit_titles:
        doc.set(align="center", bold=True, double_height=True)
        doc.text(printable(deposit_titles[sale.kind]) + "\n")
        doc.set(align="left", bold=False, normal_textsize=True)
    elif sale.kind != SaleKind.SALE:
        doc.set(align="center", bold=True, double_height=True)
        title = _("VOID") if sale.kind == SaleKind.VOID else _("RETURN")
        doc.text(printable(title) + "\n")
        doc.set(align="left", bold=False, normal_textsize=True)
        doc.text(printable(_("for receipt no. %(n)s", n=sale.reverses.receipt_number)) + "\n")
        doc.text(printable(_("Reason: %(r)s", r=sale.reason or "")) + "\n")


def _line(doc, line: SaleLine, width: int) -> None:
    """One position: text and amount, quantity, code and markdown, discounts."""
    letter = VAT_LETTERS.get(line.vat_rate_bp, "?")
    gross = line.unit_price_cents * line.quantity
    if line.business_case == BusinessCase.DEPOSIT_TAKEN:  # "Anzahlung Reservierung N: what"
        head, _sep, what = line.description.partition(": ")
        doc.text(columns(head, f"{_money(gross)} {letter}", width))
        doc.text(printable(f"  {what}"[:width]) + "\n")
        doc.text(printable(f"  {line.code}") + "\n")
        return
    doc.text(columns(line.description, f"{_money(gross)} {letter}", width))
    if line.ref_sale_id is not None:  # a deposit counted or settled: the receipt that took it
        doc.text(printable("  " + _("deposit of receipt no. %(n)s", n=_deposit_number(line))) + "\n")
        return
    if line.quantity not in (1, -1) or (line.item_id is None and line.service is None):
        doc.text(printable(f"  {line.quantity} x {_money(line.unit_price_cents)}") + "\n")
    if line.code:
        detail = f"  {line.code}"
        if line.markdown_percent:
            detail += "  " + _(
                "label %(p)s, -%(n)s %%", p=_money(line.label_price_cents), n=line.markdown_percent
            )
        doc.text(printable(detail) + "\n")
    if line.discount_cents:
        label = _("Discount")
        doc.text(
            columns(
                f"  {label} {line.discount_percent} % {line.discount_reason or ''}",
                _money(-line.discount_cents),
                width,
            )
        )
    if line.eligibility_discount_cents:
        label = _("Entitlement card")
        doc.text(columns(f"  {label}", _money(-line.eligibility_discount_cents), width))


def _deposit_number(line: SaleLine) -> int | str:
    original = db.session.get(Sale, line.ref_sale_id)
    return original.receipt_number if original is not None else "?"


def _payments(doc, sale: Sale, width: int) -> None:
    """The total, then what was paid how, and the change."""
    doc.set(bold=True, double_height=True)
    doc.text(columns(_("TOTAL"), _money(sale.total_cents), width))
    doc.set(bold=False, normal_textsize=True)
    for p in sale.payments:
        shown = p.tendered_cents if p.tendered_cents is not None else p.amount_cents
        label = payment_label(p.method)
        if p.method == PaymentMethod.VOUCHER:
            label += f" {p.voucher_issuer} {p.voucher_number}"
        doc.text(columns(label, _money(shown), width))
        if p.change_cents:
            doc.text(columns(_("Change"), _money(p.change_cents), width))


def _vat_table(doc, sale: Sale) -> None:
    vat, net, tax, gross = _("VAT"), _("net"), _("tax"), _("gross")
    doc.text(printable(f"{vat:9}{net:>13}{tax:>13}{gross:>13}") + "\n")
    for row in vat_breakdown([(line.vat_rate_bp, line.total_cents) for line in sale.lines]):
        name = f"{VAT_LETTERS.get(row.rate_bp, '?')} {row.rate_bp / 100:g} %"
        doc.text(
            printable(
                f"{name:9}{_money(row.net_cents):>13}{_money(row.vat_cents):>13}"
                f"{_money(row.gross_cents):>13}"
            )
            + "\n"
        )


def _training_banner(doc) -> None:
    doc.set(align="center", bold=True, double_height=True, double_width=True)
    doc.text(printable(_("TRAINING")) + "\n")
    doc.set(align="left", bold=False, normal_textsize=True)
    doc.text(printable(_("Training receipt: not a sale, no revenue.")) + "\n")


def _wrap(text: str, width: int) -> str:
    return "".join(text[i : i + width] + "\n" for i in range(0, len(text), width))


def _fiscal_block(doc, sale: Sale, width: int, tx=None) -> None:
    """The TSE data §6 KassenSichV asks for, and the DSFinV-K QR code."""
    tx = tx or signing.for_sale(sale.id)
    if tx is None:
        return
    if tx.state != "signed":
        doc.set(bold=True)
        doc.text(printable(_("TSE failed: this receipt has no signature.")) + "\n")
        doc.set(bold=False)
        doc.text(
            printable(
                _("Failure recorded at %(t)s", t=to_local(tx.recorded_at).strftime("%d.%m.%Y %H:%M:%S"))
            )
            + "\n"
        )
        doc.text("-" * width + "\n")
        return
    fmt = "%d.%m.%Y %H:%M:%S"
    doc.text(printable(_("TSE serial:")) + "\n" + _wrap(tx.tse_serial or "", width))
    doc.text(columns(_("Till serial:"), tx.client_serial, width))
    doc.text(columns(_("Transaction:"), str(tx.tx_number), width))
    doc.text(columns(_("Signature counter:"), str(tx.signature_counter), width))
    doc.text(columns(_("Start:"), to_local(tx.started_at).strftime(fmt), width))
    doc.text(columns(_("End:"), to_local(tx.finished_at).strftime(fmt), width))
    doc.text(printable(_("Signature:")) + "\n" + _wrap(tx.signature or "", width))
    certified = (
        tx.device_certified
        if hasattr(tx, "device_certified")
        else tx.device is None or tx.device.certified
    )
    if tx.device_id is not None and not certified:
        doc.set(bold=True)
        doc.text(printable(_("TSE simulator: not certified, demo only")) + "\n")
        doc.set(bold=False)
    doc.set(align="center")
    doc.qr(tx.qr_code_data, size=4, native=True)
    doc.set(align="left")
    doc.text("-" * width + "\n")


def render_closing(closing: Closing, printer: Printer | None) -> bytes:
    """The Z report as printed at the closing."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _report(closing.report, printer, title=_("Z report no. %(n)s", n=closing.number))


def render_x_report(report: dict, printer: Printer | None) -> bytes:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _report(report, printer, title=_("X report (interim, no closing)"))


def _deposits(doc, report: dict, width: int) -> None:
    """The deposits on reservations taken, counted in sales, refunded and kept (issue 18)."""
    names = {
        "taken": _("Deposits taken"),
        "used": _("Deposits counted in sales"),
        "refunded": _("Deposits refunded"),
        "kept": _("Deposits kept"),
    }
    for key, amount in report.get("deposits", {}).items():
        if amount:
            doc.text(columns(names[key], _money(amount), width))


def _removed(doc, report: dict, width: int) -> None:
    """Lines removed before payment and abandoned carts (reports made before they were counted
    have no such entry)."""
    removed = report.get("removed", {})
    if "removed" in removed:
        r = removed["removed"]
        doc.text(columns(_("Lines removed (%(n)s)", n=r["lines"]), _money(r["total_cents"]), width))
    if "abandoned" in removed:
        a = removed["abandoned"]
        label = _("Carts abandoned (%(n)s, %(lines)s lines)", n=a["receipts"], lines=a["lines"])
        doc.text(columns(label, _money(a["total_cents"]), width))


def _report(report: dict, printer: Printer | None, title: str) -> bytes:
    width = printer.columns if printer else 48
    doc = document(printer)
    _header(doc, width)
    doc.set(align="center", bold=True, double_height=True)
    doc.text(printable(title) + "\n")
    doc.set(align="left", bold=False, normal_textsize=True)
    doc.text(columns(report["till"], report.get("closed_local", ""), width))
    if report["receipts"]:
        doc.text(columns(_("Receipts"), f"{report['first_receipt']} - {report['last_receipt']}", width))
    doc.text("-" * width + "\n")
    kinds = {
        "sale": _("Sales"),
        "void": _("Voids"),
        "return": _("Returns"),
        "deposit": _("Deposits taken"),
        "deposit_refund": _("Deposits refunded"),
        "deposit_kept": _("Deposits kept"),
    }
    for kind, entry in report["by_kind"].items():
        doc.text(columns(f"{kinds[kind]} ({entry['count']})", _money(entry["total_cents"]), width))
    doc.set(bold=True)
    doc.text(columns(_("Total"), _money(report["total_cents"]), width))
    doc.set(bold=False)
    doc.text("-" * width + "\n")
    for row in report["vat"]:
        doc.text(
            columns(_("VAT %(r)s %%", r=f"{row['rate_bp'] / 100:g}"), _money(row["gross_cents"]), width)
        )
        net, tax = _("net"), _("tax")
        doc.text(
            columns(f"  {net} {_money(row['net_cents'])}", f"{tax} {_money(row['vat_cents'])}", width)
        )
    doc.text("-" * width + "\n")
    for method, amount in report["payments"].items():
        doc.text(columns(payment_label(PaymentMethod(method)), _money(amount), width))
    for issuer, amount in report.get("vouchers", {}).items():
        doc.text(columns(f"  {issuer}", _money(amount), width))
    doc.text("-" * width + "\n")
    for category in report["categories"]:
        doc.text(
            columns(f"{category['name']} ({category['count']})", _money(category["total_cents"]), width)
        )
    doc.text("-" * width + "\n")
    _deposits(doc, report, width)
    d = report["discounts"]
    doc.text(columns(_("Discounts (%(n)s)", n=d["line_count"]), _money(d["line_cents"]), width))
    doc.text(
        columns(
            _("Entitlement card (%(n)s)", n=d["eligibility_receipts"]),
            _money(d["eligibility_cents"]),
            width,
        )
    )
    _removed(doc, report, width)
    doc.text("-" * width + "\n")
    names = {
        "float": _("Float"),
        "deposit": _("Deposits"),
        "withdrawal": _("Withdrawals"),
        "transit": _("Money to the bank"),
        "difference": _("Difference"),
    }
    for kind, amount in report["cash"].items():
        if amount or kind == "float":
            doc.text(columns(names[kind], _money(amount), width))
    doc.text(columns(_("Expected cash"), _money(report["expected_cash_cents"]), width))
    if "counted_cents" in report:
        doc.text(columns(_("Counted cash"), _money(report["counted_cents"]), width))
        doc.set(bold=True)
        doc.text(columns(_("Difference"), _money(report["difference_cents"]), width))
        doc.set(bold=False)
    doc.ln(1)
    doc.cut()
    return doc.output
