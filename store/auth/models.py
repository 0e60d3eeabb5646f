"""Users, their roles and credentials, API tokens, and the record of login attempts."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin

from store.branches.models import Branch, user_branch
from store.core.access import Role
from store.core.types import UTCDateTime
from store.extensions import db


class User(UserMixin, db.Model):
    """Someone who signs in: trainee, supervisor, coordinator or admin."""

    __tablename__ = "user"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    # Shown on screens and, as first name only, on receipts.
    first_name: so.Mapped[str] = so.mapped_column(sa.String(80))
    last_name: so.Mapped[str] = so.mapped_column(sa.String(80))
    role: so.Mapped[Role] = so.mapped_column(
        sa.Enum(Role, native_enum=False, length=16, values_callable=lambda e: [r.value for r in e])
    )
    password_hash: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    # The barcode on the staff card; scanning it at a till signs the person in.
    badge: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)
    pin_hash: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    # The screens' language, a catalogue name from LANGUAGES (e.g. "ar", "de@simple"); None: the store's.
    locale: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    is_active_account: so.Mapped[bool] = so.mapped_column(default=True)
    locked_until: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    # The branches the user works in (trainees and supervisors see those; coordinators and admins all).
    branches: so.Mapped[list[Branch]] = so.relationship(secondary=user_branch, order_by=Branch.name)

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated user cannot sign in
        return self.is_active_account

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username

    @property
    def short_name(self) -> str:
        """First name and initial: what a till shows."""
        initial = f" {self.last_name[:1]}." if self.last_name else ""
        return f"{self.first_name}{initial}" if self.first_name else self.username

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the API. Only its SHA-256 is stored; it acts with its user's role."""

    __tablename__ = "api_token"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    # The first characters, to tell tokens apart in lists without revealing them.
    prefix: so.Mapped[str] = so.mapped_column(sa.String(12))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # After this moment the token no longer works (API_TOKEN_DAYS after it was made, by default).
    expires_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # "read": GET only; "write": everything its user's role allows.
    scope: so.Mapped[str] = so.mapped_column(sa.String(8), default="write", server_default="write")
    # A print agent's token ("print") of one branch claims only the jobs of that branch's printers;
    # None: every branch (the tokens made before branches).
    branch_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("branch.id"))
    # When it was last used (updated at most every few minutes).
    last_used_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    user: so.Mapped[User] = so.relationship(foreign_keys=[user_id])
    branch: so.Mapped[Branch | None] = so.relationship(foreign_keys=[branch_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


class LoginAttempt(db.Model):
    """Each sign-in attempt, kept to throttle guessing (by account and by address)."""

    __tablename__ = "login_attempt"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
    method: so.Mapped[str] = so.mapped_column(sa.String(16))  # password | badge | pin
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    address: so.Mapped[str | None] = so.mapped_column(sa.String(64), index=True)
    success: so.Mapped[bool]
