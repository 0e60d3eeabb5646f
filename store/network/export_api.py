"""API: exports for the Jobcenter, the evaluation, and the Art. 15 data export."""

from store.core.api import api_blueprint

bp = api_blueprint("exports_api")
