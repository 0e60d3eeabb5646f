"""Users, sign-in by password, badge or PIN, throttling, and API tokens."""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from store.auth.models import ApiToken, LoginAttempt, User
from store.branches.models import Branch
from store.core.access import Role
from store.core.audit import Actor, AuditEntry, audit
from store.core.errors import ConflictError, NotFoundError, ValidationError
from store.core.timeutil import as_utc, utcnow
from store.extensions import db

_hasher = PasswordHasher()

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
BADGE = re.compile(r"^[A-Za-z0-9-]{4,64}$")
PIN = re.compile(r"^\d{4,8}$")
MIN_PASSWORD = 8


class LoginError(ValidationError):
    """Sign-in refused. The message never tells which part was wrong."""

    status = 401
    title = "Unauthorized"


class LockedError(LoginError):
    status = 429
    title = "Too Many Requests"


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def _verify(hashed: str | None, secret: str) -> bool:
    if not hashed:
        return False
    try:
        return _hasher.verify(hashed, secret)
    except (VerificationError, InvalidHashError):
        return False


# ---------------------------------------------------------------- users


def create_user(
    actor: Actor,
    *,
    username: str,
    role: Role | str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    badge: str | None = None,
    pin: str | None = None,
    locale: str | None = None,
    now: datetime | None = None,
) -> User:
    """Create a user; username and badge must be free."""
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        raise ValidationError(
            _("User names use 2 to 64 small letters, digits, dots, dashes or underscores."),
            field="username",
        )
    role = _role(role)
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise ConflictError(
            _("The user name %(name)s is already taken.", name=username), field="username"
        )
    user = User(
        username=username,
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        locale=locale,
        created_at=now or utcnow(),
        is_active_account=True,
    )
    db.session.add(user)
    if password is not None:
        _set_password(user, password)
    if badge:
        _set_badge(user, badge)
    if pin:
        _set_pin(user, pin)
    audit(actor, "user.create", user, {"username": username, "role": role.value}, now=now)
    return user


def update_user(
    actor: Actor,
    user: User,
    *,
    first_name: str | None = None,
    last_name: str | None = None,
    role: Role | str | None = None,
    is_active: bool | None = None,
) -> User:
    """Change a user's name, role or whether they may sign in."""
    changes = {}
    if first_name is not None and first_name.strip() != user.first_name:
        user.first_name = changes["first_name"] = first_name.strip()
    if last_name is not None and last_name.strip() != user.last_name:
        user.last_name = changes["last_name"] = last_name.strip()
    if role is not None and _role(role) != user.role:
        if user.id == actor.user_id:
            raise ValidationError(_("You cannot change your own role."), field="role")
        user.role = _role(role)
        changes["role"] = user.role.value
    if is_active is not None and is_active != user.is_active_account:
        if user.id == actor.user_id and not is_active:
            raise ValidationError(_("You cannot deactivate yourself."))
        user.is_active_account = is_active
        changes["is_active"] = is_active
    if changes:
        audit(actor, "user.update", user, changes)
    return user


def set_password(actor: Actor, user: User, password: str) -> None:
    _set_password(user, password)
    audit(actor, "user.password", user)


def set_badge(actor: Actor, user: User, badge: str | None) -> None:
    _set_badge(user, badge)
    audit(actor, "user.badge", user, {"badge": "set" if badge else "removed"})


def set_pin(actor: Actor, user: User, pin: str | None) -> None:
    _set_pin(user, pin)
    audit(actor, "user.pin", user, {"pin": "set" if pin else "removed"})


