"""The sale screen."""

from flask import Blueprint

from store.till import services  # noqa: F401

bp = Blueprint("till", __name__)
