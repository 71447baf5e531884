import pytest

from tests.fakellm import FakeLLM


@pytest.fixture
def fake_llm():
    server = FakeLLM().start()
    yield server
    server.stop()


@pytest.fixture
def llm_settings(settings, fake_llm):
    """Point the LLM profiler at the fake server; fail fast instead of retrying."""
    settings.PROFILER = "profiles.profilers.llm.LLMProfiler"
    settings.LLM_BASE_URL = fake_llm.url
    settings.LLM_API_KEY = "test-key"
    settings.LLM_MODEL = "test-model"
    settings.LLM_TIMEOUT = 0.5
    settings.LLM_MAX_RETRIES = 0
    return settings
