"""Skills pages: a participant's own skills and self-assessment; the overview, a participant's
skills, the assessment form and the goals for staff; the catalogue editor; the PDF report.

A view parses, calls store.skills.services, then redirects or renders; the request commits.
"""

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from store.auth.forms import EmptyForm
from store.core.access import ALL_ROLES, Role, roles
from store.core.timeutil import local_today
from store.core.web import attempt, current_actor, int_or_none
from store.skills import report, services
from store.skills.chart import step_chart, time_axis
from store.skills.models import LEVELS

bp = Blueprint("skills", __name__, url_prefix="/skills")

STAFF = (Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN)
ASSESSORS = (Role.SUPERVISOR, Role.ADMIN)
KEEPERS = (Role.COORDINATOR, Role.ADMIN)

FACES = {1: "😟", 2: "😐", 3: "😊", 4: "😀"}


def ui() -> dict:
    return {"levels": LEVELS, "faces": FACES, "level_words": level_words}


bp.context_processor(ui)


def level_words() -> dict[int, str]:
    """Short words beside the faces of the self-assessment."""
    return {1: _("I am starting"), 2: _("With help"), 3: _("On my own"), 4: _("I can show others")}


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _profile(participant, template: str = "skills/profile.html", **extra):
    states = services.skill_states(participant.id)
    today = local_today()
    first, last = time_axis([p.day for s in states for p in s.history], today)
    charts = {
        s.skill.id: step_chart(s.history, first, last, goal=s.goal.target_level if s.goal else None)
        for s in states
    }
    return render_template(
        template,
        participant=participant,
        states=states,
        charts=charts,
        first=first,
        last=last,
        evidence=services.evidence(participant.id),
        groups=services.groups(),
        is_own=current_user.id == participant.id,
        form=EmptyForm(),
        today=today,
        **extra,
    )


# ---------------------------------------------------------------- the participant's own


@bp.get("/mine")
@roles(Role.TRAINEE)
def mine():
    return _profile(current_user)


@bp.post("/mine/self")
@roles(Role.TRAINEE)
def self_assess():
    ratings = [
        services.RatingInput(skill.id, int_or_none(request.form.get(f"level-{skill.id}")))
        for skill in services.skills()
        if request.form.get(f"level-{skill.id}")
    ]
    with attempt() as done:
        services.record_assessment(current_actor(), current_user, local_today(), ratings, is_self=True)
    if done:
        flash(_("Thank you. Your self-assessment is saved."), "success")
    return redirect(url_for("skills.mine"))


# ---------------------------------------------------------------- staff


@bp.get("/")
@roles(*STAFF)
def overview():
    return render_template("skills/overview.html", rows=services.overview())


@bp.get("/participants/<int:user_id>")
@roles(*STAFF)
def participant(user_id: int):
    return _profile(services.get_participant(user_id))


@bp.route("/participants/<int:user_id>/assess", methods=["GET", "POST"])
@roles(*ASSESSORS)
def assess(user_id: int):
    person = services.get_participant(user_id)
    states = {s.skill.id: s for s in services.skill_states(person.id)}
    failed = False
    if request.method == "POST":
        ratings = []
        for skill_id in states:
            level = request.form.get(f"level-{skill_id}")
            if level:
                ratings.append(
                    services.RatingInput(
                        skill_id, int_or_none(level), request.form.get(f"note-{skill_id}")
                    )
                )
        with attempt() as done:
            services.record_assessment(current_actor(), person, _day(request.form.get("date")), ratings)
        if done:
            flash(_("The assessment of %(name)s is saved.", name=person.display_name), "success")
            return redirect(url_for("skills.participant", user_id=person.id))
        failed = True
    return render_template(
        "skills/assess.html",
        participant=person,
        groups=services.groups(),
        states=states,
        form_data=request.form,
        day=request.form.get("date") or local_today().isoformat(),
    ), (422 if failed else 200)


@bp.route("/participants/<int:user_id>/goals", methods=["GET", "POST"])
@roles(*KEEPERS)
def goals(user_id: int):
    person = services.get_participant(user_id)
    failed = False
    if request.method == "POST":
        with attempt() as done:
            services.set_goal(
                current_actor(),
                person,
                skill_id=int_or_none(request.form.get("skill_id")),
                target_level=int_or_none(request.form.get("target_level")),
                due_on=_day(request.form.get("due_on")),
            )
        if done:
            flash(_("The goal is saved."), "success")
            return redirect(url_for("skills.goals", user_id=person.id))
        failed = True
    states = {s.skill.id: s for s in services.skill_states(person.id)}
    return render_template(
        "skills/goals.html",
        participant=person,
        goals=services.goals_of(person.id),
        skills=services.skills(),
        states=states,
        form=EmptyForm(),
    ), (422 if failed else 200)


@bp.post("/goals/<int:goal_id>/close")
@roles(*KEEPERS)
def close_goal(goal_id: int):
    goal = services.get_goal(goal_id)
    with attempt() as done:
        services.close_goal(current_actor(), goal)
    if done:
        flash(_("The goal is closed."), "success")
    return redirect(url_for("skills.goals", user_id=goal.participant_id))


@bp.get("/participants/<int:user_id>/report.pdf")
@roles(*ALL_ROLES)
def report_pdf(user_id: int):
    person = services.visible_participant(current_user, user_id)
    body = report.skills_report(person)
    name = f"Kompetenznachweis-{person.last_name}-{person.first_name}.pdf".replace(" ", "_")
    return Response(
        body, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'}
    )


# ---------------------------------------------------------------- catalogue


@bp.get("/catalogue")
@roles(*KEEPERS)
def catalogue():
    return render_template("skills/catalogue.html", groups=services.groups())


@bp.route("/catalogue/new", methods=["GET", "POST"])
@roles(*KEEPERS)
def skill_new():
    return _skill_form(None)


@bp.route("/catalogue/<int:skill_id>", methods=["GET", "POST"])
@roles(*KEEPERS)
def skill_edit(skill_id: int):
    return _skill_form(services.get_skill(skill_id))


def _skill_form(skill):
    failed = False
    values = {
        "group_id": skill.group_id if skill else None,
        "name": skill.name if skill else "",
        "descriptors": list(skill.descriptors) if skill else ["", "", "", ""],
        "sort": skill.sort if skill else 0,
        "is_active": skill.is_active if skill else True,
    }
    if request.method == "POST":
        values = {
            "group_id": int_or_none(request.form.get("group_id")),
            "name": request.form.get("name", ""),
            "descriptors": [request.form.get(f"descriptor-{n}", "") for n in LEVELS],
            "sort": int_or_none(request.form.get("sort")) or 0,
            "is_active": bool(request.form.get("is_active")),
        }
        with attempt() as done:
            services.save_skill(current_actor(), skill, **values)
        if done:
            flash(_("The skill is saved."), "success")
            return redirect(url_for("skills.catalogue"))
        failed = True
    return render_template(
        "skills/skill_form.html", skill=skill, values=values, groups=services.groups()
    ), (422 if failed else 200)
