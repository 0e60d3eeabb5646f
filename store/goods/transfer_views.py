"""Transfers between branches: the scan page, the transfer and its sheet (PDF)."""

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from store.branches import services as branches
from store.branches import web as branch_web
from store.core.access import STAFF, roles
from store.core.web import attempt, current_actor
from store.goods import services
from store.goods.forms import TransferForm
from store.goods.transfer_sheet import transfer_pdf

bp = Blueprint("transfers", __name__)


@bp.route("/transfers/new", methods=["GET", "POST"])
@roles(*STAFF)
def new():
    form = TransferForm()
    mine = branches.visible(current_user)
    form.from_branch.choices = [(b.id, b.name) for b in mine]
    form.to_branch.choices = [(b.id, b.name) for b in branches.all_branches(active_only=True)]
    if not form.is_submitted():
        here = branch_web.current_branch().id
        form.from_branch.data = here
        # Goods go somewhere else: the first other branch, not the one they are in.
        form.to_branch.data = next((b for b, _name in form.to_branch.choices if b != here), here)
    if form.validate_on_submit():
        codes = form.codes.data.split()
        with attempt(form) as done:
            branches.require_branch_of(current_user, form.from_branch.data)
            transfer = services.transfer_items(
                current_actor(), codes, form.from_branch.data, form.to_branch.data
            )
        if done:
            flash(
                _(
                    "%(n)s items moved to %(branch)s.",
                    n=len(transfer.items),
                    branch=transfer.to_branch.name,
                ),
                "success",
            )
            return redirect(url_for("transfers.show", number=transfer.number))
    return render_template("goods/transfer_new.html", form=form)


def _visible_transfer(number: str) -> services.Transfer:
    transfer = services.get_transfer(number)
    seen = branches.visible_ids(current_user)
    if transfer.from_branch.id not in seen and transfer.to_branch.id not in seen:
        raise services.NotFoundError(_("There is no such transfer."))
    return transfer


@bp.get("/transfers/<number>")
@roles(*STAFF)
def show(number: str):
    return render_template("goods/transfer.html", transfer=_visible_transfer(number[:12]))


@bp.get("/transfers/<number>.pdf")
@roles(*STAFF)
def sheet(number: str):
    transfer = _visible_transfer(number[:12])
    return Response(
        transfer_pdf(transfer),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=umlagerung-{transfer.number}.pdf"},
    )
