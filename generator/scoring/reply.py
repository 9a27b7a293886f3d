"""Reading a model's answer tolerantly, without letting text pass for a number.

Compatible servers wrap JSON in ```json fences, put a `<think>` block or a sentence before it,
add keys, leave optional ones out, or answer 3.5 where 3 was asked. All of that is read: the
last JSON object in the reply after its reasoning, unknown keys ignored, missing optional keys
defaulted, a rating rounded and clamped. Reasoning is a `<think>` block, or all the text up
to a lone `</think>` (a chat template that opens the block itself: DeepSeek-R1 distills,
QwQ, vLLM without a reasoning parser); a draft answer inside it is never the answer. What is
never read is a rating given as a string: "4" (or "100") is text a posting could have put
there, so a reply rating with strings fails like any reply that is not the shape asked for.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import get_args

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from generator.models import Employment, Level, PayPeriod, Visa, WorkMode
from generator.scoring.prompt import CRITERIA, TOP

_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.IGNORECASE | re.DOTALL)
_CLOSE = re.compile(r"</(think|thinking|reasoning)>", re.IGNORECASE)
_ALIASES = {
    "must_have": "must_haves",
    "musthaves": "must_haves",
    "skills": "must_haves",
    "dealbreaker": "dealbreakers",
    "location": "place",
    "work_mode_and_place": "place",
    "seniority": "level",
}


class ReplyError(ValueError):
    """The reply cannot be read as the shape asked for; the message says why."""


def json_object(content: str, wanted: tuple[str, ...] = ()) -> dict[str, object]:
    """The last JSON object in `content` after its reasoning; fences and text around it are
    skipped. The last, because a model that drafts an answer writes the final one after it;
    but the last with every `wanted` key (as `_key` reads them) when one has them, so an
    example `{}` written after the answer is not taken for it."""
    text = _THINK.sub(" ", content)
    if re.match(r"\s*<(think|thinking|reasoning)>", text, re.IGNORECASE):
        raise ReplyError("the reply is an unfinished reasoning block")
    objects = _objects(text)
    # A lone closing tag ends reasoning whose opening tag the chat template wrote; one
    # inside an object is text the answer quotes (its evidence), not the end of reasoning.
    for close in _CLOSE.finditer(text):
        if not any(start < close.start() < end for start, end, _ in objects):
            objects = [found for found in objects if found[0] >= close.end()]
            break
    if not objects:
        raise ReplyError("reply is not valid JSON")
    whole = [value for _, _, value in objects if set(wanted) <= {_key(k) for k in value}]
    return (whole or [objects[-1][2]])[-1]


def _objects(text: str) -> list[tuple[int, int, dict[str, object]]]:
    """The JSON objects in `text` that no other contains, with where each starts and ends."""
    decoder = json.JSONDecoder()
    found: list[tuple[int, int, dict[str, object]]] = []
    for match in re.finditer(r"\{", text):
        if found and match.start() < found[-1][1]:
            continue  # inside the object just read
        try:
            value, end = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            found.append((match.start(), end, value))
    return found


def _key(name: object) -> str:
    key = re.sub(r"[\s-]+", "_", str(name).strip().casefold())
    return _ALIASES.get(key, key)


@dataclass(frozen=True)
class Judgement:
    evidence: str
    ratings: dict[str, float]
    """Each criterion as the model gave it: a finite number, maybe outside 0-4 (see
    `normalise`)."""


def read_judgement(content: str) -> Judgement:
    data = {_key(k): v for k, v in json_object(content, CRITERIA).items()}
    ratings: dict[str, float] = {}
    for name in CRITERIA:
        if name not in data:
            raise ReplyError(f"reply lacks the rating {name!r}")
        value = data[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ReplyError(f"rating {name!r} is not a number ({type(value).__name__})")
        if not math.isfinite(value):
            raise ReplyError(f"rating {name!r} is not a finite number")
        ratings[name] = float(value)
    evidence = data.get("evidence")
    return Judgement(evidence if isinstance(evidence, str) else "", ratings)


SCALES = (5, 10, 100)


def detect_scale(judgements: list[Judgement]) -> int:
    """The scale the model rated on: 4 as asked, unless most of its answers go above 4, then
    the smallest usual scale that holds them all (a model answering 0-10 or 1-5); or unless
    two answers rate from 6 to 10, then 0-10. A few are enough: a 0-10 model rates only a
    weak day's best above 4, and reading the rest on 0-4 would rank them first. One is not:
    a posting that talks the model into a 10 would rescale the whole day (it is skipped as
    wild instead). A 5 is not either: a 1-5 model or a sloppy 0-4 one answers it too."""
    highest = [max(j.ratings.values()) for j in judgements]
    above = sum(h > TOP for h in highest)
    if highest and above * 2 > len(highest):
        top = max(highest)
        return next((scale for scale in SCALES if top <= scale), int(top))
    if sum(TOP + 1 < h <= 10 for h in highest) >= 2:
        return 10
    return TOP


def normalise(ratings: dict[str, float], scale: int) -> dict[str, float]:
    """Ratings on 0-4: rescaled from `scale`, then clamped and rounded to whole steps."""
    factor = TOP / scale
    return {k: float(min(TOP, max(0, round(v * factor)))) for k, v in ratings.items()}


class StatedPay(BaseModel):
    model_config = ConfigDict(extra="ignore")

    min: float
    max: float
    currency: str
    period: PayPeriod


_ALLOWED: dict[str, tuple[str, ...]] = {
    "work_mode": get_args(WorkMode),
    "visa": get_args(Visa),
    "level": get_args(Level),
    "employment": get_args(Employment),
}


def _loose(value: str) -> str:
    """A value as a server may spell it: "On-Site", "not-offered", "Full time"."""
    return re.sub(r"[\s_-]+", "", value.casefold())


_LOOSE: dict[str, dict[str, str]] = {
    field: {_loose(value): value for value in values} for field, values in _ALLOWED.items()
}


class Details(BaseModel):
    """A describe answer. Everything has a default: a server that leaves a key out still
    gives the rest. A fact is read as the value it spells ("On-Site", "not-offered", "Full
    time"); one outside its enumeration ("flexible", "not stated") is null."""

    model_config = ConfigDict(extra="ignore")

    reason: str = ""
    summary: str = ""
    employer: str = ""
    work_mode: WorkMode | None = None
    pay: StatedPay | None = None
    visa: Visa | None = None
    level: Level | None = None
    employment: Employment | None = None

    @field_validator("reason", "summary", "employer", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return value if isinstance(value, str) else ""

    @field_validator("work_mode", "visa", "level", "employment", mode="before")
    @classmethod
    def _known_or_null(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return None
        return _LOOSE[str(info.field_name)].get(_loose(value))

    @field_validator("pay", mode="before")
    @classmethod
    def _pay_or_null(cls, value: object) -> object:
        try:
            return StatedPay.model_validate(value) if value is not None else None
        except ValidationError:
            return None


def read_details(content: str) -> Details:
    data = {_key(k): v for k, v in json_object(content).items()}
    try:
        return Details.model_validate(data)
    except ValidationError as exc:  # only a field validator's own error can get here
        raise ReplyError(f"reply fails the shape ({exc.error_count()} problems)") from None
