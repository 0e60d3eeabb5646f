"""What the tax office reads, above the till: the DSFinV-K export, the tills' registration, how long
fiscal records are kept, and the TSE's page (the TSE itself is store.tse, below the till).

- dsfinvk/: the DSFinV-K export (one module per part: the closing's data, its rows, the tables, the
  index.xml, the ZIP);
- downloads: the audit entry of every fiscal download, suggested periods and file names;
- registration: what the tax office is told about the tills (ELSTER);
- retention: how long fiscal records are kept, and the guard for purges;
- export_views, tse_views, api: the pages and the API.
"""

from datetime import timedelta

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from store.core.access import Role
from store.core.timeutil import utcnow
from store.core.web import Tile, register_notice, register_tile
from store.tse.signing import recent_failures, recent_mismatches


def tse_notices(user) -> list:
    """Supervisors see at once when the TSE failed to sign, or signed other process data than the
    till sent (the last 24 hours)."""
    if user.role not in (Role.SUPERVISOR, Role.ADMIN):
        return []
    since = utcnow() - timedelta(hours=24)
    notices = _mismatch_notices(since)
    failures = recent_failures(since)
    if not failures:
        return notices
    last = failures[-1]
    return notices + [
        (
            "error",
            _(
                "The TSE failed %(n)s time(s) in the last 24 hours (last: %(error)s). "
                "Sales go on; the failure is recorded for the tax office.",
                n=len(failures),
                error=last.error or "",
            ),
            "fiscal_tse.index",
        )
    ]


def _mismatch_notices(since) -> list:
    mismatches = recent_mismatches(since)
    if not mismatches:
        return []
    return [
        (
            "error",
            _(
                "The TSE signed other process data than the till sent, %(n)s time(s) in the last "
                "24 hours (transaction %(number)s). The export shows what the TSE signed; please "
                "tell the person responsible for the till software.",
                n=len(mismatches),
                number=mismatches[-1].tx_number,
            ),
            "fiscal_tse.index",
        )
    ]


def init_app(app: Flask) -> None:
    register_notice(tse_notices)

    from store.fiscal import tse_views

    app.register_blueprint(tse_views.bp)
    register_tile(
        Tile("fiscal_tse.index", _l("TSE"), "key", frozenset({Role.ADMIN, Role.SUPERVISOR}), 92)
    )

    from store.fiscal import api, export_views

    app.register_blueprint(export_views.bp)
    app.register_blueprint(api.bp)
    managers = frozenset({Role.SUPERVISOR, Role.ADMIN})
    register_tile(Tile("fiscal_export.export", _l("DSFinV-K export"), "folder", managers, 93))
    register_tile(
        Tile("fiscal_export.registration_page", _l("Tax office registration"), "list", managers, 94)
    )
