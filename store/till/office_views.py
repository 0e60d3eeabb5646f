"""The till's office pages: open and close the day, cash in and out, X and Z reports, and the admin
list of tills. Receipts, voids and returns are in receipt_views.

Every page calls store.till.services; a view parses, calls, and renders or redirects.
"""

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from store.auth.forms import EmptyForm
from store.branches import web as branch_web
from store.branches.forms import branch_choices
from store.core.access import Role, roles
from store.core.errors import ValidationError
from store.core.i18n import money
from store.core.money import parse_cents
from store.core.web import attempt, current_actor
from store.extensions import db
from store.printing import services as printing
from store.till import services
from store.till.labels import labels, sale_screen
from store.till.models import Till
from store.till.office_forms import (
    CashForm,
    CloseForm,
    CountForm,
    OpenForm,
    TillForm,
    denomination_label,
)

bp = Blueprint("till_office", __name__)
# A till of a branch the user does not work in does not exist for them.
branch_web.guard(bp, "till_id", services.till_branch_id)
bp.context_processor(labels)

SELLERS = (Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)
MANAGERS = (Role.SUPERVISOR, Role.ADMIN)
READERS = (Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN)


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
        with attempt(form, {"float_cents": "total"}) as done:
            counts, counted = _counted(form)
            if not _checking():
                services.open_session(current_actor(), till, counts=counts or None, float_cents=counted)
        if done and not _checking():
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
        with attempt(form) as done:
            movement = services.move_cash(
                current_actor(),
                till,
                form.kind.data,
                _cents(form.amount.data, "amount"),
                form.reason.data,
            )
        if done:
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
    with attempt() as done:
        job = services.print_x_report(current_actor(), till)
    if done and job is None:
        flash(_("This till has no receipt printer."), "error")
    elif done:
        flash(_("The X report is being printed."), "success")
    return redirect(url_for(".x_report", till_id=till.id))


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
        with attempt(form, {"counted": "total"}) as done:
            counts, counted = _counted(form)
            if not _checking():
                closing = services.close_session(
                    current_actor(),
                    till,
                    counts=counts or None,
                    counted_cents=counted,
                    reason=form.reason.data or "",
                )
        if done and not _checking():
            printed = printing.jobs_for(("closing", str(closing.id)))
            flash(
                _("Daily closing Z %(n)s is done.", n=closing.number)
                + " "
                + (
                    _("The report is being printed.")
                    if printed
                    else _("This till has no receipt printer.")
                ),
                "success",
            )
            return redirect(url_for(".closing", closing_id=closing.id))
        if till.current_session_id is None:  # closed by someone else meanwhile
            return _not_open(till)
    session = services.current_session(till)
    expected, difference = services.count_difference(session, counted)
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
        closings=services.list_closings(till, branch_ids=branch_web.scope_ids()),
        tills=services.list_tills(include_inactive=True, branch_ids=branch_web.scope_ids()),
        till=till,
    )


@bp.get("/closings/<int:closing_id>")
@roles(*READERS)
def closing(closing_id: int):
    closing = services.get_closing(closing_id)
    report = closing.report
    counted_rows = [
        {"label": denomination_label(cents), "pieces": n, "cents": total}
        for cents, n, total in services.counted_pieces(closing)
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
    if services.queue_closing(current_actor(), closing) is None:
        flash(_("This till has no receipt printer."), "error")
    else:
        flash(_("The report is being printed again."), "success")
    return redirect(url_for(".closing", closing_id=closing.id))


# ---------------------------------------------------------------- admin: tills


@bp.get("/admin/tills")
@roles(Role.ADMIN)
def tills():
    return render_template(
        "till/office/tills.html",
        tills=services.list_tills(include_inactive=True, branch_ids=branch_web.scope_ids()),
    )


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
    branch_choices(form.branch_id, till, branch_web.current_branch().id)
    if form.validate_on_submit():
        with attempt(form) as done:
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
                branch_id=form.branch_id.data,
            )
        if done:
            flash(_("Till %(name)s was saved.", name=saved.name), "success")
            return redirect(url_for(".tills"))
    return render_template("till/office/till_form.html", form=form, till=till)
