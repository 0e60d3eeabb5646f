"""Partner pages for admins: list, form, the outbox of deliveries with re-send."""

from flask import Blueprint

bp = Blueprint("partners", __name__, url_prefix="/partners")
