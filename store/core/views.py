"""The start screen and small shared pages."""

from flask import Blueprint, render_template
from flask_login import current_user

from store.core.access import signed_in
from store.core.web import notices_for, panels_for, tiles_for

bp = Blueprint("core", __name__)


@bp.get("/")
@signed_in
def home():
    return render_template(
        "core/home.html",
        tiles=tiles_for(current_user.role),
        notices=notices_for(current_user),
        panels=panels_for(current_user),
    )
