"""Shared plumbing: base types, money, time, audit log, errors, access control, the API."""


def init_app(app):
    from store.core import help, views

    app.register_blueprint(views.bp)
    help.init_app(app)
