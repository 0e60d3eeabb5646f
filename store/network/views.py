"""Participant record pages (coordinators) and the trainee's "to see" page.

Only coordinators keep participant records. Admins may look for technical support: every page
about a person that an admin opens is audited (services.audited_view), and the page says so.
A view parses, calls store.network.services, commits once, then redirects or renders.
"""

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from store.auth.forms import EmptyForm
from store.auth.models import User
from store.core.access import Role, roles
from store.core.errors import NotFoundError, ServiceError
from store.core.i18n import local_date
from store.core.timeutil import local_today
from store.core.web import Tile, current_actor, register_notice, register_tile, show_error
from store.extensions import db
from store.network import labels, services
from store.network.forms import (
    ConsentForm,
    ExitForm,
    RecordForm,
    ReportedForm,
    ShownForm,
    WithdrawForm,
    id_list,
    yes_no,
    yes_no_value,
)
from store.network.models import Consent, ConsentScope, ParticipantRecord
from store.shifts import services as shifts
from store.shifts.labels import CODE_LABELS, MEASURE_LABELS, MEASURE_SHORT
from store.shifts.models import Agreement

bp = Blueprint("network", __name__, url_prefix="/participants")

KEEPERS = (Role.COORDINATOR, Role.ADMIN)
SENSITIVE_FIELDS = ("disability", "minority")
REPORT_KINDS = {"unexcused": _l("unexcused absence"), "dropout": _l("dropout")}


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
        "logged_view": current_user.is_authenticated and current_user.role == Role.ADMIN,
        "words": words,
    }


def words(keys, names: dict) -> str:
    """Codes as words, e.g. a consent's scopes or the missing fields: 'hours, skills'."""
    return ", ".join(str(names.get(key, key)) for key in keys)


bp.context_processor(ui)


def _looked_at(users, what: str) -> None:
    """An admin's look at participants is audited (nothing happens for coordinators); the
    caller commits, as the page itself changes nothing else."""
    actor = current_actor()
    for user in users:
        services.audited_view(actor, user, what)


def _render(template: str, users, what: str, status: int = 200, **context):
    _looked_at(users, what)
    db.session.commit()
    return render_template(template, **context), status


def _shown_form(items: services.ToSee) -> ShownForm:
    return ShownForm(
        formdata=None,
        assessments=",".join(str(a.id) for a in items.assessments),
        absences=",".join(str(e.id) for e in items.absences),
    )


def _picked(user: User, form: ShownForm) -> services.ToSee:
    """The posted items that are still unseen and belong to the person; nothing else."""
    items = services.to_see(user)
    wanted_a, wanted_e = id_list(form.assessments.data), id_list(form.absences.data)
    return services.ToSee(
        assessments=[a for a in items.assessments if a.id in wanted_a],
        absences=[e for e in items.absences if e.id in wanted_e],
    )


def _is_active(consent: Consent, today: date) -> bool:
    return consent.withdrawn_on is None or consent.withdrawn_on > today


# ---------------------------------------------------------------- the list


@dataclass
class Row:
    user: User
    record: ParticipantRecord | None
    agreement: Agreement | None
    entry_on: date | None
    missing: list[str]
    consents: list[Consent]
    open_items: int


@bp.get("/")
@roles(*KEEPERS)
def index():
    today = local_today()
    rows = []
    for user in shifts.list_trainees(include_inactive=True):
        record = services.record_of(user)
        rows.append(
            Row(
                user=user,
                record=record,
                agreement=shifts.current_agreement(user.id, today),
                entry_on=services.entry_date(user.id),
                missing=services.missing_entry_fields(record),
                consents=[c for c in services.consents_of(user.id) if _is_active(c, today)],
                open_items=len(services.to_see(user)),
            )
        )
    return _render(
        "network/participants.html",
        [r.user for r in rows],
        "list",
        rows=rows,
        today=today,
        open_reports=len(services.prompt_reports()),
    )


# ---------------------------------------------------------------- one record


