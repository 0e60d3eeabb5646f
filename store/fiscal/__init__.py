"""Fiscal compliance: TSE signing, the fiscal block on receipts, DSFinV-K export, registration."""

from datetime import timedelta

from flask import Flask
from flask_babel import gettext as _

from store.core.access import Role
from store.core.timeutil import utcnow
from store.core.web import register_notice


def tse_notices(user) -> list:
    """Supervisors see at once when the TSE failed to sign (the last 24 hours)."""
    from store.fiscal.signing import recent_failures

    if user.role not in (Role.SUPERVISOR, Role.ADMIN):
        return []
    failures = recent_failures(utcnow() - timedelta(hours=24))
    if not failures:
        return []
    last = failures[-1]
    return [("error", _("The TSE failed %(n)s time(s) in the last 24 hours (last: %(error)s). "
                        "Sales go on; the failure is recorded for the tax office.",
                        n=len(failures), error=last.error or ""), None)]


def init_app(app: Flask) -> None:
    from store.fiscal import models  # noqa: F401

    register_notice(tse_notices)