def set_locale(actor: Actor, user: User, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise ValidationError(_("This language is not available."))
    user.locale = locale


def unlock(actor: Actor, user: User) -> None:
    user.locked_until = None
    audit(actor, "user.unlock", user)


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFoundError(_("This user does not exist."))
    return user


def list_users(role: Role | None = None, include_inactive: bool = True) -> list[User]:
    query = (
        sa.select(User)
        .order_by(User.role, User.last_name, User.first_name)
        .options(so.selectinload(User.branches))  # the user list shows them
    )
    if role is not None:
        query = query.where(User.role == role)
    if not include_inactive:
        query = query.where(User.is_active_account.is_(True))
    return list(db.session.scalars(query))


def pin_users() -> list[User]:
    """Active users who can sign in at a till with a PIN, for the name buttons there."""
    query = (
        sa.select(User)
        .where(User.is_active_account.is_(True), User.pin_hash.is_not(None))
        .order_by(User.first_name, User.last_name)
    )
    return list(db.session.scalars(query))


def pin_user(user_id: int) -> User | None:
    """The user picked at a till, if they may sign in there with a PIN (active, with a PIN)."""
    user = db.session.get(User, user_id)
    if user is None or user.pin_hash is None or not user.is_active_account:
        return None
    return user


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise ValidationError(_("Unknown role: %(role)s", role=role), field="role") from None


def _set_password(user: User, password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(
            _("The password needs at least %(n)s characters.", n=MIN_PASSWORD), field="password"
        )
    user.password_hash = hash_secret(password)


def _set_badge(user: User, badge: str | None) -> None:
    badge = (badge or "").strip() or None
    if badge is not None:
        if not BADGE.match(badge):
            raise ValidationError(_("A badge code has 4 to 64 letters or digits."), field="badge")
        taken = db.session.scalar(sa.select(User.id).where(User.badge == badge, User.id != user.id))
        if taken:
            raise ConflictError(_("This badge belongs to someone else."), field="badge")
    user.badge = badge


def _set_pin(user: User, pin: str | None) -> None:
    pin = (pin or "").strip() or None
    if pin is not None and not PIN.match(pin):
        raise ValidationError(_("A PIN has 4 to 8 digits."), field="pin")
    user.pin_hash = hash_secret(pin) if pin else None


# ---------------------------------------------------------------- sign-in


def authenticate_password(
    username: str, password: str, *, address: str | None = None, now: datetime | None = None
) -> User:
    """The user with this name and password, or LoginError."""
    now = now or utcnow()
    _check_address(address, now)
    user = db.session.scalar(sa.select(User).where(User.username == (username or "").strip().lower()))
    return _finish_login(
        user, "password", user is not None and _verify(user.password_hash, password or ""), address, now
    )


def authenticate_badge(badge: str, *, address: str | None = None, now: datetime | None = None) -> User:
    """The user whose staff card was scanned, or LoginError."""
    now = now or utcnow()
    _check_address(address, now)
    code = (badge or "").strip()
    user = db.session.scalar(sa.select(User).where(User.badge == code)) if code else None
    return _finish_login(user, "badge", user is not None, address, now)


def authenticate_pin(
    user_id: int, pin: str, *, address: str | None = None, now: datetime | None = None
) -> User:
    """The user picked at the till, if the PIN matches; or LoginError."""
    now = now or utcnow()
    _check_address(address, now)
    user = db.session.get(User, user_id)
    return _finish_login(
        user, "pin", user is not None and _verify(user.pin_hash, pin or ""), address, now
    )


def _finish_login(user: User | None, method: str, ok: bool, address: str | None, now: datetime) -> User:
    cfg = current_app.config
    if user is not None and user.locked_until and user.locked_until > now:
        _attempt(user, method, False, address, now)
        raise LockedError(
            _(
                "Too many failed attempts. Please try again in %(n)s minutes or ask your supervisor.",
                n=cfg["LOGIN_LOCK_MINUTES"],
            )
        )
    if ok and user.is_active_account:
        _attempt(user, method, True, address, now)
        return user
    _attempt(user, method, False, address, now)
    if user is not None:
        window = now - timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
        last_ok = db.session.scalar(
            sa.select(sa.func.max(LoginAttempt.at)).where(
                LoginAttempt.user_id == user.id, LoginAttempt.success.is_(True)
            )
        )
        since = max(window, last_ok) if last_ok else window
        failures = db.session.scalar(
            sa.select(sa.func.count()).where(
                LoginAttempt.user_id == user.id,
                LoginAttempt.success.is_(False),
                LoginAttempt.at > since,
            )
        )
        if failures >= cfg["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
            audit(Actor.system("web"), "user.locked", user, {"failures": failures}, now=now)
    messages = {
        "password": _("User name or password is wrong."),
        "badge": _("This card is not known. Please ask your supervisor."),
        "pin": _("The PIN is wrong."),
    }
    if user is not None and not user.is_active_account:
        raise LoginError(_("This account is switched off. Please ask your supervisor."))
    raise LoginError(messages[method])


def _check_address(address: str | None, now: datetime) -> None:
    if not address:
        return
    cfg = current_app.config
    window = now - timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
    failures = db.session.scalar(
        sa.select(sa.func.count()).where(
            LoginAttempt.address == address,
            LoginAttempt.success.is_(False),
            LoginAttempt.at > window,
        )
    )
    if failures >= cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        raise LockedError(
            _(
                "Too many failed attempts from this device. Please wait %(n)s minutes.",
                n=cfg["LOGIN_LOCK_MINUTES"],
            )
        )


def _attempt(user: User | None, method: str, success: bool, address: str | None, now: datetime) -> None:
    db.session.add(
        LoginAttempt(
            at=now, method=method, user_id=user.id if user else None, address=address, success=success
        )
    )


# ---------------------------------------------------------------- audit log


def audit_entries(action: str = "", *, page: int = 1, per_page: int = 50):
    """The audit log, newest first, optionally only actions starting with `action`, as a page."""
    query = sa.select(AuditEntry).order_by(AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# ---------------------------------------------------------------- API tokens

TOKEN_PREFIX = "kh_"  # noqa: S105 - a marker, not a secret


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


TOKEN_SCOPES = ("read", "write", "print")  # "print": only a print agent's calls (store.printing)
MAX_TOKEN_DAYS = 3660  # as store.auth.forms.MAX_TOKEN_DAYS
# last_used_at is written at most this often, so busy tokens do not make every request a write.
LAST_USED_EVERY = timedelta(minutes=5)


def create_api_token(
    actor: Actor,
    user: User,
    name: str = "",
    *,
    scope: str = "write",
    days: int | None = None,
    branch_id: int | None = None,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user`, valid `days` (API_TOKEN_DAYS by default) with `scope` "read" (GET
    only), "write", or "print" (only what a print agent calls; with `branch_id`, only the jobs of
    that branch's printers); the plain token is returned once and never stored."""
    now = as_utc(now)
    if not user.is_active_account:
        raise ValidationError(_("This account is switched off."))
    if scope not in TOKEN_SCOPES:
        raise ValidationError(_("Please choose what the token may do."), field="scope")
    _check_token_branch(scope, branch_id)
    days = days or current_app.config["API_TOKEN_DAYS"]
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(_("A token is valid for 1 to %(n)s days.", n=MAX_TOKEN_DAYS), field="days")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=(name or "").strip()[:80] or _("API token"),
        token_hash=_digest(plain),
        prefix=plain[:10],
        created_at=now,
        created_by_id=actor.user_id,
        scope=scope,
        expires_at=now + timedelta(days=days),
        branch_id=branch_id,
    )
    db.session.add(token)
    audit(
        actor,
        "api_token.create",
        token,
        {
            "user": user.username,
            "prefix": token.prefix,
            "scope": scope,
            "days": days,
            "branch": branch_id,
        },
        now=now,
    )
    return token, plain


def _check_token_branch(scope: str, branch_id: int | None) -> None:
    if branch_id is None:
        return
    if scope != "print":
        raise ValidationError(_("Only a print agent's token belongs to one branch."), field="branch_id")
    if db.session.get(Branch, branch_id) is None:
        raise ValidationError(_("There is no such branch."), field="branch_id")


def revoke_api_token(actor: Actor, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit(actor, "api_token.revoke", token, {"user": token.user.username})


def token_for(plain: str, now: datetime | None = None) -> ApiToken | None:
    """The token, if it is valid now: known, not revoked, not expired, its user active. Notes
    when it was used."""
    now = as_utc(now)
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(  # with its user: one statement per API call
        sa.select(ApiToken)
        .options(so.joinedload(ApiToken.user))
        .where(ApiToken.token_hash == _digest(plain))
    )
    if token is None or token.revoked_at is not None or token.is_expired(now):
        return None
    if not token.user.is_active_account:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
        token.last_used_at = now
    return token


def user_for_token(plain: str) -> User | None:
    """The active user of a valid token."""
    token = token_for(plain)
    return token.user if token is not None else None


def list_api_tokens() -> list[ApiToken]:
    return list(db.session.scalars(sa.select(ApiToken).order_by(ApiToken.created_at.desc())))


def get_api_token(token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFoundError(_("This token does not exist."))
    return token
