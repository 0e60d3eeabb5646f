"""The till's office pages: open and close the day, cash in and out, X and Z reports, receipts
(history, reprint, void, return, the customer's e-receipt) and the admin list of tills.

Every page calls store.till.services; a view parses, calls, commits once, then prints.
"""

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError

from store.auth import services as auth
from store.auth.forms import EmptyForm
from store.core.access import Role, public, roles
from store.core.errors import ServiceError, ValidationError
from store.core.i18n import money
from store.core.money import parse_cents
from store.core.pricing import vat_breakdown
from store.core.web import current_actor, show_error
from store.extensions import db
from store.printing import services as printing
from store.till import services
from store.till.models import Sale, SaleKind, Till
from store.till.office_forms import (
    CashForm,
    CloseForm,
    CountForm,
    OpenForm,
    ReturnForm,
    TillForm,
    VoidForm,
    denomination_label,
)
from store.till.receipts import render_closing, render_x_report

bp = Blueprint("till_office", __name__)

SALES_LIMIT = 100
SELLERS = (Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)
MANAGERS = (Role.SUPERVISOR, Role.ADMIN)
READERS = (Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN)

KIND_LABELS = {"sale": _l("Sale"), "void": _l("Void"), "return": _l("Return")}
CASH_LABELS = {
    "float": _l("Float"),
    "deposit": _l("Deposit"),
    "withdrawal": _l("Withdrawal"),
    "difference": _l("Difference"),
}
PAYMENT_LABELS = {"cash": _l("Cash"), "card": _l("Card"), "voucher": _l("Voucher")}


@bp.context_processor
def labels():
    return {
        "kind_labels": KIND_LABELS,
        "cash_labels": CASH_LABELS,
        "payment_labels": PAYMENT_LABELS,
        "sale_screen": sale_screen,
        "may": lambda *wanted: current_user.is_authenticated and current_user.role in wanted,
        "Role": Role,
    }


def sale_screen(till_id: int) -> str:
    """The sale screen of a till (built by the till views; '/till' until they exist)."""
    try:
        return url_for("till.sale", till_id=till_id)
    except BuildError:
        return "/till"


def _cents(text: str | None, field: str) -> int:
    try:
        return parse_cents(text)
    except ValidationError as error:
        raise ValidationError(error.message, field=field) from None


def _counted(form: CountForm) -> tuple[dict, int | None]:
    """The pieces by denomination and their sum, or the typed sum, or (nothing, None)."""
    counts = form.counts()
    if counts:
        return counts, services.counted_total(counts)
    if (form.total.data or "").strip():
        return {}, _cents(form.total.data, "total")
    return {}, None


def _checking() -> bool:
    """The 'Add up' button: show the sum, book nothing."""
    return request.form.get("action") == "check"


def _not_open(till: Till):
    return render_template("till/office/not_open.html", till=till), 409


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _report_extras(report: dict) -> dict:
    """The report's ISO timestamps as datetimes, for the date filters."""
    return {
        "opened_at": _parse_time(report.get("opened_at")),
        "movements": [{**m, "at": _parse_time(m["at"])} for m in report.get("cash_movements", [])],
    }


def _till_filter() -> Till | None:
    till_id = request.args.get("till", type=int)
    return db.session.get(Till, till_id) if till_id else None


# ---------------------------------------------------------------- opening and cash


@bp.route("/till/<int:till_id>/open", methods=["GET", "POST"])
@roles(*SELLERS)
def open_session(till_id: int):
    till = services.get_till(till_id)
    form = OpenForm()
    counted = None
    if form.validate_on_submit():
        try:
            counts, counted = _counted(form)
            if not _checking():
                services.open_session(current_actor(), till, counts=counts or None, float_cents=counted)
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error, {"float_cents": "total"})
        else:
            if not _checking():
                db.session.commit()
                flash(_("The till is open. Float: %(sum)s", sum=money(counted)), "success")
                return redirect(sale_screen(till.id))
    return render_template("till/office/open.html", till=till, form=form, counted=counted)


