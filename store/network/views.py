"""Participant record pages (coordinators) and the trainee's "to see" page.

Only coordinators keep participant records. Admins may look for technical support: every page
about a person that an admin opens is audited (services.audited_view), and the page says so.
A view parses, calls store.network.services, then redirects or renders; the request commits. The
"to see" page, the prompt reports and the start-screen notices are in seen_views (same blueprint).
"""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from store.auth.forms import EmptyForm
from store.auth.models import User
from store.core.access import Role, may, roles
from store.core.i18n import local_date
from store.core.timeutil import local_today
from store.core.web import attempt, current_actor
from store.network import labels, services
from store.network.forms import (
    ConsentForm,
    ExitForm,
    RecordForm,
    ShownForm,
    WithdrawForm,
    yes_no,
    yes_no_value,
)
from store.network.models import Consent, ConsentScope, ParticipantRecord
from store.shifts import services as shifts
from store.shifts.labels import CODE_LABELS, MEASURE_LABELS, MEASURE_SHORT

bp = Blueprint("network", __name__, url_prefix="/participants")

KEEPERS = (Role.COORDINATOR, Role.ADMIN)
SENSITIVE_FIELDS = ("disability", "minority")
REPORT_KINDS = {"unexcused": _l("unexcused absence"), "dropout": _l("dropout")}
# The service's field names of the exit → the form's.
EXIT_FIELDS = {
    "exit_reason": "reason",
    "exit_job_seeking": "job_seeking",
    "exit_in_education": "in_education",
    "exit_qualification": "qualification",
    "exit_employed": "employed",
}


def ui() -> dict:
    """Words the templates of this area use, and whether this look is logged (admins)."""
    return {
        "genders": labels.GENDERS,
        "employment": labels.EMPLOYMENT,
        "education_labels": labels.EDUCATION,
        "exit_reasons": labels.EXIT_REASONS,
        "scope_labels": labels.SCOPES,
        "basis_labels": labels.BASES,
        "age_bands": labels.AGE_BANDS,
        "field_labels": labels.FIELD_LABELS,
        "yes_no": labels.YES_NO,
        "code_labels": CODE_LABELS,
        "measure_labels": MEASURE_LABELS,
        "measure_short": MEASURE_SHORT,
        "report_kinds": REPORT_KINDS,
        "logged_view": current_user.is_authenticated and services.looks_are_logged(current_user),
        "words": words,
    }


def words(keys, names: dict) -> str:
    """Codes as words, e.g. a consent's scopes or the missing fields: 'hours, skills'."""
    return ", ".join(str(names.get(key, key)) for key in keys)


bp.context_processor(ui)


def render_about(template: str, users, what: str, status: int = 200, **context):
    """Render a page about participants. An admin's look at them is audited (nothing happens for
    coordinators); the request commits it, as the page itself changes nothing else."""
    actor = current_actor()
    for user in users:
        services.audited_view(actor, user, what)
    return render_template(template, **context), status


def shown_form(items: services.ToSee) -> ShownForm:
    """The "shown" button's form, carrying the items on the page."""
    return ShownForm(
        formdata=None,
        assessments=",".join(str(a.id) for a in items.assessments),
        absences=",".join(str(e.id) for e in items.absences),
    )


# ---------------------------------------------------------------- the list


@bp.get("/")
@roles(*KEEPERS)
def index():
    today = local_today()
    rows = services.participant_rows(today)
    return render_about(
        "network/participants.html",
        [r.user for r in rows],
        "list",
        rows=rows,
        today=today,
        open_reports=len(services.prompt_reports()),
    )


# ---------------------------------------------------------------- one record


def _downloads(user: User, consents: list[Consent], today: date) -> dict:
    """The Art. 15 download and one per partner a consent covers now, for those who may use the
    export routes (the coordinators: the exports are theirs)."""
    back = url_for("network.participant", user_id=user.id)
    partners = services.consenting_partners(consents, today) if may("exports.partner") else []
    return {
        "data": url_for("exports.data", user_id=user.id, next=back) if may("exports.data") else None,
        "partners": [
            (p, url_for("exports.partner", user_id=user.id, partner_id=p.id, next=back))
            for p in partners
        ],
    }


