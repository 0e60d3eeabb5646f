"""Intake screen, item pages, label printing."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from store.branches import web as branch_web
from store.core import storage
from store.core.access import Role, roles
from store.core.errors import ValidationError
from store.core.money import parse_cents
from store.core.settings import get_setting
from store.core.timeutil import local_today
from store.core.web import attempt, back, current_actor, device_till_id
from store.extensions import db
from store.goods import labels, services
from store.goods.forms import (
    CONDITION_LABELS,
    REASON_LABELS,
    STATUS_LABELS,
    CorrectionForm,
    IntakeForm,
    PhotoForm,
    PriceForm,
    ReserveForm,
    SafetyTestForm,
    WriteOffForm,
)
from store.goods.models import StockMovement
from store.printing import services as printing

bp = Blueprint("goods", __name__)
# An item of a branch the user does not work in does not exist for them.
branch_web.guard(bp, "item_id", services.item_branch_id)

FLOOR = (Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)  # who works with the goods
INTAKE_FIELDS = {"tested_on": "test_on", "tester": "test_by"}  # service field → form field
MANAGE = (Role.SUPERVISOR, Role.ADMIN)


def _entry_from_form(form: IntakeForm) -> services.IntakeEntry:
    test = None
    if form.test_on.data or form.test_by.data or form.test_passed.data:
        test = {
            "tested_on": form.test_on.data or "",
            "tester": form.test_by.data or "",
            "passed": form.test_passed.data == "yes",
            "values": form.test_values.data,
        }
    return services.IntakeEntry(
        category_id=form.category.data or None,
        description=form.description.data or "",
        price_cents=_price(form.price.data),
        quantity=form.quantity.data if form.quantity.data is not None else 1,
        condition=form.condition.data or "good",
        size=form.size.data,
        colour=form.colour.data,
        brand=form.brand.data,
        location=form.location.data,
        donor_name=form.donor_name.data,
        safety_test=test,
    )


def _price(text: str | None) -> int | None:
    """The typed price; a wrong one is shown at the price field, not only at the top."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parse_cents(text)
    except ValidationError as error:
        raise ValidationError(error.message, field="price") from None


SESSION_CODES = 300  # the labels of one intake session (one PDF sheet set) at most


def _remember(entry: services.IntakeEntry, items) -> None:
    """The last entry (for "Same again") and every code booked in this intake session."""
    codes = [*session.get("intake_codes", []), *(i.code for i in items)]
    session["intake_codes"] = codes[-SESSION_CODES:]
    session["last_intake"] = {
        "codes": [i.code for i in items][:100],
        "entry": {k: v for k, v in vars(entry).items() if k not in ("donor_name", "safety_test")},
    }


def _book(entry: services.IntakeEntry):
    """Book an intake and queue its labels; they print once the request has committed."""
    actor = current_actor()
    items = services.take_in_items(actor, [entry], branch_id=branch_web.current_branch().id)
    return items, services.queue_labels(actor, items)


@bp.route("/intake", methods=["GET", "POST"])
@roles(*FLOOR)
def intake():
    form = IntakeForm()
    categories = services.list_categories()
    form.category.choices = [(0, _("– choose –"))] + [(c.id, c.path) for c in categories]
    last = session.get("last_intake")
    if not form.is_submitted() and last:
        # The next item is most often of the same category: it stays chosen.
        form.category.data = last["entry"].get("category_id") or 0
    if form.validate_on_submit():
        with attempt(form, INTAKE_FIELDS, flash_too=True) as done:
            entry = _entry_from_form(form)
            items, jobs = _book(entry)
        if done:
            _remember(entry, items)
            _flash_booked(items, jobs)
            return redirect(url_for("goods.intake"))
    elif form.is_submitted():
        flash(_("Please check the marked fields."), "error")
    recent = services.items_by_codes(session.get("intake_codes", []))
    label_jobs = {item.id: (printing.jobs_for(("item", str(item.id))) or [None])[-1] for item in recent}
    return render_template(
        "goods/intake.html",
        form=form,
        categories=categories,
        recent=recent,
        last=last,
        label_jobs=label_jobs,
        condition_labels=CONDITION_LABELS,
        printer=services.label_printer(current_actor().till_id, branch_web.current_branch().id),
        today=local_today(),
    )


