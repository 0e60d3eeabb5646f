"""The admin pages of branches, and the header's branch switcher."""

from flask import Blueprint, Flask, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from store.branches import services, web
from store.branches.forms import BranchForm, SwitchForm
from store.branches.models import Branch
from store.core.access import Role, roles, signed_in
from store.core.bounds import is_id
from store.core.web import attempt, back, current_actor
from store.extensions import db

bp = Blueprint("branches", __name__)


def init_app(app: Flask) -> None:
    @app.context_processor
    def branch_switcher():
        """The header's switcher, for someone who sees more than one branch."""
        if not current_user.is_authenticated:
            return {}
        mine = services.visible(current_user)
        if len(mine) < 2:
            return {}
        return {"switch_branches": mine, "switch_chosen": web.chosen_id()}


@bp.post("/branch")
@signed_in
def switch():
    form = SwitchForm()
    if form.validate_on_submit():
        value = form.branch.data or ""
        if value == "all" or not is_id(value):
            session.pop(web.SESSION_KEY, None)
        elif int(value) in services.visible_ids(current_user):
            session[web.SESSION_KEY] = int(value)
    return redirect(back(url_for("core.home")))


@bp.get("/admin/branches")
@roles(Role.ADMIN)
def index():
    return render_template("branches/index.html", branches=services.all_branches())


@bp.route("/admin/branches/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def new():
    return _branch_form(None)


@bp.route("/admin/branches/<int:branch_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit(branch_id: int):
    return _branch_form(db.get_or_404(Branch, branch_id))


def _branch_form(branch: Branch | None):
    form = BranchForm(obj=branch)
    users = services.all_users()
    form.members.choices = [(u.id, f"{u.display_name} ({u.username})") for u in users]
    if branch is not None and not form.is_submitted():
        form.members.data = [u.id for u in branch.members]
    form.label_printer_id.choices = [("", _("The store's label printer"))] + [
        (p.id, p.name) for p in services.printers_of(branch)
    ]
    if form.validate_on_submit():
        with attempt(form) as done:
            saved = services.save_branch(
                current_actor(),
                branch,
                name=form.name.data,
                address=form.address.data or "",
                tax_number=form.tax_number.data or "",
                vat_id=form.vat_id.data or "",
                is_active=form.is_active.data,
                label_printer_id=form.label_printer_id.data,
            )
            wanted = set(form.members.data or [])
            services.set_members(current_actor(), saved, [u for u in users if u.id in wanted])
        if done:
            flash(_("The branch was saved."), "success")
            return redirect(url_for("branches.index"))
    return render_template("branches/form.html", form=form, branch=branch)
