"""API: sales, tills, sessions."""

from store.core.api import api_blueprint

bp = api_blueprint("till_api")