@bp.post("/intake/new")
@roles(*FLOOR)
def intake_new():
    """Start a new intake session: the list and the label sheet begin empty."""
    session.pop("intake_codes", None)
    session.pop("last_intake", None)
    return redirect(url_for("goods.intake"))


@bp.get("/intake/labels")
@roles(*FLOOR)
def intake_labels():
    """The labels of this intake session on one sheet, with the way back to the intake."""
    recent = services.items_by_codes(session.get("intake_codes", []))
    return render_template("goods/intake_labels.html", recent=recent)


@bp.post("/intake/repeat")
@roles(*FLOOR)
def intake_repeat():
    """Book the last entry again (one key: F2)."""
    last = session.get("last_intake")
    if not last:
        flash(_("There is no last entry to repeat."), "error")
        return redirect(url_for("goods.intake"))
    entry = services.IntakeEntry(**last["entry"])
    with attempt() as done:
        items, jobs = _book(entry)
    if done:
        _remember(entry, items)
        _flash_booked(items, jobs)
    return redirect(url_for("goods.intake"))


def _flash_booked(items, jobs) -> None:
    if jobs:
        flash(_("%(n)s item(s) booked. The labels are printing.", n=len(items)), "success")
    else:
        flash(
            _(
                "%(n)s item(s) booked. No label printer is set up: print the labels as PDF.",
                n=len(items),
            ),
            "success",
        )


# ---------------------------------------------------------------- items


@bp.get("/items")
@roles(*FLOOR)
def items():
    search = services.ItemSearch(
        text=request.args.get("q", ""),
        category_id=request.args.get("category", type=int),
        status=request.args.get("status", "in_stock") or None,
        min_weeks=request.args.get("weeks", type=int),
        location=request.args.get("location") or None,
        branch_ids=branch_web.scope_ids(),
    )
    page = services.search_items(search, page=request.args.get("page", 1, type=int))
    today = local_today()
    return render_template(
        "goods/items.html",
        page=page,
        search=search,
        categories=services.list_categories(),
        locations=services.locations(),
        status_labels=STATUS_LABELS,
        quotes={i.id: services.current_price(i, today) for i in page.items},
        reserved=services.reservations_for(page.items),
    )


@bp.get("/items/scan")
@roles(*FLOOR)
def item_scan():
    """A scanned code from the search field: straight to the item."""
    code = request.args.get("code", "").strip()
    try:
        if services.is_reservation_number(code):  # a customer's reservation number: its item
            item = services.find_reservation(code).item
        else:
            item = services.find_item(code)
    except services.NotFoundError as error:
        flash(error.message, "error")
        return redirect(url_for("goods.items", q=code))
    return redirect(url_for("goods.item", item_id=item.id))


@bp.get("/items/<int:item_id>")
@roles(*FLOOR)
def item(item_id: int):
    item = services.get_item(item_id)
    quote = services.current_price(item)
    blocked = services.sale_block(item)
    corrected = {m.reverses_id for m in item.movements if m.reverses_id}
    jobs = printing.jobs_for(("item", str(item.id)))
    return render_template(
        "goods/item.html",
        item=item,
        quote=quote,
        blocked=blocked,
        corrected=corrected,
        jobs=jobs,
        status_labels=STATUS_LABELS,
        condition_labels=CONDITION_LABELS,
        reason_labels=REASON_LABELS,
        write_off_form=WriteOffForm(prefix="wo"),
        price_form=PriceForm(prefix="pr"),
        test_form=SafetyTestForm(prefix="st"),
        correction_form=CorrectionForm(prefix="co"),
        photo_form=PhotoForm(prefix="ph"),
        reservation=services.active_reservation(item),
        reserve_form=ReserveForm(prefix="rs"),
        device_till=device_till_id(),
    )


