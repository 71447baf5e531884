"""A profiler that asks an LLM behind any OpenAI-compatible Chat Completions endpoint."""

from collections.abc import Sequence

import openai
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning
from django_tasks import task_backends

from ..prompt import SYSTEM_PROMPT, build_profile_prompt
from ..text import truncate_at_word
from .base import BaseProfiler, ProfilerError, Turn


class LLMProfiler(BaseProfiler):
    """Send the current profile and the turns not seen yet; the answer is the new profile.

    Settings: LLM_BASE_URL, LLM_API_KEY, LLM_MODEL, LLM_TIMEOUT (seconds), LLM_MAX_RETRIES
    (the client's own retries with backoff on timeouts, connection errors, 429 and 5xx).
    """

    name = "llm"
    temperature = 0.2

    def __init__(self) -> None:
        self.model = settings.LLM_MODEL
        self.client = openai.OpenAI(
            base_url=settings.LLM_BASE_URL,
            # Local OpenAI-compatible servers often need no key, but the client insists on one.
            api_key=settings.LLM_API_KEY or "not-set",
            timeout=settings.LLM_TIMEOUT,
            max_retries=settings.LLM_MAX_RETRIES,
        )

    @classmethod
    def check(cls) -> list[CheckMessage]:
        problems = []
        if not settings.LLM_MODEL:
            problems.append(
                Error("PROFILER=llm needs LLM_MODEL (the model name to ask).", id="profiles.E002")
            )
        if not task_backends["default"].supports_defer:  # in-process: the request waits
            problems.append(
                Warning(
                    "PROFILER=llm with in-process tasks makes each recorded interaction wait "
                    "for the LLM.",
                    hint="Set TASKS_BACKEND=database (or rq) and run a worker.",
                    id="profiles.W001",
                )
            )
        return problems

    def profile(self, *, current_profile: str, interactions: Sequence[Turn]) -> str:
        prompt = build_profile_prompt(current_profile=current_profile, turns=interactions)
        try:
            completion = self.client.chat.completions.create(
                model=self.model,
                temperature=self.temperature,
                messages=[
                    {"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": prompt},
                ],
            )
        except openai.APITimeoutError:
            raise ProfilerError(f"LLM request timed out after {settings.LLM_TIMEOUT} s") from None
        except openai.APIStatusError as exc:
            raise ProfilerError(f"LLM answered HTTP {exc.status_code}") from None
        except openai.APIConnectionError as exc:
            raise ProfilerError(f"LLM unreachable: {type(exc.__cause__).__name__}") from None
        except (openai.OpenAIError, ValueError) as exc:
            # ValueError covers a body that is not JSON; never log the body itself.
            raise ProfilerError(f"LLM answer unreadable: {type(exc).__name__}") from None
        try:
            content = completion.choices[0].message.content
        except (AttributeError, IndexError, TypeError):
            raise ProfilerError("LLM answer has no message") from None
        if not isinstance(content, str) or not content.strip():
            raise ProfilerError("LLM answer is empty")
        return truncate_at_word(content.strip())
