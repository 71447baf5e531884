"""Hostile and careless clients, generated from the OpenAPI document by schemathesis.

Every generated request, valid or not, must get a documented status with a JSON body of the
documented shape, and never a 5xx.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bots import services

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def token(db):
    token, raw = services.create_api_token(client_name="fuzz")
    # A person the fuzzer may hit. Not through the test client: it reconnects the signal
    # handler that would close this test's connection (see below).
    services.record_turn(
        client_id=token.client_id,
        external_id="123456789",
        user_message="Hi",
        assistant_response="Hello",
    )
    return raw


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Like Django's test client: requests must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=100,
    derandomize=True,  # the same requests every run: CI is not flaky, a failure replays
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_every_generated_request_as_documented(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})

    case.validate_response(response, checks=CHECKS)
