from django.core.checks import Error

from profiles.checks import check_profiler
from profiles.profilers import BaseProfiler
from profiles.profilers.llm import LLMProfiler


class RenamedLLMProfiler(LLMProfiler):
    name = "house-llm"


class PickyProfiler(BaseProfiler):
    name = "picky"

    @classmethod
    def check(cls):
        return [Error("needs its own setting", id="picky.E001")]


def ids(settings):
    return [problem.id for problem in check_profiler(None)]


def test_default_rules_profiler_passes(settings):
    assert ids(settings) == []


def test_unimportable_profiler_is_an_error(settings):
    settings.PROFILER = "profiles.profilers.nope.Missing"

    assert ids(settings) == ["profiles.E001"]


def test_llm_needs_a_model_and_warns_about_in_process_tasks(settings):
    settings.PROFILER = "profiles.profilers.llm.LLMProfiler"
    settings.LLM_MODEL = ""

    assert ids(settings) == ["profiles.E002", "profiles.W001"]


def test_llm_on_database_queue_passes(settings):
    settings.PROFILER = "profiles.profilers.llm.LLMProfiler"
    settings.LLM_MODEL = "m"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    assert ids(settings) == []


def test_a_profiler_answers_for_itself_whatever_its_name(settings):
    settings.PROFILER = "tests.profiles.test_checks.RenamedLLMProfiler"
    settings.LLM_MODEL = ""

    assert ids(settings) == ["profiles.E002", "profiles.W001"]

    settings.PROFILER = "tests.profiles.test_checks.PickyProfiler"

    assert ids(settings) == ["picky.E001"]
