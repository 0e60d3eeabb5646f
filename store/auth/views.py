"""Sign-in pages (password, till badge/PIN), own account, and the admin pages for users and tokens."""

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from store.auth import services
from store.auth.forms import (
    ROLE_LABELS,
    BadgeForm,
    EmptyForm,
    LoginForm,
    PasswordChangeForm,
    PinForm,
    TokenForm,
    UserForm,
)
from store.branches import services as branches
from store.branches import web as branch_web
from store.core import i18n
from store.core.access import Role, public, roles, signed_in
from store.core.errors import ServiceError
from store.core.i18n import LANG_COOKIE
from store.core.timeutil import utcnow
from store.core.web import attempt, current_actor, safe_next

bp = Blueprint("auth", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


def _sign_in(user, *, till_mode: bool) -> None:
    picked = i18n.picked_before_sign_in()
    session.clear()
    login_user(user)
    if picked:  # a language picked on the sign-in screen becomes the setting of who signs in
        services.set_locale(current_actor(), user, picked)
    session["till_mode"] = till_mode
    session["last_seen"] = int(time.time())


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = services.authenticate_password(
                form.username.data, form.password.data, address=request.remote_addr
            )
        except services.LoginError as error:
            # No rollback: the request commits the failed attempt, which counts towards the lock.
            form.password.errors.append(error.message)
        else:
            _sign_in(user, till_mode=False)
            return redirect(safe_next(form.next.data, url_for("core.home")))
    return render_template("auth/login.html", form=form)


@bp.route("/login/till", methods=["GET", "POST"])
@public
def till_login():
    """The till's sign-in screen: scan the staff card, or pick your name and type the PIN."""
    form = BadgeForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate_badge(form.badge.data, address=request.remote_addr)
        except services.LoginError as error:
            # No rollback: the request commits the failed attempt, which counts towards the lock.
            flash(error.message, "error")
            return redirect(url_for("auth.till_login"))
        _sign_in(user, till_mode=True)
        return redirect(url_for("core.home"))
    return render_template("auth/till_login.html", form=form, people=services.pin_users())


@bp.route("/login/till/pin/<int:user_id>", methods=["GET", "POST"])
@public
def pin_login(user_id: int):
    person = services.pin_user(user_id)
    if person is None:
        return redirect(url_for("auth.till_login"))
    form = PinForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate_pin(user_id, form.pin.data, address=request.remote_addr)
        except services.LoginError as error:
            # No rollback: the request commits the failed attempt, which counts towards the lock.
            form.pin.errors.append(error.message)
        else:
            _sign_in(user, till_mode=True)
            return redirect(url_for("core.home"))
    return render_template("auth/pin_login.html", form=form, person=person)


@bp.post("/logout")
@public
def logout():
    till_mode = session.get("till_mode")
    logout_user()
    session.clear()
    if request.form.get("reason") == "idle":
        flash(_("You were signed out because nobody used the till for a while."), "info")
    return redirect(url_for("auth.till_login" if till_mode else "auth.login"))


@bp.post("/language")
@public
def language():
    """Switch the language; kept on the account and in a cookie, so it survives logout."""
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated:
        services.set_locale(current_actor(), current_user, locale)
    else:
        i18n.pick_before_sign_in(locale)
    response = make_response(redirect(safe_next(request.form.get("next"), url_for("core.home"))))
    response.set_cookie(
        LANG_COOKIE,
        locale,
        max_age=5 * 365 * 86400,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.authenticate_password(
                current_user.username, form.current.data, address=request.remote_addr
            )
            services.set_password(current_actor(), current_user, form.new.data)
        except ServiceError as error:
            # No rollback: a wrong current password is a failed sign-in attempt and counts towards
            # the lock; a refused new password changed nothing. The request commits.
            form.new.errors.append(error.message)
        else:
            flash(_("Your password was changed."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


# ---------------------------------------------------------------- admin: users


@admin_bp.get("/users")
@roles(Role.ADMIN)
def users():
    first = branches.first_branch_id()
    return render_template(
        "admin/users.html",
        users=services.list_users(),
        role_labels=ROLE_LABELS,
        form=EmptyForm(),
        first_branch=branches.get_branch(first).name if first is not None else None,
        sees_all=branches.sees_all,
    )


@admin_bp.route("/users/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def user_new():
    form = UserForm()
    _branch_choices(form, None)
    if form.validate_on_submit():
        with attempt(form) as done:
            user = services.create_user(
                current_actor(),
                username=form.username.data,
                role=form.role.data,
                first_name=form.first_name.data,
                last_name=form.last_name.data or "",
                password=form.password.data or None,
                badge=form.badge.data or None,
                pin=form.pin.data or None,
            )
            if _branches_shown():
                branches.assign_branches(current_actor(), user, form.branches.data or [])
            if not form.is_active.data:
                services.update_user(current_actor(), user, is_active=False)
        if done:
            flash(_("User %(name)s was created.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@admin_bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def user_edit(user_id: int):
    user = services.get_user(user_id)
    form = UserForm(obj=user, is_active=user.is_active_account)
    if request.method == "GET":
        form.role.data = user.role.value
        form.badge.data = user.badge or ""
    _branch_choices(form, user)
    if form.validate_on_submit():
        actor = current_actor()
        with attempt(form) as done:
            services.update_user(
                actor,
                user,
                first_name=form.first_name.data,
                last_name=form.last_name.data or "",
                role=form.role.data,
                is_active=form.is_active.data,
            )
            if _branches_shown():
                branches.assign_branches(actor, user, form.branches.data or [])
            if form.password.data:
                services.set_password(actor, user, form.password.data)
            if (form.badge.data or None) != user.badge:
                services.set_badge(actor, user, form.badge.data or None)
            if form.pin.data:
                services.set_pin(actor, user, form.pin.data)
        if done:
            flash(_("Changes to %(name)s were saved.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, action_form=EmptyForm())


def _branches_shown() -> bool:
    """Whether the form showed the branch checkboxes: a request without them (a client that knows
    no branches) leaves the user's branches as they are."""
    return request.form.get("branches_shown") == "1"


def _branch_choices(form: UserForm, user) -> None:
    """Every branch as a checkbox; checked on a new form: the admin's current branch; on a user's:
    theirs (someone assigned to none works in the first branch)."""
    form.branches.choices = [(b.id, b.name) for b in branches.all_branches()]
    if request.method == "GET":
        if user is None:
            form.branches.data = [branch_web.current_branch().id]
        else:
            own = [b.id for b in user.branches]
            first = branches.first_branch_id()
            form.branches.data = own or ([first] if first is not None else [])


@admin_bp.post("/users/<int:user_id>/unlock")
@roles(Role.ADMIN)
def user_unlock(user_id: int):
    services.unlock(current_actor(), services.get_user(user_id))
    flash(_("The account was unlocked."), "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))


@admin_bp.post("/users/<int:user_id>/pin/remove")
@roles(Role.ADMIN)
def user_pin_remove(user_id: int):
    services.set_pin(current_actor(), services.get_user(user_id), None)
    flash(_("The PIN was removed."), "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))


# ---------------------------------------------------------------- admin: API tokens


@admin_bp.route("/tokens", methods=["GET", "POST"])
@roles(Role.ADMIN)
def tokens():
    form = TokenForm()
    form.user_id.choices = [
        (u.id, f"{u.display_name} ({u.username})") for u in services.list_users(include_inactive=False)
    ]
    form.branch_id.choices = [("", _("All branches"))] + [
        (b.id, b.name) for b in branches.all_branches()
    ]
    new_token = None
    if form.validate_on_submit():
        with attempt():
            _token, new_token = services.create_api_token(
                current_actor(),
                services.get_user(form.user_id.data),
                form.name.data,
                scope=form.scope.data,
                days=form.days.data,
                branch_id=form.branch_id.data if form.scope.data == "print" else None,
            )
    return render_template(
        "admin/tokens.html",
        form=form,
        tokens=services.list_api_tokens(),
        now=utcnow(),
        new_token=new_token,
        action_form=EmptyForm(),
        role_labels=ROLE_LABELS,
    )


@admin_bp.post("/tokens/<int:token_id>/revoke")
@roles(Role.ADMIN)
def token_revoke(token_id: int):
    services.revoke_api_token(current_actor(), services.get_api_token(token_id))
    flash(_("The token was revoked. It no longer works."), "success")
    return redirect(url_for("admin.tokens"))


# ---------------------------------------------------------------- audit log


@admin_bp.get("/audit")
@roles(Role.ADMIN, Role.COORDINATOR)
def audit_log():
    page = max(request.args.get("page", 1, type=int), 1)
    action = request.args.get("action", "").strip()
    entries = services.audit_entries(action, page=page)
    return render_template("admin/audit.html", entries=entries, action=action)
