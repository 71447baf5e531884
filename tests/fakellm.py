"""A small real HTTP server that speaks the OpenAI Chat Completions protocol.

Tests and benchmarks point the LLM profiler at it and script its answers: content, delays,
HTTP errors, malformed bodies. It records every request body it receives.
"""

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    content: str | None = "Prefers short answers."
    status: int = 200
    delay: float = 0.0
    raw_body: bytes | None = None  # sent as is instead of a completion
    headers: dict[str, str] = field(default_factory=dict)

    def body(self, model: str) -> bytes:
        if self.raw_body is not None:
            return self.raw_body
        if self.status != 200:
            return json.dumps({"error": {"message": "scripted failure", "type": "test"}}).encode()
        return json.dumps(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": self.content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        ).encode()


class FakeLLM:
    """Serves scripted replies in order, then `default` for every further request; with
    `answer` set, the default reply's content is `answer(request)` instead."""

    def __init__(self) -> None:
        self.default = Reply()
        self.answer: Callable[[dict], str] | None = None
        self.replies: list[Reply] = []
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}/v1"

    def start(self) -> "FakeLLM":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next(self, request: dict) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self.replies:
                return self.replies.pop(0)
            if self.answer is not None:
                return Reply(content=self.answer(request))
            return self.default

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                request = json.loads(self.rfile.read(length) or b"{}")
                reply = fake._next({"path": self.path, **request})
                time.sleep(reply.delay)
                body = reply.body(request.get("model", ""))
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, format, *args):
                pass

        return Handler
