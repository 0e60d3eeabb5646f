"""API: partners and their deliveries."""

from store.core.api import api_blueprint

bp = api_blueprint("partners_api")
