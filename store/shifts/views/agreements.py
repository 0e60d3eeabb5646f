"""The agreements of the trainees (coordinators and admins): the list, and the form to make or
change one."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from store.core.access import roles
from store.core.money import parse_cents
from store.core.timeutil import local_today
from store.core.web import attempt, current_actor
from store.shifts import services
from store.shifts.forms import AgreementForm
from store.shifts.views.common import KEEPERS, attendance_bp

# Where a service's field name differs from the form's.
ALIASES = {
    "weekly_minutes": "weekly_hours",
    "hourly_allowance_cents": "hourly_allowance",
    "hours": "weekly_hours",
}


@attendance_bp.get("/agreements")
@roles(*KEEPERS)
def agreements():
    trainees = services.list_trainees(include_inactive=True)
    today = local_today()
    return render_template(
        "shifts/agreements.html",
        today=today,
        rows=[
            (t, services.current_agreement(t.id, today), services.agreements_for(t.id)) for t in trainees
        ],
    )


def _agreement_form(agreement) -> AgreementForm:
    form = (
        AgreementForm(obj=agreement)
        if agreement is not None and request.method == "GET"
        else AgreementForm()
    )
    form.user_id.choices = [("", _("– choose –"))] + [
        (t.id, t.display_name) for t in services.list_trainees(include_inactive=True)
    ]
    if request.method != "GET":
        return form
    if agreement is not None:
        form.measure.data = agreement.measure.value
        form.weekly_hours.data = services.hours_text(agreement.weekly_minutes)
        form.hourly_allowance.data = (
            f"{agreement.hourly_allowance_cents / 100:.2f}".replace(".", ",")
            if agreement.hourly_allowance_cents is not None
            else ""
        )
    else:
        form.user_id.data = request.args.get("user", type=int)
        form.workdays.data = [0, 1, 2, 3, 4]
        form.starts_on.data = local_today()
    return form


def _save_agreement(agreement):
    form = _agreement_form(agreement)
    if form.validate_on_submit():
        with attempt(form, ALIASES) as done:
            weekly = services.parse_hours_per_week(form.weekly_hours.data)
            text = (form.hourly_allowance.data or "").strip()
            allowance = parse_cents(text) if text else None
            saved = services.save_agreement(
                current_actor(),
                agreement,
                user_id=agreement.user_id if agreement else (form.user_id.data or 0),
                measure=form.measure.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                weekly_minutes=weekly,
                workdays=form.workdays.data,
                hourly_allowance_cents=allowance,
                max_months=form.max_months.data,
            )
        if done:
            flash(_("The agreement of %(name)s was saved.", name=saved.user.display_name), "success")
            return redirect(url_for("attendance.agreements"))
    elif form.is_submitted():
        for name in ("starts_on", "ends_on", "max_months"):
            if form[name].errors:
                form[name].errors = [_("Please check this value.")]
    return render_template("shifts/agreement_form.html", form=form, agreement=agreement)


@attendance_bp.route("/agreements/new", methods=["GET", "POST"])
@roles(*KEEPERS)
def agreement_new():
    return _save_agreement(None)


@attendance_bp.route("/agreements/<int:agreement_id>", methods=["GET", "POST"])
@roles(*KEEPERS)
def agreement_edit(agreement_id: int):
    return _save_agreement(services.get_agreement(agreement_id))
