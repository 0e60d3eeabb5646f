"""What auth holds about a person: the account, API tokens and sign-in attempts (registered with
store.core.personal_data for the Art. 15 export and the retention run)."""

from datetime import datetime

import sqlalchemy as sa

from store.auth.models import ApiToken, LoginAttempt, User
from store.core.personal_data import Section, register
from store.extensions import db


def person(user: User, now: datetime) -> dict:
    """The account, without password and PIN (only their hashes are stored)."""
    return {
        "id": user.id,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "badge": user.badge,
        "locale": user.locale,
        "is_active": user.is_active_account,
        "has_password": user.password_hash is not None,
        "has_pin": user.pin_hash is not None,
        "locked_until": user.locked_until,
        "created_at": user.created_at,
    }


def anonymise_person(user: User, actor, now: datetime) -> None:
    """No name, sign-in or badge stays; the account cannot be used any more."""
    user.username = f"anon-{user.id}"
    user.first_name = user.last_name = ""
    user.password_hash = user.pin_hash = user.badge = user.locale = None
    user.is_active_account = False
    user.locked_until = None


def api_tokens(user: User, now: datetime) -> list:
    tokens = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    )
    return [
        {
            "id": t.id,
            "name": t.name,
            "prefix": t.prefix,
            "created_at": t.created_at,
            "revoked_at": t.revoked_at,
        }
        for t in tokens
    ]


def revoke_api_tokens(user: User, actor, now: datetime) -> None:
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def login_attempts(user: User, now: datetime) -> list:
    attempts = db.session.scalars(
        sa.select(LoginAttempt).where(LoginAttempt.user_id == user.id).order_by(LoginAttempt.at)
    )
    return [
        {"at": a.at, "method": a.method, "success": a.success, "address": a.address} for a in attempts
    ]


def delete_login_attempts(user: User, actor, now: datetime) -> None:
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.user_id == user.id))


register(
    Section("person", person, anonymise_person, audit_type="user"),
    Section("api_tokens", api_tokens, revoke_api_tokens, audit_type="api_token"),
    Section("login_attempts", login_attempts, delete_login_attempts),
)
