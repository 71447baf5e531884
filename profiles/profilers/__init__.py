from .base import BaseProfiler, ProfilerError, Turn, get_profiler

__all__ = ["BaseProfiler", "ProfilerError", "Turn", "get_profiler"]