@bp.route("/till/<int:till_id>/cash", methods=["GET", "POST"])
@roles(*SELLERS)
def cash(till_id: int):
    till = services.get_till(till_id)
    if till.current_session_id is None:
        return _not_open(till)
    form = CashForm()
    if form.validate_on_submit():
        try:
            movement = services.move_cash(
                current_actor(),
                till,
                form.kind.data,
                _cents(form.amount.data, "amount"),
                form.reason.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            printing.kick_due()  # the drawer
            if movement.amount_cents > 0:
                flash(_("Deposit of %(sum)s booked.", sum=money(movement.amount_cents)), "success")
            else:
                flash(_("Withdrawal of %(sum)s booked.", sum=money(-movement.amount_cents)), "success")
            return redirect(url_for(".cash", till_id=till.id))
    session = services.current_session(till)
    return render_template(
        "till/office/cash.html",
        till=till,
        form=form,
        till_session=session,
        movements=services.cash_movements(session),
        expected=services.expected_cash(session),
    )


# ---------------------------------------------------------------- X report and closing


@bp.get("/till/<int:till_id>/x-report")
@roles(*MANAGERS)
def x_report(till_id: int):
    till = services.get_till(till_id)
    if till.current_session_id is None:
        return _not_open(till)
    report = services.x_report(till)
    return render_template(
        "till/office/x_report.html",
        till=till,
        report=report,
        till_session=services.current_session(till),
        form=EmptyForm(),
        **_report_extras(report),
    )


@bp.post("/till/<int:till_id>/x-report/print")
@roles(*MANAGERS)
def x_report_print(till_id: int):
    till = services.get_till(till_id)
    back = url_for(".x_report", till_id=till.id)
    printer = services.receipt_printer(till)
    if printer is None:
        flash(_("This till has no receipt printer."), "error")
        return redirect(back)
    try:
        report = services.x_report(till)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    job = printing.enqueue(
        current_actor(),
        printer,
        "report",
        render_x_report(report, printer),
        title=f"{till.name} · " + _("X report"),
        ref=("x_report", str(report["session"])),
    )
    db.session.commit()
    printing.kick([job.id])
    flash(_("The X report is being printed."), "success")
    return redirect(back)


@bp.route("/till/<int:till_id>/close", methods=["GET", "POST"])
@roles(*MANAGERS)
def close(till_id: int):
    till = services.get_till(till_id)
    if till.current_session_id is None:
        if request.method == "POST":
            flash(_("This till was closed already."), "error")
        return _not_open(till)
    form = CloseForm()
    counted = None
    if form.validate_on_submit():
        actor = current_actor()
        try:
            counts, counted = _counted(form)
            if not _checking():
                closing = services.close_session(
                    actor,
                    till,
                    counts=counts or None,
                    counted_cents=counted,
                    reason=form.reason.data or "",
                )
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error, {"counted": "total"})
        else:
            if not _checking():
                db.session.commit()
                jobs = printing.jobs_for(("closing", str(closing.id)))
                printing.kick([job.id for job in jobs])
                flash(
                    _("Daily closing Z %(n)s is done.", n=closing.number)
                    + " "
                    + (
                        _("The report is being printed.")
                        if jobs
                        else _("This till has no receipt printer.")
                    ),
                    "success",
                )
                return redirect(url_for(".closing", closing_id=closing.id))
        if till.current_session_id is None:  # closed by someone else meanwhile
            return _not_open(till)
    session = services.current_session(till)
    expected = services.expected_cash(session)
    difference = counted - expected if counted is not None else None
    return render_template(
        "till/office/close.html",
        till=till,
        form=form,
        till_session=session,
        expected=expected,
        counted=counted,
        difference=difference,
    )


@bp.get("/closings")
@roles(*READERS)
def closings():
    till = _till_filter()
    return render_template(
        "till/office/closings.html",
        closings=services.list_closings(till),
        tills=services.list_tills(include_inactive=True),
        till=till,
    )