@bp.get("/<int:user_id>")
@roles(*KEEPERS)
def participant(user_id: int):
    user = services.get_participant(user_id)
    today = local_today()
    record = services.record_of(user)
    entry_on = services.entry_date(user.id)
    consents = services.consents_of(user.id)
    items = services.to_see(user)
    return render_about(
        "network/participant.html",
        [user],
        "record",
        participant=user,
        record=record,
        today=today,
        entry_on=entry_on,
        agreements=shifts.agreements_for(user.id),
        current=shifts.current_agreement(user.id, today),
        band=services.age_band(record.birth_date if record else None, entry_on or today),
        missing=services.missing_entry_fields(record),
        sensitive_ok=services.covers(user.id, None, ConsentScope.SENSITIVE, today),
        consents=consents,
        active={c.id for c in consents if services.is_active(c, today)},
        withdraw_forms={
            c.id: WithdrawForm(formdata=None, prefix=f"c{c.id}", withdrawn_on=today)
            for c in consents
            if c.withdrawn_on is None
        },
        items=items,
        shown_form=shown_form(items),
        form=EmptyForm(),
        downloads=_downloads(user, consents, today),
    )


def back_to(user: User, anchor: str = ""):
    return redirect(url_for("network.participant", user_id=user.id) + anchor)


def _anonymised(user: User, record: ParticipantRecord | None):
    """Back to the record page, with the reason, when the record may not change any more."""
    with attempt() as changeable:
        services.check_changeable(record)
    return None if changeable else back_to(user)


def _record_data(record: ParticipantRecord | None) -> dict:
    if record is None:
        return {}
    return {
        "phone": record.phone,
        "email": record.email,
        "birth_date": record.birth_date,
        "referring_partner_id": record.referring_partner_id,
        "referrer_contact": record.referrer_contact,
        "customer_number": record.customer_number,
        "languages": ", ".join(record.languages or []),
        "gender": record.gender.value if record.gender else "",
        "employment_status": record.employment_status.value if record.employment_status else "",
        "education": record.education.value if record.education else "",
        "disability": yes_no_value(record.disability),
        "minority": yes_no_value(record.minority),
    }


def _date_errors(form, names) -> bool:
    """A date the browser could not send as a date: one plain message at the field."""
    found = False
    for name in names:
        if form[name].errors:
            form[name].errors = [_("Please check the date.")]
            found = True
    return found