@bp.post("/items/<int:item_id>/label")
@roles(*FLOOR)
def item_label(item_id: int):
    item = services.get_item(item_id)
    jobs = services.queue_labels(current_actor(), [item])
    if not jobs:
        flash(_("No label printer is set up: print the label as PDF."), "error")
        return redirect(url_for("goods.item", item_id=item.id))
    flash(_("The label is printing again."), "success")
    return redirect(back(url_for("goods.item", item_id=item.id)))


@bp.post("/items/<int:item_id>/write-off")
@roles(*MANAGE)
def item_write_off(item_id: int):
    item = services.get_item(item_id)
    form = WriteOffForm(prefix="wo")
    if form.validate_on_submit():
        return _run(
            lambda: services.write_off(current_actor(), item, form.reason.data, form.note.data),
            _("The item was written off."),
            item,
        )
    return _invalid(item)


@bp.post("/items/<int:item_id>/price")
@roles(*MANAGE)
def item_price(item_id: int):
    item = services.get_item(item_id)
    form = PriceForm(prefix="pr")
    if form.validate_on_submit():
        return _run(
            lambda: services.change_price(
                current_actor(), item, parse_cents(form.price.data), form.note.data
            ),
            _("The new price is booked. Please print a new label."),
            item,
        )
    return _invalid(item)


@bp.post("/items/<int:item_id>/safety-test")
@roles(*FLOOR)
def item_safety_test(item_id: int):
    item = services.get_item(item_id)
    form = SafetyTestForm(prefix="st")
    if form.validate_on_submit():
        return _run(
            lambda: services.record_safety_test(
                current_actor(),
                item,
                tested_on=form.tested_on.data,
                tester=form.tester.data,
                passed=form.passed.data == "yes",
                values=form.values.data,
            ),
            _("The safety test was recorded."),
            item,
        )
    return _invalid(item)


@bp.post("/movements/<int:movement_id>/correct")
@roles(*MANAGE)
def movement_correct(movement_id: int):
    movement = db.get_or_404(StockMovement, movement_id)
    form = CorrectionForm(prefix="co")
    item = movement.item
    if form.validate_on_submit():
        return _run(
            lambda: services.correct_movement(current_actor(), movement, form.note.data),
            _("The booking was corrected with a counter-booking."),
            item,
        )
    return _invalid(item)


def _run(action, message: str, item):
    with attempt() as done:
        action()
    if done:
        flash(message, "success")
    return redirect(url_for("goods.item", item_id=item.id) if item else url_for("goods.items"))


def _invalid(item):
    flash(_("Please fill in the marked fields."), "error")
    return redirect(url_for("goods.item", item_id=item.id) if item else url_for("goods.items"))


@bp.post("/items/<int:item_id>/photo")
@roles(*FLOOR)
def item_photo_upload(item_id: int):
    item = services.get_item(item_id)
    form = PhotoForm(prefix="ph")
    if form.validate_on_submit():
        return _run(
            lambda: services.save_photo(current_actor(), item, form.photo.data.stream),
            _("The photo was saved."),
            item,
        )
    return _invalid(item)


@bp.get("/items/<int:item_id>/photo.jpg")
@roles(*FLOOR)
def item_photo(item_id: int):
    item = services.get_item(item_id)
    if not item.photo:
        abort(404)
    return storage.send(services.photo_key(item.photo), "image/jpeg")


# ---------------------------------------------------------------- PDF labels


@bp.get("/labels.pdf")
@roles(*FLOOR)
def labels_pdf():
    """Labels of the given codes on an A4 sticker sheet (?codes=…&skip=N&qr=1)."""
    code_list = [c for c in request.args.get("codes", "").split(",") if c][:1000]
    found = services.items_by_codes(code_list)
    if not found:
        abort(404)
    layout = get_setting("label_sheet")
    skip = min(max(request.args.get("skip", 0, type=int), 0), 40)
    with_qr = request.args.get("qr", "1" if get_setting("label_qr") else "") == "1"
    pdf = labels.pdf_sheet(found, layout, skip=skip, with_qr=with_qr)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": "inline; filename=etiketten.pdf"},
    )