@bp.get("/closings/<int:closing_id>")
@roles(*READERS)
def closing(closing_id: int):
    closing = services.get_closing(closing_id)
    report = closing.report
    pieces = sorted(((int(cents), n) for cents, n in (closing.counted or {}).items()), reverse=True)
    counted_rows = [
        {"label": denomination_label(cents), "pieces": n, "cents": cents * n} for cents, n in pieces
    ]
    return render_template(
        "till/office/closing.html",
        closing=closing,
        report=report,
        counted_rows=counted_rows,
        form=EmptyForm(),
        **_report_extras(report),
    )


@bp.post("/closings/<int:closing_id>/print")
@roles(*READERS)
def closing_print(closing_id: int):
    closing = services.get_closing(closing_id)
    back = url_for(".closing", closing_id=closing.id)
    printer = services.receipt_printer(closing.till)
    if printer is None:
        flash(_("This till has no receipt printer."), "error")
        return redirect(back)
    job = printing.enqueue(
        current_actor(),
        printer,
        "report",
        render_closing(closing, printer),
        title=f"{closing.till.name} · Z {closing.number}",
        ref=("closing", str(closing.id)),
    )
    db.session.commit()
    printing.kick([job.id])
    flash(_("The report is being printed again."), "success")
    return redirect(back)


# ---------------------------------------------------------------- receipts


@bp.get("/sales")
@roles(*SELLERS)
def sales():
    till = _till_filter()
    return render_template(
        "till/office/sales.html",
        sales=services.recent_sales(till, limit=SALES_LIMIT),
        limit=SALES_LIMIT,
        tills=services.list_tills(include_inactive=True),
        till=till,
    )


@bp.get("/sales/<int:sale_id>")
@roles(*SELLERS)
def sale(sale_id: int):
    return _render_sale(services.get_sale(sale_id))


def _supervisors(form: VoidForm) -> None:
    people = [u for u in auth.pin_users() if u.role in services.CONFIRMING_ROLES]
    form.user_id.choices = [("", _("– choose –"))] + [(u.id, u.display_name) for u in people]


def _render_sale(
    sale: Sale,
    *,
    void_form: VoidForm | None = None,
    return_form: ReturnForm | None = None,
    entered: dict | None = None,
):
    done = services.reversed_quantities(sale) if sale.kind == SaleKind.SALE else {}
    remaining = {line.id: line.quantity - done.get(line.id, 0) for line in sale.lines}
    void_form = void_form or VoidForm(formdata=None)
    _supervisors(void_form)
    return render_template(
        "till/office/sale.html",
        sale=sale,
        reversals=services.reversals_of(sale),
        vat=vat_breakdown([(line.vat_rate_bp, line.total_cents) for line in sale.lines]),
        can_void=sale.kind == SaleKind.SALE and not done,
        can_return=sale.kind == SaleKind.SALE and any(n > 0 for n in remaining.values()),
        remaining=remaining,
        entered=entered or {},
        till_open=sale.till.current_session_id is not None,
        void_form=void_form,
        return_form=return_form or ReturnForm(formdata=None),
        action_form=EmptyForm(),
    )


@bp.post("/sales/<int:sale_id>/reprint")
@roles(*SELLERS)
def sale_reprint(sale_id: int):
    sale = services.get_sale(sale_id)
    job = services.queue_receipt(current_actor(), sale, copy=True)
    if job is None:
        flash(_("This till has no receipt printer."), "error")
        return redirect(url_for(".sale", sale_id=sale.id))
    db.session.commit()
    printing.kick([job.id])
    flash(_("A copy of receipt %(n)s is being printed.", n=sale.receipt_number), "success")
    return redirect(url_for(".sale", sale_id=sale.id))


