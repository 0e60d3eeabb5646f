"""Shared plumbing: base types, money, time, audit log, errors, access control, the API."""


def init_app(app):
    from store.core import health, help, views

    app.register_blueprint(views.bp)
    app.register_blueprint(health.bp)
    help.init_app(app)
