"""The "?" help: every step list names a real page, has at most three steps, each with a picture."""

import re

from store.core.help import HELP, MAX_STEPS


def test_help_names_real_pages_with_at_most_three_illustrated_steps(app, client):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    sprite = set(
        re.findall(r'<symbol id="([a-z0-9-]+)"', client.get("/static/icons.svg").get_data(as_text=True))
    )
    for endpoint, steps in HELP.items():
        assert endpoint in endpoints, endpoint
        assert 1 <= len(steps) <= MAX_STEPS, endpoint
        assert all(icon in sprite for icon, _text in steps), endpoint
