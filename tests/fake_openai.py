"""Test doubles for the OpenAI scorer.

`FakeOpenAIServer`: a real OpenAI-compatible HTTP server on 127.0.0.1 that the real `openai`
client talks to, and that records every request.

Per posting, markers in its text decide the answer: RATE=a,b,c,d,e (the five ratings of a
judging answer, default 3,3,3,3,4), RATE429 and FAIL500 (the first attempt fails), STALL and
HANGUP (no answer), BADJSON, BADJSON_ONCE, RANGE (a rating of 150), REFUSE, and for a
describing answer "Our client, NAME," (the employer) and FACTS={json}ENDFACTS (the facts).

Per server, `modes` mimic how compatible servers behave (see MODES): refusing the response
format in their own words, fences, `<think>` blocks, prose, extra or missing keys, floats,
strings, answers cut off, other scales, hanging, 429/500 storms, refused settings, a model
not pulled, one request at a time, a rate limit.

Usage is reported the way OpenAI does: prompt and completion tokens (characters / 4 unless
`count` is given), and the system prompt as cached once an earlier request with the same
prefix has finished and the prompt is at least 1,024 tokens.

`answer` replaces the markers' answers (the benchmark answers with a model's lengths).

`FakeModel`: an in-process `ChatModel` with `enqueue()` and `history`, for the stage logic.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from local_server import LocalServer, QuietHandler

from generator.scoring.server import ModelCallError, Reply, Shape

MODES = {
    "schema_400": "400 for json_schema, in words that name neither response_format nor the schema",
    "format_422": "422 with a FastAPI `detail` for any response_format",
    "fence": "the JSON inside a ```json fence",
    "think": "a <think> block before the JSON",
    "think_open": "reasoning with a zero-rated draft, then a lone </think> (template opened it)",
    "prose": "a sentence before and after the JSON",
    "extra_keys": "keys nobody asked for",
    "no_summary": "optional keys left out (evidence, reason, summary)",
    "floats": "ratings as floats (3.4)",
    "strings": 'ratings as strings ("4")',
    "length": "finish_reason length unless the output cap is raised",
    "length_always": "finish_reason length every time",
    "scale10": "ratings on a 0-10 scale",
    "hang": "no answer until the server stops",
    "storm429": "429 for every request",
    "storm500": "500 for every request",
    "param_400": "400 naming `temperature` when it is sent",
    "cap_400": "400 naming `max_completion_tokens` when it is sent",
    "flex": "reports service_tier flex when asked for it",
    "no_model": "404 for every request, in Ollama's words for a model not pulled",
    "one_slot": "answers one request at a time (SLOT_SECONDS each); one that arrives meanwhile "
    "waits past any timeout, as in the queue of a one-slot server (Ollama on a CPU)",
    "rate_limit": "RATE_LIMIT requests per RATE_WINDOW s, then 429 with Retry-After (seconds) "
    "until the window ends",
}

_EMPLOYER = re.compile(r"Our client, ([^,]+),")
_FACTS = re.compile(r"FACTS=(\{.*?\})ENDFACTS")
_RATE = re.compile(r"RATE=(-?[\d.]+),(-?[\d.]+),(-?[\d.]+),(-?[\d.]+),(-?[\d.]+)")
CRITERIA = ("role", "must_haves", "level", "place", "dealbreakers")
LENGTH_OK = 500
"""The output cap at or above which a "length" server answers in full."""
SLOT_SECONDS = 0.05
RATE_LIMIT = 2
RATE_WINDOW = 0.1


def task_of(user: str) -> str:
    match = re.match(r"Task: (\w+)", user)
    return match[1] if match else "judge"


def posting_of(user: str) -> str:
    return user.split("<posting>", 1)[-1]


def judgement_for(user: str) -> dict[str, Any]:
    values: list[float] = [3, 3, 3, 3, 4]
    if match := _RATE.search(posting_of(user)):
        values = [float(v) for v in match.groups()]
    ratings = {
        k: int(v) if float(v).is_integer() else v for k, v in zip(CRITERIA, values, strict=True)
    }
    return {"evidence": "backend Python and Kubernetes, Berlin", **ratings}


def details_for(user: str) -> dict[str, Any]:
    posting = posting_of(user)
    employer = match[1] if (match := _EMPLOYER.search(posting)) else ""
    facts = json.loads(match[1]) if (match := _FACTS.search(posting)) else {}
    return {
        "reason": "Strong Python and Kubernetes fit. Remote friendly.",
        "summary": "Backend role on a platform team.",
        "employer": employer,
        **{k: None for k in ("work_mode", "pay", "visa", "level", "employment")},
        **facts,
    }


def answer_for(user: str) -> dict[str, Any]:
    return details_for(user) if task_of(user) == "describe" else judgement_for(user)


def _chars(text: str) -> int:
    return len(text) // 4


def _error(status: int, message: str, **extra: Any) -> tuple[int, dict[str, str], Any]:
    return status, {}, {"error": {"message": message, "type": "invalid_request_error", **extra}}


class FakeOpenAIServer:
    def __init__(
        self,
        latency: float = 0.0,
        reject_json_schema: bool = False,
        modes: set[str] | frozenset[str] = frozenset(),
        count: Callable[[str], int] = _chars,
        answer: Callable[[str], dict[str, Any]] = answer_for,
    ) -> None:
        unknown = set(modes) - set(MODES)
        assert not unknown, f"unknown fake server modes: {unknown}"
        self.latency = latency
        self.reject_json_schema = reject_json_schema
        self.modes = set(modes)
        self.count = count
        self.answer = answer
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.seen: Counter[str] = Counter()
        self.warm: set[str] = set()
        self.in_flight = 0
        self.max_in_flight = 0
        self.answering = False
        self.window = (0.0, 0)
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

    def _refusal(self, body: dict[str, Any]) -> tuple[int, dict[str, str], Any] | None:
        fmt = (body.get("response_format") or {}).get("type")
        modes = self.modes
        if (self.reject_json_schema or "schema_400" in modes) and fmt == "json_schema":
            if self.reject_json_schema:
                return _error(400, "response_format json_schema is not supported")
            return _error(400, "Invalid grammar: keyword 'additionalProperties' is not supported")
        if "format_422" in modes and fmt is not None:
            detail = [
                {
                    "type": "literal_error",
                    "loc": ["body", "format"],
                    "msg": "Input should be 'text'",
                }
            ]
            return 422, {}, {"detail": detail}
        if "param_400" in modes and "temperature" in body:
            return _error(
                400,
                "Unsupported value: 'temperature' does not support 0.2 with this model. "
                "Only the default (1) value is supported.",
                param="temperature",
                code="unsupported_value",
            )
        if "cap_400" in modes and "max_completion_tokens" in body:
            return _error(400, "Unrecognized request argument supplied: max_completion_tokens")
        return None

    def respond(self, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        if "one_slot" in self.modes:
            with self.lock:
                queued, self.answering = self.answering, True
            if queued:
                self.release.wait(timeout=30)  # behind the others past the client's timeout
                return 0, {}, None
            try:
                time.sleep(SLOT_SECONDS)
                return self._respond(body)
            finally:
                with self.lock:
                    self.answering = False  # before the reply goes out: the next one is served
        return self._respond(body)

    def _over_rate(self) -> float:
        """Seconds until the window ends for a request over the rate; 0 within it."""
        with self.lock:
            now = time.monotonic()
            start, count = self.window
            if now - start >= RATE_WINDOW:
                start, count = now, 0
            self.window = (start, count + 1)
            return RATE_WINDOW - (now - start) if count + 1 > RATE_LIMIT else 0.0

    def _respond(self, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        user = body["messages"][-1]["content"]
        system = body["messages"][0]["content"]
        if "no_model" in self.modes:
            message = f'model "{body["model"]}" not found, try pulling it first'
            return 404, {}, {"error": {"message": message, "type": "api_error"}}
        refused = self._refusal(body)
        if refused is not None:
            return refused
        if "rate_limit" in self.modes and (wait := self._over_rate()):
            return (
                429,
                {"retry-after": f"{wait + 0.001:.3f}"},
                {"error": {"message": "Rate limit exceeded", "code": 429}},
            )
        with self.lock:
            self.seen[user] += 1
            attempt = self.seen[user]
        if self.latency:
            time.sleep(self.latency)  # the fake model's own response time
        modes = self.modes
        if "hang" in modes or "STALL" in user:
            self.release.wait(timeout=30)
            return 0, {}, None
        if "HANGUP" in user:
            return -1, {}, None
        if "storm429" in modes or ("RATE429" in user and attempt == 1):
            return (
                429,
                {"retry-after-ms": "10"},
                {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}},
            )
        if "storm500" in modes or ("FAIL500" in user and attempt == 1):
            return 500, {}, {"error": {"message": "upstream failed", "type": "server_error"}}
        answer = self.answer(user)
        if "RANGE" in user and task_of(user) == "judge":
            answer["role"] = 150
        if "scale10" in modes and task_of(user) == "judge":
            answer.update({k: answer[k] * 2.5 for k in CRITERIA})
        if "floats" in modes and task_of(user) == "judge":
            answer.update({k: answer[k] + 0.4 if answer[k] < 4 else 3.6 for k in CRITERIA})
        if "strings" in modes and task_of(user) == "judge":
            answer.update({k: str(answer[k]) for k in CRITERIA})
        if "extra_keys" in modes:
            answer.update({"confidence": 0.9, "notes": "looks fine", "score": 100})
        if "no_summary" in modes:
            for key in ("evidence", "reason", "summary"):
                answer.pop(key, None)
        content: str | None = json.dumps(answer, separators=(",", ":"))
        finish = "stop"
        cap = body.get("max_completion_tokens") or body.get("max_tokens") or 0
        if "length_always" in modes or ("length" in modes and cap < LENGTH_OK):
            content, finish = (content or "")[:25], "length"
        refusal = None
        if "BADJSON" in user and ("BADJSON_ONCE" not in user or attempt == 1):
            content = '{"evidence": "cut off'
        if "REFUSE" in user:
            content, refusal = None, "I can't help with that."
        if content is not None and "fence" in modes:
            content = f"```json\n{content}\n```"
        if content is not None and "think" in modes:
            content = (
                f"<think>The posting asks for Python {{and}} Go; weighing it.</think>\n{content}"
            )
        if content is not None and "think_open" in modes:
            draft = json.dumps(dict.fromkeys(CRITERIA, 0))
            content = f"A first draft: {draft}; too harsh, I reconsider.\n</think>\n\n{content}"
        if content is not None and "prose" in modes:
            content = f"Here is my assessment of the posting:\n{content}\nI hope this helps!"
        return 200, {}, self._completion(body, system, user, content, refusal, finish)

    def _completion(
        self,
        body: dict[str, Any],
        system: str,
        user: str,
        content: str | None,
        refusal: str | None,
        finish: str,
    ) -> dict[str, Any]:
        prompt_tokens = self.count(system) + self.count(user) + 8
        fmt = body.get("response_format") or {}
        prefix = f"{fmt.get('type')}:{(fmt.get('json_schema') or {}).get('name')}:{system}"
        with self.lock:
            warm = prefix in self.warm
            self.warm.add(prefix)
        system_tokens = self.count(system)
        cached = system_tokens // 128 * 128 if warm and prompt_tokens >= 1024 else 0
        completion = self.count(content or refusal or "") + 1
        tier = "flex" if "flex" in self.modes and body.get("service_tier") == "flex" else "default"
        return {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": 1763900000,
            "model": body["model"],
            "service_tier": tier,
            "choices": [
                {
                    "index": 0,
                    "finish_reason": finish,
                    "message": {"role": "assistant", "content": content, "refusal": refusal},
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion,
                "total_tokens": prompt_tokens + completion,
                "prompt_tokens_details": {"cached_tokens": cached},
                "completion_tokens_details": {"reasoning_tokens": 0},
            },
        }

    def __enter__(self) -> FakeOpenAIServer:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.stop()


class FakeModel:
    """A `ChatModel` that answers from a queue: `enqueue([...])`, then read `history`; with
    the queue empty it answers as the fake server would."""

    def __init__(self) -> None:
        self.queue: list[Reply | ModelCallError | str] = []
        self.history: list[tuple[str, str]] = []

    def enqueue(self, replies: list[Reply | ModelCallError | str]) -> None:
        self.queue.extend(replies)

    async def complete(
        self, system: str, user: str, shape: Shape, *, cap: int | None, key: str
    ) -> Reply:
        self.history.append((system, user))
        item = self.queue.pop(0) if self.queue else None
        if item is None:
            return Reply(json.dumps(answer_for(user)), input_tokens=100, output_tokens=20)
        if isinstance(item, ModelCallError):
            raise item
        if isinstance(item, str):
            return Reply(item, input_tokens=100, output_tokens=20)
        return item

    def relax(self, why: str) -> bool:
        return False

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