@bp.post("/sales/<int:sale_id>/void")
@roles(*MANAGERS)
def sale_void(sale_id: int):
    sale = services.get_sale(sale_id)
    form = VoidForm()
    _supervisors(form)
    if not form.validate_on_submit():
        return _render_sale(sale, void_form=form)
    actor = current_actor()
    try:
        supervisor = services.confirming_supervisor(
            badge=form.badge.data or None,
            user_id=form.user_id.data,
            pin=form.pin.data or None,
            address=request.remote_addr,
        )
    except auth.LoginError as error:
        db.session.commit()  # keep the failed attempt: it counts towards the lock
        show_error(form, ValidationError(error.message, field="badge" if form.badge.data else "pin"))
        return _render_sale(sale, void_form=form)
    except ServiceError as error:
        db.session.rollback()
        show_error(form, ValidationError(error.message, field="badge"))
        return _render_sale(sale, void_form=form)
    try:
        counter = services.void_sale(actor, sale, form.reason.data or "", confirmed_by=supervisor)
    except ServiceError as error:
        db.session.rollback()
        show_error(form, error)
        return _render_sale(sale, void_form=form)
    db.session.commit()
    printing.kick_due()  # the receipt and the drawer
    flash(
        _(
            "Receipt %(n)s was voided. Pay back %(sum)s.",
            n=sale.receipt_number,
            sum=money(-counter.total_cents),
        ),
        "success",
    )
    return redirect(url_for(".sale", sale_id=counter.id))


@bp.post("/sales/<int:sale_id>/return")
@roles(*MANAGERS)
def sale_return(sale_id: int):
    sale = services.get_sale(sale_id)
    form = ReturnForm()
    entered = {line.id: request.form.get(f"qty-{line.id}", "").strip() for line in sale.lines}
    if not form.validate_on_submit():
        return _render_sale(sale, return_form=form, entered=entered)
    try:
        quantities = {}
        for line_id, text in entered.items():
            if text and text != "0":
                if not text.lstrip("-").isdigit():
                    raise ValidationError(_("Please enter whole numbers."))
                quantities[line_id] = int(text)
        counter = services.return_lines(
            current_actor(),
            sale,
            quantities,
            form.reason.data or "",
            to_stock=form.target.data != "write_off",
        )
    except ServiceError as error:
        db.session.rollback()
        show_error(form, error)
        return _render_sale(sale, return_form=form, entered=entered)
    db.session.commit()
    printing.kick_due()  # the receipt and the drawer
    flash(
        _("The return is booked. Pay back %(sum)s in cash.", sum=money(-counter.total_cents)), "success"
    )
    return redirect(url_for(".sale", sale_id=counter.id))


@bp.get("/receipt/<uuid>")
@public
def receipt(uuid: str):
    """The customer's e-receipt, reached through the QR code on the till screen."""
    sale = services.find_sale(uuid)  # by uuid only: receipt ids are easy to guess
    if sale is None:
        abort(404)
    response = render_template(
        "till/office/receipt.html",
        sale=sale,
        vat=vat_breakdown([(line.vat_rate_bp, line.total_cents) for line in sale.lines]),
    )
    return response, 200, {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "private"}


# ---------------------------------------------------------------- admin: tills


@bp.get("/admin/tills")
@roles(Role.ADMIN)
def tills():
    return render_template("till/office/tills.html", tills=services.list_tills(include_inactive=True))


@bp.route("/admin/tills/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def till_new():
    return _till_form(None)


@bp.route("/admin/tills/<int:till_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def till_edit(till_id: int):
    return _till_form(services.get_till(till_id))


def _till_form(till: Till | None):
    form = TillForm(obj=till)
    choices = [("", _("– none –"))] + [(p.id, p.name) for p in printing.list_printers()]
    form.receipt_printer_id.choices = form.label_printer_id.choices = choices
    if form.validate_on_submit():
        try:
            saved = services.save_till(
                current_actor(),
                till,
                name=form.name.data,
                serial=form.serial.data,
                location=form.location.data or "",
                receipt_printer_id=form.receipt_printer_id.data,
                label_printer_id=form.label_printer_id.data,
                has_drawer=form.has_drawer.data,
                is_active=form.is_active.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Till %(name)s was saved.", name=saved.name), "success")
            return redirect(url_for(".tills"))
    return render_template("till/office/till_form.html", form=form, till=till)
