"""Inventory pages: old stock by category, and stocktakes (count a shelf with the scanner)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from store.branches import web as branch_web
from store.core.access import Role, roles
from store.core.web import attempt, current_actor
from store.extensions import db
from store.goods import services
from store.goods.admin_forms import FinishForm, ScanForm, StocktakeStartForm
from store.goods.forms import STATUS_LABELS
from store.goods.models import ItemStatus, Stocktake

bp = Blueprint("inventory", __name__, url_prefix="/inventory")
branch_web.guard(bp, "stocktake_id", services.stocktake_branch_id)

FLOOR = (Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)
MANAGE = (Role.SUPERVISOR, Role.ADMIN)
DEFAULT_WEEKS = 8
WEEK_CHOICES = (4, 8, 12, 26, 52)


# ---------------------------------------------------------------- old stock


@bp.get("/ageing")
@roles(*FLOOR)
def ageing():
    weeks = request.args.get("weeks", DEFAULT_WEEKS, type=int)
    weeks = min(max(weeks, 1), 520)
    rows = services.ageing(weeks)
    return render_template(
        "goods/inventory/ageing.html",
        weeks=weeks,
        rows=rows,
        choices=WEEK_CHOICES,
        total_count=sum(n for _c, n, _v in rows),
        total_value=sum(v for _c, _n, v in rows),
    )


# ---------------------------------------------------------------- stocktakes


@bp.route("/stocktakes", methods=["GET", "POST"])
@roles(*FLOOR)
def stocktakes():
    form = StocktakeStartForm()
    if form.validate_on_submit():
        running = services.open_stocktake(form.location.data, branch_web.current_branch().id)
        if running is not None:
            flash(
                _("The count of %(place)s is already running. Continue here.", place=running.location),
                "info",
            )
            return redirect(url_for("inventory.stocktake", stocktake_id=running.id))
        with attempt(form) as done:
            stocktake = services.start_stocktake(
                current_actor(), form.location.data, branch_id=branch_web.current_branch().id
            )
        if done:
            return redirect(url_for("inventory.stocktake", stocktake_id=stocktake.id))
    return render_template(
        "goods/inventory/stocktakes.html",
        form=form,
        stocktakes=services.list_stocktakes(branch_ids=branch_web.scope_ids()),
        locations=services.locations(),
    )


@bp.get("/stocktakes/<int:stocktake_id>")
@roles(*FLOOR)
def stocktake(stocktake_id: int):
    stocktake = db.get_or_404(Stocktake, stocktake_id)
    scans = list(reversed(stocktake.scans))  # newest first
    # The item just scanned (after an error there is none, so nobody mistakes it for a success).
    wanted = request.args.get("last", type=int)
    last = next((s.item for s in scans if s.item_id == wanted), None)
    if stocktake.finished_at is not None:
        return render_template(
            "goods/inventory/stocktake_done.html",
            stocktake=stocktake,
            scans=scans,
            result=services.stocktake_result(stocktake),
            status_labels=STATUS_LABELS,
        )
    missing = services.missing_items(stocktake)
    finish_form = FinishForm(formdata=None)
    finish_form.write_off.label.text = _("Write off the %(n)s missing items", n=len(missing))
    return render_template(
        "goods/inventory/stocktake.html",
        stocktake=stocktake,
        scans=scans,
        last=last,
        missing=missing,
        scan_form=ScanForm(formdata=None),
        finish_form=finish_form,
        status_labels=STATUS_LABELS,
        in_stock=ItemStatus.IN_STOCK,
    )


@bp.post("/stocktakes/<int:stocktake_id>/scan")
@roles(*FLOOR)
def stocktake_scan(stocktake_id: int):
    stocktake = db.get_or_404(Stocktake, stocktake_id)
    back = url_for("inventory.stocktake", stocktake_id=stocktake.id)
    form = ScanForm()
    code = (form.code.data or "").strip() if form.validate_on_submit() else ""
    if not code:
        return redirect(back)  # Enter on an empty field: nothing to count
    counted_before = {s.item_id for s in stocktake.scans}
    with attempt() as done:
        item = services.scan_for_stocktake(current_actor(), stocktake, code)
    if not done:
        return redirect(back)
    _flash_scan(services.scan_note(stocktake, item, again=item.id in counted_before), item)
    return redirect(url_for("inventory.stocktake", stocktake_id=stocktake.id, last=item.id))


def _flash_scan(note: services.ScanNote, item) -> None:
    """One message per scan: counted, counted twice, or counted but something is odd."""
    if note == services.ScanNote.NOT_IN_STOCK:
        flash(
            _(
                "%(code)s %(text)s: the stock list says %(status)s. Please give it to a supervisor.",
                code=item.code,
                text=item.description,
                status=STATUS_LABELS.get(item.status.value, item.status.value),
            ),
            "warning",
        )
    elif note == services.ScanNote.OTHER_BRANCH:
        flash(
            _(
                "%(code)s %(text)s is stock of branch %(branch)s. Please give it to a supervisor.",
                code=item.code,
                text=item.description,
                branch=item.branch.name,
            ),
            "warning",
        )
    elif note == services.ScanNote.NO_SHELF:
        flash(
            _(
                "Counted: %(code)s %(text)s. It has no shelf in the stock list yet.",
                code=item.code,
                text=item.description,
            ),
            "warning",
        )
    elif note == services.ScanNote.OTHER_SHELF:
        flash(
            _(
                "%(code)s %(text)s belongs to shelf %(place)s. Please put it back there.",
                code=item.code,
                text=item.description,
                place=item.location,
            ),
            "warning",
        )
    elif note == services.ScanNote.AGAIN:
        flash(_("%(code)s was counted already.", code=item.code), "info")
    else:
        flash(_("Counted: %(code)s %(text)s", code=item.code, text=item.description), "success")


@bp.post("/stocktakes/<int:stocktake_id>/finish")
@roles(*MANAGE)
def stocktake_finish(stocktake_id: int):
    stocktake = db.get_or_404(Stocktake, stocktake_id)
    form = FinishForm()
    if not form.validate_on_submit():
        flash(_("Please check the marked fields."), "error")
        return redirect(url_for("inventory.stocktake", stocktake_id=stocktake.id))
    with attempt() as done:
        missing = services.finish_stocktake(
            current_actor(), stocktake, write_off_missing=form.write_off.data, note=form.note.data or ""
        )
    if done:
        if form.write_off.data and missing:
            flash(
                _("The stocktake is finished. %(n)s missing item(s) were written off.", n=len(missing)),
                "success",
            )
        else:
            flash(_("The stocktake is finished. %(n)s item(s) are missing.", n=len(missing)), "success")
    return redirect(url_for("inventory.stocktake", stocktake_id=stocktake.id))
