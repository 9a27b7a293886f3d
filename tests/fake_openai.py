"""Test doubles for the OpenAI scorer.

`FakeOpenAIServer`: a real OpenAI-compatible HTTP server on 127.0.0.1 that the real `openai`
client talks to. Its replies are decided by markers in the posting text (RATE429, FAIL500,
STALL, HANGUP, BADJSON, BADJSON_ONCE, RANGE, REFUSE, SCORE=NN, FACTS={json}ENDFACTS for the
decision facts, null otherwise), and it records every request.

`FakeModel`: an in-process `ChatModel` with `enqueue()` and `history`, for the stage logic.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from local_server import LocalServer, QuietHandler

from generator.scoring.llm import ModelCallError, Reply

_EMPLOYER = re.compile(r"Our client, ([^,]+),")
_FACTS = re.compile(r"FACTS=(\{.*?\})ENDFACTS")


def _reply_for(user: str) -> dict[str, Any]:
    score = 70
    if match := re.search(r"SCORE=(-?\d+)", user):
        score = int(match[1])
    employer = match[1] if (match := _EMPLOYER.search(user)) else ""
    facts = json.loads(match[1]) if (match := _FACTS.search(user)) else {}
    return {
        "score": score,
        "reason": "Strong Python and Kubernetes fit. Remote friendly.",
        "summary": "Backend role on a platform team.",
        "employer": employer,
        **{k: None for k in ("work_mode", "pay", "visa", "level", "employment")},
        **facts,
    }


class FakeOpenAIServer:
    def __init__(self, latency: float = 0.0, reject_json_schema: bool = False) -> None:
        self.latency = latency
        self.reject_json_schema = reject_json_schema
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.seen: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.release = threading.Event()
        server = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in separate writes

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                with server.lock:
                    server.requests.append(body)
                    server.headers.append({k.lower(): v for k, v in self.headers.items()})
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    status, headers, payload = server.respond(body)
                finally:
                    with server.lock:
                        server.in_flight -= 1
                if status == -1:  # hang up without a reply, as a dying server does
                    self.close_connection = True
                    return
                if status == 0:
                    return
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        self.server = LocalServer(Handler)

    @property
    def base_url(self) -> str:
        return f"{self.server.origin}/v1"

    def respond(self, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        user = body["messages"][-1]["content"]
        system = body["messages"][0]["content"]
        fmt = body.get("response_format", {}).get("type")
        if self.reject_json_schema and fmt == "json_schema":
            return (
                400,
                {},
                {
                    "error": {
                        "message": "response_format json_schema is not supported",
                        "type": "invalid_request_error",
                    }
                },
            )
        with self.lock:
            self.seen[user] += 1
            attempt = self.seen[user]
        if self.latency:
            time.sleep(self.latency)  # the fake model's own response time
        if "HANGUP" in user:
            return -1, {}, None
        if "STALL" in user:
            self.release.wait(timeout=30)
            return 0, {}, None
        if "STORM429" in user and attempt <= 3:
            return (
                429,
                {"retry-after-ms": "10"},
                {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}},
            )
        if "RATE429" in user and attempt == 1:
            return (
                429,
                {"retry-after-ms": "20", "Retry-After": "1"},
                {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}},
            )
        if "FAIL500" in user and attempt == 1:
            return 500, {}, {"error": {"message": "upstream failed", "type": "server_error"}}
        content: str | None = json.dumps(_reply_for(user))
        refusal = None
        if "BADJSON" in user and ("BADJSON_ONCE" not in user or attempt == 1):
            content = '{"score": 80, "reason": "cut off'
        if "RANGE" in user:
            content = json.dumps({**_reply_for(user), "score": 150})
        if "REFUSE" in user:
            content, refusal = None, "I can't help with that."
        prompt_tokens = (len(system) + len(user)) // 4
        cached = len(system) // 4 if attempt > 1 or len(self.requests) > 1 else 0
        return (
            200,
            {},
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": 1763900000,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": content, "refusal": refusal},
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": 30,
                    "total_tokens": prompt_tokens + 30,
                    "prompt_tokens_details": {"cached_tokens": cached},
                },
            },
        )

    def __enter__(self) -> FakeOpenAIServer:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.stop()


class FakeModel:
    """A `ChatModel` that answers from a queue: `enqueue([...])`, then read `history`."""

    def __init__(self) -> None:
        self.queue: list[Reply | ModelCallError | str] = []
        self.history: list[tuple[str, str]] = []
        self.default: Reply | None = Reply(
            json.dumps(_reply_for("")), input_tokens=100, output_tokens=20
        )

    def enqueue(self, replies: list[Reply | ModelCallError | str]) -> None:
        self.queue.extend(replies)

    async def complete(self, system: str, user: str) -> Reply:
        self.history.append((system, user))
        item: Reply | ModelCallError | str | None = self.queue.pop(0) if self.queue else None
        if item is None:
            if self.default is None:
                raise AssertionError("FakeModel: no reply queued")
            return Reply(json.dumps(_reply_for(user)), input_tokens=100, output_tokens=20)
        if isinstance(item, ModelCallError):
            raise item
        if isinstance(item, str):
            return Reply(item, input_tokens=100, output_tokens=20)
        return item

    async def close(self) -> None:
        pass


def iter_files(root: Any) -> Iterator[Any]:
    for path in root.rglob("*"):
        if path.is_file():
            yield path


if __name__ == "__main__":  # a server in its own process, for the benchmark
    import argparse
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    with FakeOpenAIServer(latency=args.latency) as fake:
        print(fake.base_url, flush=True)
        sys.stdin.read()  # serve until the parent closes our stdin
        print(len(fake.requests), fake.max_in_flight, flush=True)