# The exports are another part of this area; the first endpoint that exists is linked.
def _downloads(user: User, consents: list[Consent], today: date) -> dict:
    """The Art. 15 download and one per partner a consent covers now (coordinators only: the
    exports are theirs)."""
    if current_user.role != Role.COORDINATOR:
        return {"data": None, "partners": []}
    back = url_for("network.participant", user_id=user.id)
    partners = {
        c.partner.id: c.partner for c in consents if c.partner is not None and _is_active(c, today)
    }
    return {
        "data": url_for("exports.data", user_id=user.id, next=back),
        "partners": [
            (p, url_for("exports.partner", user_id=user.id, partner_id=p.id, next=back))
            for p in sorted(partners.values(), key=lambda p: p.name)
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
    return _render(
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
        active={c.id for c in consents if _is_active(c, today)},
        withdraw_forms={
            c.id: WithdrawForm(formdata=None, prefix=f"c{c.id}", withdrawn_on=today)
            for c in consents
            if c.withdrawn_on is None
        },
        items=items,
        shown_form=_shown_form(items),
        form=EmptyForm(),
        downloads=_downloads(user, consents, today),
    )


def _back(user: User, anchor: str = ""):
    return redirect(url_for("network.participant", user_id=user.id) + anchor)


def _anonymised(user: User, record: ParticipantRecord | None):
    if record is not None and record.anonymised_at is not None:
        flash(_("This record was anonymised and cannot be changed."), "error")
        return _back(user)
    return None


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
        (p.id, p.name)
        for p in services.list_partners()
        if p.is_active or (record is not None and p.id == record.referring_partner_id)
    ]
    failed = False
    if form.validate_on_submit():
        try:
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
        except ServiceError as error:
            db.session.rollback()
            show_error(
                form,
                error,
                {"partner": "referring_partner_id"},
                flash_too=not sensitive_ok and error.field in SENSITIVE_FIELDS,
            )
            failed = True
        else:
            db.session.commit()
            flash(_("The record of %(name)s was saved.", name=user.display_name), "success")
            return _back(user)
    elif form.is_submitted():
        _date_errors(form, ["birth_date"])
        failed = True
    return _render(
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
    try:
        services.complete_entry(current_actor(), user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_("The entry of %(name)s is complete.", name=user.display_name), "success")
    return _back(user, "#entry")


@bp.route("/<int:user_id>/exit", methods=["GET", "POST"])
@roles(*KEEPERS)
def exit_form(user_id: int):
    user = services.get_participant(user_id)
    record = services.record_of(user)
    if (refused := _anonymised(user, record)) is not None:
        return refused
    if record is not None and record.has_exited:
        flash(_("The exit is recorded already."), "info")
        return _back(user, "#exit")
    form = ExitForm()
    if request.method == "GET":
        form.exit_on.data = local_today()
    failed = False
    if form.validate_on_submit():
        try:
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
        except ServiceError as error:
            db.session.rollback()
            show_error(
                form,
                error,
                {
                    "exit_reason": "reason",
                    "exit_job_seeking": "job_seeking",
                    "exit_in_education": "in_education",
                    "exit_qualification": "qualification",
                    "exit_employed": "employed",
                },
            )
            failed = True
        else:
            db.session.commit()
            flash(_("The exit of %(name)s is recorded.", name=user.display_name), "success")
            return _back(user, "#exit")
    elif form.is_submitted():
        _date_errors(form, ["exit_on"])
        failed = True
    return _render(
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
        try:
            consent = services.give_consent(
                current_actor(),
                user,
                partner_id=form.partner_id.data,
                scopes=form.scopes.data,
                basis=form.basis.data,
                given_on=form.given_on.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error, {"partner": "partner_id"})
            failed = True
        else:
            db.session.commit()
            flash(
                _(
                    "The consent was recorded (%(whom)s).",
                    whom=consent.partner.name if consent.partner else _("own purposes"),
                ),
                "success",
            )
            return _back(user, "#consents")
    elif form.is_submitted():
        _date_errors(form, ["given_on"])
        failed = True
    return _render(
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
    consent = services.get_consent(consent_id)
    if consent.participant_id != user.id:
        raise NotFoundError(_("There is no consent with this number."))
    form = WithdrawForm(prefix=f"c{consent.id}")
    form.validate()
    if form.withdrawn_on.errors:
        flash(_("Please check the date."), "error")
        return _back(user, "#consents")
    try:
        services.withdraw_consent(current_actor(), consent, withdrawn_on=form.withdrawn_on.data)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(
            _(
                "The consent is withdrawn from %(day)s on. Nothing it covered is sent any more.",
                day=local_date(consent.withdrawn_on),
            ),
            "success",
        )
    return _back(user, "#consents")


# ---------------------------------------------------------------- shown to the participant


def _mark_shown(user: User, how: str) -> int | None:
    """Mark the posted items shown; the number marked, or None when it failed (flashed)."""
    items = _picked(user, ShownForm())
    if not len(items):
        return 0
    try:
        count = services.mark_shown(current_actor(), user, items, how=how)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return None
    except IntegrityError:  # marked at the same moment elsewhere: it is seen either way
        db.session.rollback()
        return 0
    return count


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
    return _back(user, "#to-see")


@bp.get("/me/to-see")
@roles(Role.TRAINEE)
def to_see():
    items = services.to_see(current_user)
    return render_template("network/to_see.html", items=items, form=_shown_form(items))


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
    return _render(
        "network/reports.html", people, "reports", reports=found, form=ReportedForm(formdata=None)
    )


@bp.post("/reports/reported")
@roles(*KEEPERS)
def reported():
    form = ReportedForm()
    object_id = form.object_id.data or ""
    try:
        mark = services.mark_reported(
            current_actor(),
            form.object_type.data or "",
            int(object_id) if object_id.isdigit() else 0,
            how=form.how.data or "",
        )
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    except IntegrityError:
        db.session.rollback()
        flash(_("This is reported already, or there is nothing to report."), "error")
    else:
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
