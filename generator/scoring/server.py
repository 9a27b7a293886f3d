"""The wire to an OpenAI-compatible server: one request, one reply, and what the server
refuses learned once for the whole run.

Servers differ in what they accept. A 400 that names an optional setting (`temperature`, the
output cap, `reasoning_effort`, `service_tier`) drops that setting and retries once. A
response format the server refuses in the same words for two postings moves the run down a
ladder: `json_schema`, then `json_object`, then no format at all (the shape is in the prompt
anyway); when even that is refused, the call says the model cannot be used today.

Each call is one attempt: the SDK's own retries are off, so that the scorer sees every
timeout and 429 and can slow down (`llm.py` tries again, honouring Retry-After).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import openai

from generator.config import ScoringConfig
from generator.secrets import redact
from generator.sources.fetch import network_problem

log = logging.getLogger(__name__)

MODES = ("json_schema", "json_object", "none")
SWITCH_AFTER = 2
"""Postings refused in the same words before the run changes response format."""
CONNECT_TIMEOUT = 2.5
"""Seconds to open a connection: with the SDK's retries, an unreachable server is known in
about 15 s instead of minutes (the whole-request `timeout` still bounds slow answers)."""
CAP_NAMES = ("max_completion_tokens", "max_tokens")
FLEX_TIERS = frozenset({"flex", "batch"})
"""Tiers billed at half the list prices (OpenAI's Flex is priced at Batch rates)."""

Failure = Literal[
    "fatal",
    "missing",
    "unreachable",
    "timeout",
    "rate_limited",
    "transient",
    "refused",
    "rejected",
    "exhausted",
]
RETRIED: frozenset[Failure] = frozenset({"unreachable", "timeout", "rate_limited", "transient"})
"""The failures a server may get over: the scorer tries the call again."""


class ModelCallError(Exception):
    """A call that failed, by kind:

    - fatal: no call can succeed (the key refused);
    - missing: no such model or endpoint (404: a model not pulled, a wrong base_url);
    - unreachable: the server could not be reached (refused, reset, DNS, connect timeout);
    - timeout: no answer within `scoring.timeout`;
    - rate_limited: a 429, with the wait it asked for in `retry_after` when it said one;
    - transient: a 408, 409 or 5xx;
    - refused: any other HTTP error, which waiting does not mend;
    - rejected: a 400/422 about this request, not yet seen for other postings;
    - exhausted: every response format was refused; the model is no use today.
    """

    def __init__(
        self, message: str, kind: Failure = "transient", retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after


@dataclass
class Reply:
    content: str | None
    refusal: str | None = None
    finish_reason: str | None = "stop"
    input_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    output_tokens: int = 0
    service_tier: str | None = None


@dataclass(frozen=True)
class Shape:
    """What one task's answer must look like: its name and strict JSON schema."""

    name: str
    schema: dict[str, Any]


class ChatModel(Protocol):
    """What the scorer needs from a model: one call, one reply. The tests' fake has it too."""

    async def complete(
        self, system: str, user: str, shape: Shape, *, cap: int | None, key: str
    ) -> Reply: ...

    def relax(self, why: str) -> bool:
        """Give up a cheaper, slower service tier for the standard one; False when there is
        none to give up."""
        ...

    async def close(self) -> None: ...


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The seconds a reply asks the client to wait (`retry-after-ms`, then `Retry-After` in
    seconds or as a date); None when it asks nothing."""
    for name, unit in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) / unit)
        except ValueError:
            pass
    try:
        when = email.utils.parsedate_to_datetime(headers.get("retry-after", ""))
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _normalised(message: str) -> str:
    """A message with ids and numbers blanked, so one refusal in two requests reads alike."""
    return re.sub(r"[0-9a-f]{6,}|\d+", "#", message.casefold())[:200]


class OpenAIChatModel:
    """The official SDK against OpenAI or any compatible `base_url`."""

    def __init__(self, config: ScoringConfig, api_key: str) -> None:
        self.config = config
        self.api_key = api_key
        self.mode = MODES[0]
        self.settings: dict[str, Any] = {
            key: value
            for key, value in (
                ("temperature", config.temperature),
                ("reasoning_effort", config.reasoning_effort),
                ("service_tier", config.service_tier),
            )
            if value is not None
        }
        self.cap_name: str | None = CAP_NAMES[0]
        self._refused: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
        self._client: openai.AsyncOpenAI | None = None

    @property
    def client(self) -> openai.AsyncOpenAI:
        """The SDK's client, opened on first use in each event loop (`close` ends it): the
        judging and describing phases each run in their own."""
        if self._client is None:
            self._client = openai.AsyncOpenAI(
                api_key=self.api_key,
                base_url=self.config.base_url,
                timeout=openai.Timeout(
                    self.config.timeout, connect=min(self.config.timeout, CONNECT_TIMEOUT)
                ),
                max_retries=0,  # the scorer's, which sees each failure and slows down
            )
        return self._client

    def _params(self, system: str, user: str, shape: Shape, cap: int | None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "model": self.config.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            **self.settings,
        }
        if cap is not None and self.cap_name is not None:
            params[self.cap_name] = cap
        if self.mode == "json_schema":
            params["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": shape.name, "strict": True, "schema": shape.schema},
            }
        elif self.mode == "json_object":
            params["response_format"] = {"type": "json_object"}
        return params

    async def complete(
        self, system: str, user: str, shape: Shape, *, cap: int | None, key: str
    ) -> Reply:
        dropped_once: set[str] = set()
        for _ in range(len(MODES) + len(self.settings) + len(CAP_NAMES) + 2):
            mode = self.mode
            params = self._params(system, user, shape, cap)
            try:
                response = await self.client.chat.completions.create(**params)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                message = self._say(exc, f"HTTP {exc.status_code}")
                if self.mode != mode:
                    continue  # another call moved down the ladder meanwhile
                named = self._named_setting(exc, params)
                if named and named not in dropped_once:
                    dropped_once.add(named)
                    self._drop(named, message)
                    continue
                if self._advance(mode, message, key, mentions_format=self._names_format(exc)):
                    continue
                raise ModelCallError(message, "rejected") from None
            except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
                raise ModelCallError(
                    self._say(exc, "the server refused the API key"), "fatal"
                ) from None
            except openai.NotFoundError as exc:
                raise ModelCallError(self._say(exc, "HTTP 404"), "missing") from None
            except openai.APITimeoutError as exc:
                # httpx's or httpx2's, whichever the SDK runs on
                if type(exc.__cause__).__name__ == "ConnectTimeout":
                    raise ModelCallError(
                        f"cannot connect to {self.client.base_url}: no answer within "
                        f"{CONNECT_TIMEOUT:g} s",
                        "unreachable",
                    ) from None
                raise ModelCallError(
                    f"timed out after {self.config.timeout:g} s", "timeout"
                ) from None
            except openai.RateLimitError as exc:
                raise ModelCallError(
                    self._say(exc, "HTTP 429"), "rate_limited", retry_after(exc.response.headers)
                ) from None
            except openai.APIStatusError as exc:
                status = exc.status_code
                kind: Failure = "transient" if status in (408, 409) or status >= 500 else "refused"
                raise ModelCallError(
                    self._say(exc, f"HTTP {status}"), kind, retry_after(exc.response.headers)
                ) from None
            except openai.APIConnectionError as exc:
                why = network_problem(exc, self.client.base_url.host)
                raise ModelCallError(why, "unreachable") from None
            return self._reply(response)
        raise ModelCallError("the server refused every form of the request", "exhausted")

    @staticmethod
    def _reply(response: Any) -> Reply:
        choice = response.choices[0] if response.choices else None
        usage = response.usage
        prompt = getattr(usage, "prompt_tokens_details", None)
        completion = getattr(usage, "completion_tokens_details", None)
        message = choice.message if choice else None
        return Reply(
            content=getattr(message, "content", None),
            refusal=getattr(message, "refusal", None),
            finish_reason=getattr(choice, "finish_reason", None),
            input_tokens=(usage.prompt_tokens or 0) if usage else 0,
            cached_tokens=(getattr(prompt, "cached_tokens", 0) or 0) if prompt else 0,
            reasoning_tokens=(getattr(completion, "reasoning_tokens", 0) or 0) if completion else 0,
            output_tokens=(usage.completion_tokens or 0) if usage else 0,
            service_tier=getattr(response, "service_tier", None),
        )

    def _named_setting(self, exc: openai.APIStatusError, params: dict[str, Any]) -> str | None:
        """The optional setting the refusal names, if it names one that was sent."""
        body = exc.body if isinstance(exc.body, dict) else {}
        error = body.get("error") if isinstance(body.get("error"), dict) else body
        param = str(error.get("param") or "") if isinstance(error, dict) else ""
        text = f"{param} {exc.message} {json.dumps(body, default=str)}"
        for name in (*self.settings, *CAP_NAMES):
            if name in params and re.search(rf"\b{name}\b", text):
                return name
        return None

    @staticmethod
    def _names_format(exc: openai.APIStatusError) -> bool:
        text = f"{exc.message} {json.dumps(exc.body, default=str)}"
        return "response_format" in text or "json_schema" in text

    def relax(self, why: str) -> bool:
        tier = self.settings.pop("service_tier", None)
        if tier is None or tier in ("auto", "default"):
            return False
        # Flex is asked for by default: a user who never chose it is told where it comes from.
        chosen = "service_tier" in self.config.model_fields_set
        named = f"scoring.service_tier {tier}" if chosen else "the default Flex tier"
        log.warning(
            "%s: %s; using the standard tier for the rest of the run%s",
            named,
            why,
            "" if chosen else " (set scoring.service_tier: null to ask for none)",
        )
        return True

    def _drop(self, name: str, message: str) -> None:
        if name in CAP_NAMES:
            following = CAP_NAMES.index(name) + 1
            self.cap_name = CAP_NAMES[following] if following < len(CAP_NAMES) else None
            instead = f"; using {self.cap_name}" if self.cap_name else ""
            log.warning("the server refused %s (%s)%s", name, message, instead)
            return
        if self.settings.pop(name, None) is not None:
            log.warning(
                "the server refused scoring.%s (%s); sending it no more this run", name, message
            )

    def _advance(self, mode: str, message: str, key: str, *, mentions_format: bool) -> bool:
        """Move down the format ladder when this refusal is the format's fault: it names
        the format, or postings other than this one were refused in the same words."""
        refused = self._refused[(mode, _normalised(message))]
        refused.add(key)
        if not mentions_format and len(refused) < SWITCH_AFTER:
            return False
        following = MODES.index(mode) + 1
        if following >= len(MODES):
            raise ModelCallError(message, "exhausted")
        self.mode = MODES[following]
        log.warning(
            "the server refused %s requests (%s); asking for %s from now on",
            mode,
            message,
            "json_object answers" if self.mode == "json_object" else "answers with no format",
        )
        return True

    def _say(self, exc: openai.APIStatusError, what: str) -> str:
        """`what` plus the server's own message (an `error.message` or a `detail`), with any
        key redacted."""
        body = exc.body
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            body = body["error"]
        detail: object = None
        if isinstance(body, dict):
            detail = body.get("message") or body.get("detail")
        if detail is not None and not isinstance(detail, str):
            detail = json.dumps(detail, ensure_ascii=False, default=str)
        text = redact(str(detail or getattr(exc, "message", "") or exc), self.api_key)
        return f"{what}: {text[:300]}"

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()
