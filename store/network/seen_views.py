"""What a participant has still to see, and what the Jobcenter must hear about without delay:
the trainee's "to see" page, "shown in a talk" on the record page, the prompt reports, and the
start-screen notices. Routes of the `network` blueprint (store.network.views)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from store.auth.models import User
from store.core.access import Role, roles
from store.core.web import Tile, attempt, current_actor, register_notice, register_tile
from store.extensions import db
from store.network import services
from store.network.forms import ReportedForm, ShownForm, id_list
from store.network.views import KEEPERS, back_to, bp, render_about, shown_form

# ---------------------------------------------------------------- shown to the participant


def _mark_shown(user: User, how: str) -> int | None:
    """Mark the posted items shown; the number marked, or None when it failed (flashed)."""
    form = ShownForm()
    items = services.unseen_among(user, id_list(form.assessments.data), id_list(form.absences.data))
    if not len(items):
        return 0
    count = None
    with attempt() as done:
        count = services.mark_shown(current_actor(), user, items, how=how)
    return count if done else None


@bp.post("/<int:user_id>/shown")
@roles(*KEEPERS)
def shown(user_id: int):
    user = services.get_participant(user_id)
    count = _mark_shown(user, "talk")
    if count:
        flash(
            ngettext(
                "%(num)s item is marked as shown in a talk.",
                "%(num)s items are marked as shown in a talk.",
                count,
            ),
            "success",
        )
    elif count == 0:
        flash(_("There was nothing left to mark."), "info")
    return back_to(user, "#to-see")


@bp.get("/me/to-see")
@roles(Role.TRAINEE)
def to_see():
    items = services.to_see(current_user)
    return render_template("network/to_see.html", items=items, form=shown_form(items))


@bp.post("/me/to-see")
@roles(Role.TRAINEE)
def seen():
    if _mark_shown(current_user, "app"):
        flash(_("Thank you!"), "success")
    return redirect(url_for("network.to_see"))


# ---------------------------------------------------------------- prompt reports


@bp.get("/reports")
@roles(*KEEPERS)
def reports():
    found = services.prompt_reports()
    people = list({r.user.id: r.user for r in found}.values())
    return render_about(
        "network/reports.html", people, "reports", reports=found, form=ReportedForm(formdata=None)
    )


@bp.post("/reports/reported")
@roles(*KEEPERS)
def reported():
    form = ReportedForm()
    object_id = form.object_id.data or ""
    with attempt() as done:
        mark = services.mark_reported(
            current_actor(),
            form.object_type.data or "",
            int(object_id) if object_id.isdigit() else 0,
            how=form.how.data or "",
        )
    if done:
        flash(
            _(
                "Marked as reported: %(name)s.",
                name=db.session.get(User, mark.participant_id).display_name,
            ),
            "success",
        )
    return redirect(url_for("network.reports"))


# ---------------------------------------------------------------- start screen


def reports_notice(user) -> list:
    """Coordinators see that the Jobcenter must hear about something without delay."""
    if user.role != Role.COORDINATOR:
        return []
    count = len(services.prompt_reports())
    if not count:
        return []
    return [
        (
            "warning",
            ngettext(
                "To report to the Jobcenter without delay: %(num)s unexcused absence or dropout.",
                "To report to the Jobcenter without delay: %(num)s unexcused absences or dropouts.",
                count,
            ),
            "network.reports",
        )
    ]


def to_see_notice(user) -> list:
    """A trainee sees that there is something new to look at (before it goes to the Jobcenter)."""
    if user.role != Role.TRAINEE:
        return []
    items = services.to_see(user)
    if not len(items):
        return []
    parts = []
    if items.assessments:
        parts.append(ngettext("%(num)s assessment", "%(num)s assessments", len(items.assessments)))
    if items.absences:
        parts.append(ngettext("%(num)s day", "%(num)s days", len(items.absences)))
    return [("info", _("New for you: %(what)s – please look.", what=", ".join(parts)), "network.to_see")]


def register() -> None:
    """The start-screen tile and notices of this area."""
    register_tile(Tile("network.index", _l("Participants"), "folder", frozenset(KEEPERS), 45))
    register_notice(reports_notice)
    register_notice(to_see_notice)