def _languages(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@roles(*KEEPERS)
def edit(user_id: int):
    user = services.get_participant(user_id)
    record = services.record_of(user)
    if (refused := _anonymised(user, record)) is not None:
        return refused
    sensitive_ok = services.covers(user.id, None, ConsentScope.SENSITIVE, local_today())
    form = RecordForm(data=_record_data(record)) if request.method == "GET" else RecordForm()
    form.referring_partner_id.choices = [("", _("– none –"))] + [
        (p.id, p.name) for p in services.referral_partners(record)
    ]
    # Without the consent the sensitive fields are not on the page: their message is flashed.
    aliases = {"partner": "referring_partner_id"}
    if not sensitive_ok:
        aliases.update(dict.fromkeys(SENSITIVE_FIELDS, ""))
    failed = False
    if form.validate_on_submit():
        with attempt(form, aliases) as done:
            services.save_record(
                current_actor(),
                user,
                phone=form.phone.data,
                email=form.email.data,
                birth_date=form.birth_date.data,
                referring_partner_id=form.referring_partner_id.data,
                referrer_contact=form.referrer_contact.data,
                customer_number=form.customer_number.data,
                languages=_languages(form.languages.data),
                gender=form.gender.data or None,
                employment_status=form.employment_status.data or None,
                education=form.education.data or None,
                disability=yes_no(form.disability.data),
                minority=yes_no(form.minority.data),
            )
        if done:
            flash(_("The record of %(name)s was saved.", name=user.display_name), "success")
            return back_to(user)
        failed = True
    elif form.is_submitted():
        _date_errors(form, ["birth_date"])
        failed = True
    return render_about(
        "network/record_form.html",
        [user],
        "record_form",
        422 if failed else 200,
        form=form,
        participant=user,
        record=record,
        sensitive_ok=sensitive_ok,
    )


@bp.post("/<int:user_id>/complete")
@roles(*KEEPERS)
def complete(user_id: int):
    user = services.get_participant(user_id)
    with attempt() as done:
        services.complete_entry(current_actor(), user)
    if done:
        flash(_("The entry of %(name)s is complete.", name=user.display_name), "success")
    return back_to(user, "#entry")


@bp.route("/<int:user_id>/exit", methods=["GET", "POST"])
@roles(*KEEPERS)
def exit_form(user_id: int):
    user = services.get_participant(user_id)
    record = services.record_of(user)
    if (refused := _anonymised(user, record)) is not None:
        return refused
    if record is not None and record.has_exited:
        flash(_("The exit is recorded already."), "info")
        return back_to(user, "#exit")
    form = ExitForm()
    if request.method == "GET":
        form.exit_on.data = local_today()
    failed = False
    if form.validate_on_submit():
        with attempt(form, EXIT_FIELDS) as done:
            services.record_exit(
                current_actor(),
                user,
                exit_on=form.exit_on.data,
                reason=form.reason.data or None,
                job_seeking=yes_no(form.job_seeking.data),
                in_education=yes_no(form.in_education.data),
                qualification=yes_no(form.qualification.data),
                employed=yes_no(form.employed.data),
            )
        if done:
            flash(_("The exit of %(name)s is recorded.", name=user.display_name), "success")
            return back_to(user, "#exit")
        failed = True
    elif form.is_submitted():
        _date_errors(form, ["exit_on"])
        failed = True
    return render_about(
        "network/exit_form.html",
        [user],
        "exit_form",
        422 if failed else 200,
        form=form,
        participant=user,
        record=record,
    )


# ---------------------------------------------------------------- consents


@bp.route("/<int:user_id>/consents/new", methods=["GET", "POST"])
@roles(*KEEPERS)
def consent_new(user_id: int):
    user = services.get_participant(user_id)
    form = ConsentForm()
    form.partner_id.choices = [("", _("own purposes (no partner)"))] + [
        (p.id, p.name) for p in services.list_partners(include_inactive=False)
    ]
    if request.method == "GET":
        form.given_on.data = local_today()
        form.partner_id.data = request.args.get("partner", type=int)
    failed = False
    if form.validate_on_submit():
        with attempt(form, {"partner": "partner_id"}) as done:
            consent = services.give_consent(
                current_actor(),
                user,
                partner_id=form.partner_id.data,
                scopes=form.scopes.data,
                basis=form.basis.data,
                given_on=form.given_on.data,
            )
        if done:
            flash(
                _(
                    "The consent was recorded (%(whom)s).",
                    whom=consent.partner.name if consent.partner else _("own purposes"),
                ),
                "success",
            )
            return back_to(user, "#consents")
        failed = True
    elif form.is_submitted():
        _date_errors(form, ["given_on"])
        failed = True
    return render_about(
        "network/consent_form.html",
        [user],
        "consent_form",
        422 if failed else 200,
        form=form,
        participant=user,
    )


@bp.post("/<int:user_id>/consents/<int:consent_id>/withdraw")
@roles(*KEEPERS)
def consent_withdraw(user_id: int, consent_id: int):
    user = services.get_participant(user_id)
    consent = services.get_consent(consent_id, participant=user)
    form = WithdrawForm(prefix=f"c{consent.id}")
    form.validate()
    if form.withdrawn_on.errors:
        flash(_("Please check the date."), "error")
        return back_to(user, "#consents")
    with attempt() as done:
        services.withdraw_consent(current_actor(), consent, withdrawn_on=form.withdrawn_on.data)
    if done:
        flash(
            _(
                "The consent is withdrawn from %(day)s on. Nothing it covered is sent any more.",
                day=local_date(consent.withdrawn_on),
            ),
            "success",
        )
    return back_to(user, "#consents")
