"""Participant record pages (coordinators) and the trainee's "to see" page."""

from flask import Blueprint

bp = Blueprint("network", __name__, url_prefix="/participants")
