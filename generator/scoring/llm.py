"""The OpenAI scorer: an anchored judgement of every candidate, then details for the picks.

Cost control comes first. The local scorer pre-filters to the best `llm_candidates`; cached
answers are reused; one call warms the provider's prompt cache before the rest run
`max_concurrency` at a time; a run makes at most `max_calls` judging calls. Each candidate's
call asks for short evidence and five ratings (see `prompt.py`), which code combines into
the score; only the day's picks get a second, longer call for the reason, the summary, the
employer behind an aggregator and the facts the posting states (`describe`, called by the
selection).

Faults never cost the day: an unreadable answer is retried once and then that posting is
skipped with a warning (never a made-up score); a call the server may get over (a timeout,
429, 5xx, no connection) is tried again up to `scoring.max_retries` times, before postings
not yet tried, and a server that times out or answers 429 gets fewer calls at once (`_Gate`).
A server that has no usable answer for three postings in a row (five unreadable ones), has
no such model, refuses every response format or has not finished by `scoring.deadline` is
given up, and the whole day is scored by the local scorer, said once in a warning and in
`fallback`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, NoReturn, TypeVar

from generator import facts
from generator.config import ScoringConfig
from generator.errors import ScoringError
from generator.feedback import Example, Feedback, prompt_section
from generator.models import Job, Score, ScoringUsage
from generator.profile import Profile
from generator.scoring.cache import ScoreCache
from generator.scoring.local import LocalScorer
from generator.scoring.prompt import (
    PROMPT_VERSION,
    TOP,
    combine,
    describe_schema,
    judge_schema,
    posting_message,
    ratings_text,
    system_prompt,
)
from generator.scoring.reply import (
    SCALES,
    Details,
    Judgement,
    ReplyError,
    detect_scale,
    normalise,
    read_details,
    read_judgement,
)
from generator.scoring.server import (
    FLEX_TIERS,
    RETRIED,
    ChatModel,
    Failure,
    ModelCallError,
    OpenAIChatModel,
    Reply,
    Shape,
)
from generator.scoring.trim import Tokenizer, tokenizer_for, trim
from generator.text import clean_text, first_sentences, plural

log = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = ["LLMScorer", "ModelCallError", "OpenAIChatModel", "Reply", "make_openai_scorer"]

STORM_AFTER = 3
"""Postings in a row whose calls failed for the server's reasons (unreachable, timeout, 429,
5xx, an answer cut off twice) after which the model is given up for the day."""
BUSY: frozenset[str] = frozenset({"timeout", "rate_limited", "transient", "refused"})
"""The failures a busy Flex queue can cause: the standard tier gets its chance first."""
SERVER_SAYS = "see the server's message"
UNREADABLE_AFTER = 5
"""Postings in a row whose answers could not be read, twice each, after which the model is
given up for the day (it is not answering the question asked)."""
UNIFORM_AFTER = 10
"""Postings scored, every one the same, from which the model is taken to be not judging them
(a draft or a placeholder read as its answer): said, and the answers are not kept cached."""
LENGTH_RETRY_CAP = 1024
"""The output cap a call cut off by the server's own limit is retried with (twice the
configured cap when one is set)."""
JUDGE = Shape("job_judgement", judge_schema())
DESCRIBE = Shape("job_details", describe_schema())


@dataclass
class Usage:
    calls: int = 0
    describe_calls: int = 0
    cache_hits: int = 0
    input_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    skipped: int = 0
    capped: int = 0

    def add(self, reply: Reply, config: ScoringConfig) -> None:
        """Count a reply's tokens and price them as the server reports them: cached input
        at the cached rate, reasoning within the output, Flex or Batch at half."""
        self.input_tokens += reply.input_tokens
        self.cached_tokens += reply.cached_tokens
        self.reasoning_tokens += reply.reasoning_tokens
        self.output_tokens += reply.output_tokens
        fresh = max(0, reply.input_tokens - reply.cached_tokens)
        cost = (
            fresh * config.price_input_per_million
            + reply.cached_tokens * config.price_cached_input_per_million
            + reply.output_tokens * config.price_output_per_million
        ) / 1_000_000
        self.cost_usd += cost / 2 if reply.service_tier in FLEX_TIERS else cost


def _label(job: Job) -> str:
    return f"{job.title!r} at {job.company} ({job.id})"


def _sentence(text: str) -> str:
    text = clean_text(text).strip(" .;")
    return f"{text[0].upper()}{text[1:]}." if text else ""


class _GiveUp(Exception):
    """Raised inside a phase once the model is given up, to stop its other calls."""


def _backoff(retries: int) -> float:
    """Seconds before the next try when the server did not say: 0.5, 1, 2, ... up to 8 (the
    SDK's schedule, which this replaces)."""
    return float(min(0.5 * 2**retries, 8.0))


class _Gate:
    """The calls in flight: at most `limit`, which the server's timeouts and 429s lower for
    the rest of the run. A posting tried again goes before postings not yet tried, so its
    outcome (and the run's streaks) is known early; a 429's Retry-After holds every call
    back, not only the one it answered."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.busy = 0
        self.resume = 0.0
        """The event loop's time before which no call starts."""
        self.why = ""
        """What first lowered `limit`; "" while it stands."""
        self._again = 0
        self._late: set[str] = set()
        """The postings that timed out at the present `limit`."""
        self._waiters: list[asyncio.Future[None]] = []

    @contextlib.asynccontextmanager
    async def slot(self, *, again: bool = False, after: float = 0.0) -> AsyncIterator[int]:
        """A place for one call, `after` seconds from now at the earliest; yields the limit
        the call is sent at."""
        loop = asyncio.get_running_loop()
        # Counted before the backoff: while a posting waits to go again, no new posting
        # starts, so a failing server is known (and given up) after a few calls, not after
        # a slot's worth each. The cost: one 503's Retry-After idles the others that long
        # (never past the deadline).
        self._again += again
        try:
            if after > 0:
                await asyncio.sleep(after)
            while True:
                pause = self.resume - loop.time()
                if pause > 0:
                    await asyncio.sleep(pause)
                elif self.busy < self.limit and (again or not self._again):
                    break
                else:
                    waiter = loop.create_future()
                    self._waiters.append(waiter)
                    try:
                        await waiter
                    finally:
                        self._waiters.remove(waiter)
        finally:
            self._again -= again
            if again and not self._again:
                self._wake()  # the postings not yet tried may go again
        self.busy += 1
        try:
            yield self.limit
        finally:
            self.busy -= 1
            self._wake()

    def _wake(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    def lower(self, sent_at: int, why: str) -> None:
        """Half the concurrency a call was sent at, for the rest of the run."""
        limit = max(1, sent_at // 2)
        if limit < self.limit:
            self.limit = limit
            self.why = self.why or why
            self._late.clear()

    def pause(self, seconds: float) -> None:
        self.resume = max(self.resume, asyncio.get_running_loop().time() + seconds)

    def timed_out(self, key: str, sent_at: int, why: str) -> bool:
        """Whether a call that timed out goes again without using a retry: when the limit was
        lowered since it was sent, or at its first timeout at this limit (the second posting
        to time out at a limit halves it: one slow posting alone does not)."""
        if sent_at > self.limit:
            return True
        if sent_at == 1 or key in self._late:
            return False
        self._late.add(key)
        if len(self._late) >= 2:
            self.lower(sent_at, why)
        return True


class LLMScorer:
    """Registered as "openai"."""

    name = "openai"

    def __init__(
        self,
        config: ScoringConfig,
        profile: Profile,
        chat: ChatModel,
        cache: ScoreCache | None = None,
        *,
        today: dt.date | None = None,
        clock: Callable[[], float] = time.monotonic,
        extra_sections: Sequence[str] = (),
    ) -> None:
        """`extra_sections`: more context for the cached prefix; they are part of every cache
        key. The reader's verdicts arrive later, through `learn`."""
        self.config = config
        self.model = config.model
        self.profile = profile
        self.chat = chat
        self.cache = cache
        self.today = today or dt.date.today()
        self.clock = clock
        self.usage = Usage()
        self.tokenizer: Tokenizer = tokenizer_for(config.model, config.tokenizer)
        self.fallback = ""
        """Why the day was scored by the local scorer instead; "" while the model answers."""
        self._local = LocalScorer(profile)
        self._local_scores: dict[str, int] = {}
        self._streak = 0
        self._unreadable = 0
        self._why = ""
        self._advice = ""
        self._answers = 0
        """Calls the server answered this run: its timeouts then mean a queue, and its 429s
        between them a rate to keep to."""
        self._gate = _Gate(config.max_concurrency)
        self._limit_said = False
        self._where = config.base_url or "the OpenAI API (scoring.base_url unset)"
        self._pending: list[str] = []
        self._deferred: list[Job] = []
        self._judged: dict[str, Judgement] = {}
        self._ratings: dict[str, dict[str, float]] = {}
        self._started: float | None = None
        self._describe_off = ""
        self._relaxed = False
        terms = (*profile.must_have, *profile.nice_to_have, *profile.avoid_skills)
        self._terms = tuple(dict.fromkeys(t for t in terms if t.strip()))
        self._context(extra_sections)

    def _context(self, extra_sections: Sequence[str]) -> None:
        """The cached prefix and the part of every cache key that stands for it."""
        self.system = system_prompt(self.profile, extra_sections)
        self._prefix = hashlib.sha256(
            "\x1f".join(
                (
                    PROMPT_VERSION,
                    # Another server may serve other weights (or a fixed template) under the
                    # same model name: its answers are not this one's.
                    self._server(),
                    self.config.model,
                    self.profile.fingerprint,
                    str(self.config.max_posting_tokens),
                    self.tokenizer.name,
                    *extra_sections,
                )
            ).encode()
        ).hexdigest()

    def learn(self, examples: Sequence[Example]) -> int:
        """The reader's verdicts, two ways: the local pre-filter (and the local scorer a
        fallback uses) learns from all of them, so the candidates move; the model reads the
        latest in a "what the reader said" section of the cached prefix, capped at
        `scoring.feedback_tokens`. Returns how many verdicts the model reads."""
        self._local.learn(examples)
        marks = tuple(
            e.mark.model_copy(
                update={
                    "title": e.mark.title or e.pick.title,
                    "company": e.mark.company or e.pick.company,
                }
            )
            for e in examples
        )
        section = prompt_section(
            Feedback(marks=marks), self.config.feedback_tokens, self.tokenizer.count
        )
        self._context([section] if section else [])
        return section.count("\n- ")

    # -- keys and messages ---------------------------------------------------------------

    def cache_key(self, job: Job, task: str = "judge") -> str:
        """Everything that can change an answer: prompt version, server, model, profile,
        posting budget and tokenizer, the task and the posting with its known facts. Not the
        date: keying on it would pay for every candidate again every day."""
        known = (job.work_mode, job.pay, job.level, job.employment, job.visa, job.remote)
        content = "\x1f".join(
            (task, job.title, job.company, job.location, job.url, job.description, repr(known))
        )
        return hashlib.sha256(f"{self._prefix}\x1f{content}".encode()).hexdigest()

    def message(self, job: Job, task: str, ratings: str = "") -> str:
        trimmed = trim(
            job.description,
            self.config.max_posting_tokens,
            self.tokenizer,
            terms=self._terms,
            location=job.location,
        )
        return posting_message(job, trimmed.text, trimmed.note(), self.today, task, ratings)

    # -- the judging phase ---------------------------------------------------------------

    def score(self, jobs: Sequence[Job]) -> list[Score]:
        return asyncio.run(self._score_all(jobs))

    def candidates(self, jobs: Sequence[Job]) -> list[Job]:
        """The jobs worth a model call: the best `llm_candidates` by the local scorer, or,
        when the profile gives it nothing to match, every posting up to `max_calls`
        (newest first), said when some are left out."""
        if not self._local.can_score:
            ordered = sorted(jobs, key=lambda j: (-(j.posted or dt.date.min).toordinal(), j.id))
            if len(ordered) > self.config.max_calls:
                log.warning(
                    "the profile has no titles or skills for the local pre-filter, so every "
                    "posting goes to the model, but %d postings are more than scoring.max_calls "
                    "(%d): the %d most recent are scored, the rest are not",
                    len(ordered),
                    self.config.max_calls,
                    self.config.max_calls,
                )
            return ordered[: self.config.max_calls]
        local = self._local.score(jobs)
        self._local_scores = {s.job_id: s.score for s in local}
        ranked = sorted(zip(jobs, local, strict=True), key=lambda p: (-p[1].score, p[0].id))
        return [job for job, _ in ranked[: self.config.llm_candidates]]

    def _remaining(self) -> float:
        if self._started is None:
            self._started = self.clock()
        return self.config.deadline - (self.clock() - self._started)

    async def _score_all(self, jobs: Sequence[Job]) -> list[Score]:
        self._remaining()  # the deadline counts from here
        chosen = self.candidates(jobs)
        todo: list[Job] = []
        for job in chosen:
            cached = self._cached_judgement(job)
            if cached is None:
                todo.append(job)
            else:
                self.usage.cache_hits += 1
                self._judged[job.id] = cached
        try:
            await asyncio.wait_for(self._judge_all(todo), timeout=max(0.0, self._remaining()))
        except TimeoutError:
            done = sum(job.id in self._judged for job in chosen)
            pace = f", {self._gate.limit} at a time" if self._gate.why else ""
            self._stop(
                f"the model had not finished within scoring.deadline "
                f"({self.config.deadline:g} s): {done} of {len(chosen)} postings judged{pace}",
                "raise scoring.deadline or lower scoring.llm_candidates",
            )
        except _GiveUp:
            pass
        finally:
            await self.chat.close()
        if self.fallback:
            return self._fall_back(jobs)
        for warning in self._pending:
            log.warning("%s", warning)
        self._say_limit()
        if self.usage.capped:
            log.warning(
                "scoring.max_calls (%d) reached: %d postings were not scored this run",
                self.config.max_calls,
                self.usage.capped,
            )
        scores = self._scores(chosen)
        if chosen and not scores:
            self._stop(f"the model scored none of {len(chosen)} postings", "see the warnings above")
            return self._fall_back(jobs)
        return scores

    async def _judge_all(self, todo: list[Job]) -> None:
        if not todo:
            return
        # One call first, alone: the provider caches the prefix it saw, so the rest of the
        # day's calls read it at the cached rate instead of all missing it at once.
        await self._judge(todo[0])
        await _each([self._judge(job) for job in todo[1:]])
        deferred, self._deferred = self._deferred, []
        # Refused alone, before the format was found at fault: once more, as things now are.
        await _each([self._judge(job, last_try=True) for job in deferred])

    def _cached_judgement(self, job: Job) -> Judgement | None:
        if self.cache is None:
            return None
        data = self.cache.get_json(self.cache_key(job))
        try:
            ratings = {k: float(v) for k, v in data["ratings"].items()} if data else None
        except (AttributeError, KeyError, TypeError, ValueError):
            return None
        return Judgement(str(data.get("evidence", "")), ratings) if data and ratings else None

    async def _judge(self, job: Job, *, last_try: bool = False) -> None:
        user = self.message(job, "judge")
        problem = ""
        cap = self.config.max_output_tokens
        raised = False
        attempts = 0
        while attempts < 2:
            again = raised or attempts > 0
            reply = await self._call(job, user, JUDGE, cap, again=again, last_try=last_try)
            if reply is None:
                return
            if reply.finish_reason == "length":
                if not raised:
                    cap, raised = 2 * cap if cap else LENGTH_RETRY_CAP, True
                    continue
                self._skip(job, f"the answer was cut off at {cap} tokens twice")
                self._strike("answers are cut off at the output cap", "length")
                return
            attempts += 1
            try:
                judgement = self._read(reply, read_judgement)
            except ReplyError as exc:
                problem = str(exc)
                continue
            self._judged[job.id] = judgement
            self._streak = self._unreadable = 0  # a usable answer; an HTTP 200 alone is not
            if self.cache is not None:
                self.cache.put_json(
                    self.cache_key(job),
                    {"evidence": judgement.evidence, "ratings": judgement.ratings},
                )
            return
        self._skip(job, f"{problem}, twice")
        self._unreadable += 1
        if self._unreadable >= UNREADABLE_AFTER:
            self._give_up(
                f"the model's answers at {self._where} cannot be read for "
                f"{self._unreadable} postings in a row ({problem})",
                "check scoring.model",
            )

    @staticmethod
    def _read(reply: Reply, reader: Callable[[str], T]) -> T:
        if reply.refusal:
            raise ReplyError("the model refused")
        if not reply.content:
            raise ReplyError("empty reply")
        return reader(reply.content)

    async def _call(
        self,
        job: Job,
        user: str,
        shape: Shape,
        cap: int | None,
        *,
        again: bool = False,
        last_try: bool = True,
    ) -> Reply | None:
        """One answer, or None once the failure is sorted (`_failed`). A failure the server
        may get over is tried again up to `scoring.max_retries` times, after the wait it
        asks for (bounded by `scoring.deadline`) or a growing one, before postings not yet
        tried. A 429 holds every call back for its wait. A timeout or a 429 from a server
        that has answered before lowers the concurrency (`_Gate`); a call timed out at a
        higher concurrency goes again without using a retry, and so does a 429 while the
        server answers other calls: a rate to keep to, not a storm. `again`: this posting's
        second call, which goes first too."""
        retries = 0
        wait = 0.0
        first = True
        answers = self._answers  # the server's answers by this posting's last try
        while True:
            if self.fallback:
                raise _GiveUp
            failure: ModelCallError | None = None
            async with self._gate.slot(again=again or not first, after=wait) as sent_at:
                if self.fallback:  # decided while this call waited its turn
                    raise _GiveUp
                if self._remaining() < self.config.deadline / 2 and not self._relaxed:
                    self._relaxed = True
                    self.chat.relax(
                        f"half of scoring.deadline ({self.config.deadline:g} s) has passed"
                    )
                if first and shape is JUDGE:
                    if self.usage.calls >= self.config.max_calls:
                        self.usage.capped += 1
                        return None
                    self.usage.calls += 1
                elif first:
                    self.usage.describe_calls += 1
                try:
                    reply = await self.chat.complete(self.system, user, shape, cap=cap, key=job.id)
                except ModelCallError as exc:
                    failure = exc
            if failure is None:
                self._answers += 1
                self.usage.add(reply, self.config)
                return reply
            first = False
            progress, answers = self._answers > answers, self._answers
            why = str(failure)
            if failure.kind == "timeout" and answers and self._gate.timed_out(job.id, sent_at, why):
                wait = 0.0  # queued behind the others at the server: again, fewer at once
                continue
            if failure.kind not in RETRIED:
                break
            free = failure.kind == "rate_limited" and progress
            if not free and retries >= self.config.max_retries:
                break
            wait = failure.retry_after if failure.retry_after is not None else _backoff(retries)
            if wait >= self._remaining():
                failure = ModelCallError(
                    f"{why}; waiting {wait:g} s more would pass scoring.deadline", failure.kind
                )
                break
            if not free:
                retries += 1
            if failure.kind == "rate_limited":
                self._gate.pause(wait)  # the limit is the server's, for every call
                if answers:  # fewer at once helps a rate, not a server that never answers
                    self._gate.lower(sent_at, why)
                wait = 0.0
        if retries:
            failure = ModelCallError(
                f"{failure} ({plural(retries, 'retry', 'retries')})", failure.kind
            )
        self._failed(job, failure, describing=shape is DESCRIBE, last_try=last_try)
        return None

    def _failed(self, job: Job, exc: ModelCallError, *, describing: bool, last_try: bool) -> None:
        if exc.kind == "fatal":
            raise ScoringError(f"OpenAI scorer: {exc}")
        if exc.kind == "missing":
            # The model's fault, not the day's: like a dead server, said once.
            self._give_up(
                f"the server at {self._where} has no model {self.config.model!r} "
                f"(or no such endpoint): {exc}",
                "check scoring.model and scoring.base_url",
            )
        if exc.kind == "exhausted":
            self._give_up(f"the server refused every response format ({exc})", SERVER_SAYS)
        if exc.kind == "rejected" and not last_try:
            self._deferred.append(job)
            return
        said = "could not reach the model" if exc.kind == "unreachable" else str(exc)
        if describing:
            # The pick stays, with the judging call's evidence: said now, whatever follows.
            log.warning(
                "posting %s: describing it failed (%s); its reason is the judging call's evidence",
                _label(job),
                said,
            )
        else:
            self._skip(job, said)
        if exc.kind != "rejected":
            self._strike(str(exc), exc.kind)

    def _skip(self, job: Job, why: str) -> None:
        """A posting left unscored, said at the end of judging: not at all when the model is
        given up and the day scored locally, where a line per posting would bury the why."""
        self.usage.skipped += 1
        self._pending.append(f"posting {_label(job)}: {why}; skipped")

    def _strike(self, why: str, kind: Failure | Literal["length"]) -> None:
        """One more posting in a row with no usable answer for the server's reasons: the
        streak ends only at a usable answer, not at any HTTP 200 (an answer cut off is one)."""
        self._streak += 1
        if self._streak < STORM_AFTER:
            return
        if kind in BUSY and self.chat.relax(why):
            self._streak = 0  # a busy or slow Flex queue: the standard tier gets its chance
            return
        if kind == "unreachable":
            self._give_up(
                f"cannot reach the model at {self._where}: {why}",
                "check scoring.base_url and your network",
                unreachable=True,
            )
        self._give_up(f"the model keeps failing at {self._where}: {why}", self._advice_for(kind))

    def _advice_for(self, kind: Failure | Literal["length"]) -> str:
        """The setting to change for a storm of `kind`; the server's message otherwise."""
        if kind == "timeout":
            fewer = " or lower scoring.max_concurrency" if self._gate.limit > 1 else ""
            return f"raise scoring.timeout above {self.config.timeout:g} s{fewer}"
        if kind == "length":
            return "raise scoring.max_output_tokens, or the server's own limit on an answer"
        return SERVER_SAYS

    def _say_limit(self) -> None:
        """Once a run: the concurrency the server could take, and the setting."""
        gate = self._gate
        if not gate.why or self._limit_said:
            return
        self._limit_said = True
        if gate.why.startswith("timed out"):
            log.warning(
                "the server at %s %s with more calls at once: sent %s for the rest of the "
                "run; set scoring.max_concurrency: %d (or raise scoring.timeout)",
                self._where,
                gate.why,
                f"{plural(gate.limit, 'call')} at a time",
                gate.limit,
            )
            return
        log.warning(
            "the server at %s limited the rate (%s): waited as it asked and sent %s at a "
            "time for the rest of the run (scoring.max_concurrency is %d)",
            self._where,
            gate.why,
            plural(gate.limit, "call"),
            self.config.max_concurrency,
        )

    def _give_up(self, why: str, advice: str, *, unreachable: bool = False) -> NoReturn:
        self._stop(why, advice, unreachable=unreachable)
        raise _GiveUp

    def _stop(self, why: str, advice: str, *, unreachable: bool = False) -> None:
        """Give the model up for the day: `why` for the warning and the page, `advice` on
        what to change (the setting, or the server's message when it said one)."""
        if not self.fallback:
            self.fallback = why
            self._advice = advice
            self._why = "unreachable" if unreachable else "failed"

    def _scale_key(self) -> str:
        """Where the scale a model answers on is remembered: it is the model's on its server,
        not a day's, and the cache keeps raw ratings (a cached 4 of a 0-10 model is 4/10 on a
        day when nothing new goes above 4 too)."""
        key = f"scale\x1f{self._server()}\x1f{self.config.model}"
        return hashlib.sha256(key.encode()).hexdigest()

    def _server(self) -> str:
        """The server, as the cache tells servers apart ("" for OpenAI's API)."""
        return (self.config.base_url or "").rstrip("/")

    def _scale(self, judged: list[Judgement]) -> tuple[int, bool]:
        """The day's scale, and whether it is remembered from an earlier run rather than seen
        today."""
        detected = detect_scale(judged)
        saved = self.cache.get_json(self._scale_key()) if self.cache is not None else None
        remembered = saved.get("scale") if saved else None
        if detected != TOP:
            if remembered != detected and self.cache is not None:
                self.cache.put_json(self._scale_key(), {"scale": detected})
            return detected, False
        if isinstance(remembered, int) and remembered in SCALES:
            return remembered, True
        return TOP, False

    def _scores(self, chosen: Sequence[Job]) -> list[Score]:
        judged = [self._judged[j.id] for j in chosen if j.id in self._judged]
        scale, remembered = self._scale(judged)
        if scale != TOP:
            above = sum(max(j.ratings.values()) > TOP for j in judged)
            log.warning(
                "the model rated postings on a 0-%d scale, not 0-%d as asked (%d of %d rated "
                "above %d%s): all its ratings were read on that scale (check scoring.model)",
                scale,
                TOP,
                above,
                len(judged),
                TOP,
                ", and it did so on an earlier run" if remembered else "",
            )
        scores = []
        for job in chosen:
            judgement = self._judged.get(job.id)
            if judgement is None:
                continue
            wild = [v for v in judgement.ratings.values() if not -1 <= v <= scale + 1]
            if wild:
                # Off any scale the day's answers use: not sloppiness to round away.
                self.usage.skipped += 1
                log.warning(
                    "posting %s: rating %g is outside 0-%d; skipped", _label(job), wild[0], scale
                )
                continue
            ratings = normalise(judgement.ratings, scale)
            scores.append(
                Score(
                    job_id=job.id,
                    score=combine(ratings),
                    reason=_sentence(first_sentences(judgement.evidence, count=1, limit=200)),
                    summary=first_sentences(job.description) or job.title,
                    tiebreak=self._local_scores.get(job.id, 0),
                )
            )
            self._ratings[job.id] = ratings
        self._same_for_all(chosen, scores)
        return scores

    def _same_for_all(self, chosen: Sequence[Job], scores: Sequence[Score]) -> None:
        """One warning when the model gave every posting the same score: a model that judges
        them does not, so its answers are not kept cached either, and the next run, once the
        server is fixed, asks again instead of reading them back."""
        if len(scores) < UNIFORM_AFTER or len({s.score for s in scores}) > 1:
            return
        log.warning(
            "the model at %s gave all %d postings it scored the same score (%d): it is likely "
            "not judging them; check that scoring.model is the model meant and that the server "
            "separates its reasoning from its answer (a reasoning parser or chat template); "
            "these answers are not kept in the cache",
            self._where,
            len(scores),
            scores[0].score,
        )
        if self.cache is not None:
            self.cache.forget([self.cache_key(job) for job in chosen])

    def _fall_back(self, jobs: Sequence[Job]) -> list[Score]:
        """The whole day by the local scorer, said once: scores from two scorers would not
        compare, and a day of postings is worth more than a run that fails."""
        if not self._local.can_score:
            raise ScoringError(
                f"{self.fallback}; and the profile has no `titles` or skills for the local "
                "scorer to fall back on; nothing written"
            )
        self.fallback = f"{self.fallback}; scored the day with the local scorer instead"
        log.warning("%s (%s, then run again with --force)", self.fallback, self._advice)
        self.name = f"local (openai {self._why})"
        self.model = ""
        return self._local.score(jobs)

    # -- the details phase ---------------------------------------------------------------

    def describe(self, pairs: Sequence[tuple[Job, Score]]) -> list[Score]:
        """The pairs' scores with the model's reason, summary, employer and facts: called by
        the selection for the day's picks only. A pick whose call fails keeps the judging
        call's evidence as its reason."""
        if self.fallback or self._describe_off or not pairs:
            return [score for _, score in pairs]
        if self._remaining() <= 0:
            self._describe_off = "scoring.deadline passed"
            log.warning(
                "scoring.deadline (%g s) passed before the picks were described: their "
                "reasons are the judging call's evidence",
                self.config.deadline,
            )
            return [score for _, score in pairs]
        return asyncio.run(self._describe_all(pairs))

    async def _describe_all(self, pairs: Sequence[tuple[Job, Score]]) -> list[Score]:
        streak, self._streak = self._streak, 0
        described: dict[str, Score] = {}

        async def one(job: Job, score: Score) -> None:
            described[job.id] = await self._describe(job, score)

        try:
            await asyncio.wait_for(
                _each([one(job, score) for job, score in pairs]),
                timeout=max(0.0, self._remaining()),
            )
        except TimeoutError:
            log.warning(
                "scoring.deadline (%g s) passed while the picks were described: the rest keep "
                "the judging call's evidence as their reason",
                self.config.deadline,
            )
        except (_GiveUp, ScoringError) as exc:
            # A storm or a refused key while describing: the judging stands.
            self._describe_off = self.fallback or str(exc)
            log.warning("describing the picks stopped: %s", self._describe_off)
        finally:
            await self.chat.close()
            self.fallback, self._streak = "", streak
        self._say_limit()
        return [described.get(job.id, score) for job, score in pairs]

    async def _describe(self, job: Job, score: Score) -> Score:
        key = self.cache_key(job, "describe")
        data = self.cache.get_json(key) if self.cache is not None else None
        details: Details | None = None
        if data is not None:
            try:
                details = Details.model_validate(data)
                self.usage.cache_hits += 1
            except ValueError:
                details = None
        if details is None:
            ratings = self._ratings.get(job.id)
            judged = ratings_text(ratings, score.score) if ratings else ""
            user = self.message(job, "describe", judged)
            details = await self._describe_call(job, user)
            if details is None:
                return score
            if self.cache is not None:
                self.cache.put_json(key, details.model_dump(mode="json"))
        return self._with_details(score, details)

    async def _describe_call(self, job: Job, user: str) -> Details | None:
        cap = self.config.max_output_tokens
        raised = False
        problem = ""
        attempts = 0
        while attempts < 2:
            reply = await self._call(job, user, DESCRIBE, cap, again=raised or attempts > 0)
            if reply is None:
                return None
            if reply.finish_reason == "length" and not raised:
                cap, raised = 2 * cap if cap else LENGTH_RETRY_CAP, True
                continue
            attempts += 1
            try:
                details = self._read(reply, read_details)
            except ReplyError as exc:
                problem = str(exc)
                continue
            self._streak = 0
            return details
        log.warning(
            "posting %s: describing it failed (%s, twice); its reason is the judging "
            "call's evidence",
            _label(job),
            problem,
        )
        return None

    @staticmethod
    def _with_details(score: Score, details: Details) -> Score:
        pay = details.pay
        return replace(
            score,
            reason=first_sentences(clean_text(details.reason), count=2, limit=400) or score.reason,
            summary=first_sentences(clean_text(details.summary), count=3, limit=600)
            or score.summary,
            employer=clean_text(details.employer),
            work_mode=details.work_mode,
            pay=facts.pay_value(pay.min, pay.max, pay.currency, pay.period) if pay else None,
            visa=details.visa,
            level=details.level,
            employment=details.employment,
        )

    # -- what it cost --------------------------------------------------------------------

    def report(self) -> str:
        u = self.usage
        calls = u.calls + u.describe_calls
        parts = [
            f"Scoring with {self.config.model}: {calls} calls ({u.calls} judging, "
            f"{u.describe_calls} describing picks), {u.cache_hits} cache hits",
            f"{u.input_tokens:,} input tokens ({u.cached_tokens:,} cached)",
            f"{u.output_tokens:,} output tokens ({u.reasoning_tokens:,} reasoning)",
            f"${u.cost_usd:.4f} by the server's usage figures",
        ]
        return ", ".join(parts) + (f"; {u.skipped} skipped" if u.skipped else "")

    def usage_record(self) -> ScoringUsage:
        u = self.usage
        return ScoringUsage(
            calls=u.calls + u.describe_calls,
            cache_hits=u.cache_hits,
            input_tokens=u.input_tokens,
            cached_tokens=u.cached_tokens,
            reasoning_tokens=u.reasoning_tokens,
            output_tokens=u.output_tokens,
            cost_usd=round(u.cost_usd, 6),
        )


async def _each(calls: Sequence[Coroutine[Any, Any, None]]) -> None:
    """Run `calls` together; the first to give the model up (or to find it unusable)
    cancels the others."""
    try:
        async with asyncio.TaskGroup() as group:
            for call in calls:
                group.create_task(call)
    except ExceptionGroup as failed:
        for exc in failed.exceptions:
            if isinstance(exc, ScoringError):
                raise exc from None
        if all(isinstance(exc, _GiveUp) for exc in failed.exceptions):
            raise _GiveUp from None
        raise


def make_openai_scorer(
    config: ScoringConfig, profile: Profile, api_key: str | None, today: dt.date | None = None
) -> LLMScorer:
    if not api_key:
        raise ScoringError("the OpenAI scorer needs an API key (--api-key or OPENAI_API_KEY)")
    return LLMScorer(
        config,
        profile,
        OpenAIChatModel(config, api_key),
        ScoreCache(config.cache_dir, max_age_days=config.cache_days),
        today=today,
    )
