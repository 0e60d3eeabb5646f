"""schemathesis over the OpenAPI document, as a supervisor and as a trainee: no server error, no
answer that breaks its schema, no status code the document does not list, whatever the input.

Bounded: FUZZ_EXAMPLES examples per operation, mode and role (positive: input the document allows;
negative: input it forbids), a few minutes per database. FUZZ_EXAMPLES=200 digs deeper;
FUZZ_ONLY=/participants fuzzes only the paths that contain it.
"""

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
ONLY = os.environ.get("FUZZ_ONLY", "")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def fuzz(app, shop, api_token):
    """The document, and a token per role of the fuzzing (the shop gives them data to find)."""
    from store.core.audit import Actor
    from store.extensions import db
    from store.network import services as network

    network.save_partner(Actor.system(), None, name="Jobcenter", kind="jobcenter")
    db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app), {
        "supervisor": api_token(shop.supervisor),
        "trainee": api_token(shop.cashier),
    }


def _operations(schema):
    for result in schema.get_all_operations():
        operation = result.ok()
        if ONLY in operation.path:
            yield operation


@pytest.mark.parametrize("role", ["supervisor", "trainee"])
def test_fuzz_the_api(fuzz, client, role):
    schema, tokens = fuzz
    failures: list[str] = []
    statuses: Counter = Counter()
    for operation in _operations(schema):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate],
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                response = case.call(session=client, headers=tokens[role])
                statuses[response.status_code] += 1
                case.validate_response(response, checks=CHECKS)

            try:
                run()
            except Exception as error:  # noqa: BLE001 - collected, so one run shows every failure
                failures.append(f"{operation.method.upper()} {operation.path} ({mode}): {error}")
    print(role, dict(sorted(statuses.items())))
    assert not failures, "\n\n".join(failures)
    # it reached the endpoints: some answers are successes, some refusals of bad input
    assert statuses[200] + statuses[201] > 0 and statuses[422] > 0, statuses
