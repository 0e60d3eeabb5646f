"""The append-only audit log: who did what, when, from where.

Rows are only ever inserted. The database refuses UPDATE and DELETE on this table (triggers made by
the migrations, see store.core.immutable), and no code path tries.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.core.rows import insert_now
from store.core.timeutil import utcnow
from store.core.types import UTCDateTime
from store.extensions import db


@dataclass(frozen=True)
class Actor:
    """Who acts, and through what: a user at a till, an API client, a command on the server."""

    user: Any | None  # store.auth.models.User; None for the system itself
    source: str = "web"  # web | api | cli | worker
    till_id: int | None = None
    address: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    @classmethod
    def system(cls, source: str = "cli") -> "Actor":
        return cls(user=None, source=source)


class AuditEntry(db.Model):
    """One thing someone did: never changed, never deleted."""

    __tablename__ = "audit_entry"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    source: so.Mapped[str] = so.mapped_column(sa.String(16))
    till_id: so.Mapped[int | None]
    address: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    action: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    object_type: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    object_id: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    data: so.Mapped[dict | None] = so.mapped_column(sa.JSON)

    user = so.relationship("User", foreign_keys=[user_id])

    __table_args__ = (sa.Index("ix_audit_entry_object", "object_type", "object_id"),)


def audit(
    actor: Actor,
    action: str,
    target: Any | None = None,
    data: dict | None = None,
    *,
    now: datetime | None = None,
    ref: tuple[str, str] | None = None,
) -> AuditEntry:
    """Record an action (stored at once). `target` is a model instance (its table and id are kept);
    `ref`: the table and id of what is no model instance in the session."""
    object_type, object_id = ref or (None, None)
    if target is not None:
        db.session.flush()
        object_type = target.__tablename__
        object_id = str(target.id)
    entry = AuditEntry(
        at=now or utcnow(),
        user_id=actor.user_id,
        source=actor.source,
        till_id=actor.till_id,
        address=actor.address,
        action=action,
        object_type=object_type,
        object_id=object_id,
        data=data or None,
    )
    return insert_now(entry)
