"""The network: participant records for coordinators (contact, referral, ESF+ monitoring, exit),
consents, "shown to the participant" and "reported" marks, partner sync through an outbox, the
exports for the Jobcenter, partners and the evaluation, and data protection (Art. 15 export,
retention). Builds on shifts (agreements, hours) and skills (assessments, the skills report)."""

from flask import Flask

from store.core.access import Role

KEEPERS = frozenset({Role.COORDINATOR, Role.ADMIN})


def init_app(app: Flask) -> None:
    from store.network import (
        cli,
        export_api,
        export_views,
        partner_api,
        partner_views,
        personal_data,  # noqa: F401 - registers what the network holds about a person
        seen_views,  # its routes belong to views.bp
        services,
        views,
    )

    app.config.setdefault("OUTBOX_BACKOFF_SECONDS", 30)
    app.config.setdefault("OUTBOX_BACKOFF_MAX_SECONDS", 3600)
    app.config.setdefault("OUTBOX_MAX_ATTEMPTS", 12)
    app.config.setdefault("OUTBOX_TIMEOUT_SECONDS", 10)
    app.config.setdefault("OUTBOX_SEND_AT_ONCE", True)
    app.config.setdefault("PARTICIPANT_RETENTION_YEARS", 5)
    services.connect()
    partner_views.register()
    for module in (views, partner_views, partner_api, export_views, export_api):
        app.register_blueprint(module.bp)
    export_views.register()
    seen_views.register()
    cli.init_app(app)
