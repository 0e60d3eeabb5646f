"""Commands of the network area."""

from flask import Flask


def init_app(app: Flask) -> None:
    pass
