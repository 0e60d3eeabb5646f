"""The trainee's own pages: their shifts of this and next week, the secret calendar link and its
iCalendar feed; Kommen / Gehen at the till; and the start-screen panel and notice of this area."""

import io

import qrcode
import qrcode.image.svg
from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from markupsafe import Markup

from store.auth.forms import EmptyForm
from store.core.access import Role, public, roles
from store.core.timeutil import local_today
from store.core.web import attempt, current_actor
from store.shifts import ical, services
from store.shifts.views.common import CONFIRMERS, bp, shift_time

# ---------------------------------------------------------------- my shifts and calendar


@bp.get("/my/shifts")
@roles(Role.TRAINEE)
def mine():
    today = local_today()
    link = session.pop("new_calendar_link", None)
    return render_template(
        "shifts/mine.html",
        weeks=services.own_weeks(current_user.id, today),
        today=today,
        agreement=services.current_agreement(current_user.id, today),
        has_link=services.active_calendar_token(current_user) is not None,
        link=link,
        qr=_qr_svg(link) if link else None,
        form=EmptyForm(),
    )


def _qr_svg(text: str) -> Markup:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return Markup(svg[svg.index("<svg") :])  # noqa: S704 (made here from our own URL)


@bp.post("/my/calendar")
@roles(Role.TRAINEE)
def calendar_create():
    plain = services.create_calendar_token(current_actor(), current_user)
    session["new_calendar_link"] = url_for("shifts.calendar_feed", token=plain, _external=True)
    flash(_("Your calendar link is ready. Any older link no longer works."), "success")
    return redirect(url_for("shifts.mine") + "#calendar")


@bp.post("/my/calendar/revoke")
@roles(Role.TRAINEE)
def calendar_revoke():
    services.revoke_calendar_tokens(current_actor(), current_user)
    flash(_("Your calendar link was switched off."), "success")
    return redirect(url_for("shifts.mine") + "#calendar")


@bp.get("/calendar/<token>.ics")
@public
def calendar_feed(token: str):
    """The secret, revocable feed: the token is the only key, so it answers 404 when unknown."""
    user = services.user_for_calendar_token(token)
    if user is None:
        abort(404)
    body = ical.feed(user, host=request.host.split(":")[0] or "kaufhaus")
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Cache-Control": "private, max-age=300",
            "Content-Disposition": 'inline; filename="schichten.ics"',
        },
    )


# ---------------------------------------------------------------- Kommen / Gehen


def clock_panel(user):
    """The start screen's big Kommen/Gehen buttons, for a trainee signed in at a till."""
    if user.role != Role.TRAINEE or not session.get("till_mode"):
        return None
    today = local_today()
    open_in = services.open_clock_in(user.id)
    shifts = services.shifts_between(today, today, user_ids=[user.id])
    return Markup(  # noqa: S704 (an escaped template)
        render_template(
            "shifts/_clock_panel.html",
            open_in=open_in,
            # Gehen takes the focus (one scan, one press) only when the person signs in already
            # clocked in, never right after Kommen in this sign-in: an extra Enter must not clock out.
            focus_out=open_in is not None and session.get("clocked_in") != open_in.id,
            shifts=shifts,
            form=EmptyForm(),
            shift_time=shift_time,
            clock_time=services.clock_time,
        )
    )


@bp.post("/clock")
@roles(Role.TRAINEE)
def clock():
    """One press after the badge scan. Gehen at a till also signs out, ready for the next one."""
    action = request.form.get("action", "")
    if not session.get("till_mode"):
        flash(_("Please clock in and out at a till: scan your card there."), "error")
        return redirect(url_for("core.home"))
    with attempt() as done:
        event = services.clock(current_actor(), current_user, action)
    if not done:
        return redirect(url_for("core.home"))
    when = services.clock_time(event.at)
    if event.kind.value == "in":
        session["clocked_in"] = event.id
        flash(_("Clocked in at %(time)s.", time=when), "clock")
        return redirect(url_for("core.home"))
    name = current_user.first_name
    logout_user()
    session.clear()
    flash(_("Clocked out at %(time)s. Goodbye, %(name)s!", time=when, name=name), "clock")
    return redirect(url_for("auth.till_login"))


def missing_clock_out_notice(user):
    """Supervisors see forgotten clock-outs of earlier days until someone deals with them."""
    if user.role not in CONFIRMERS:
        return []
    missing = services.missing_clock_outs()
    if not missing:
        return []
    names = ", ".join(f"{m.user.short_name} ({services.day_label(m.day)})" for m in missing[:6])
    more = len(missing) - 6
    text = _("Clock-out missing (%(n)s): %(names)s", n=len(missing), names=names)
    if more > 0:
        text += " " + _("and %(n)s more", n=more)
    return [("warning", text, "attendance.day")]
