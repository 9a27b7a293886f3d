"""Stage 2: score each job against the candidate profile.

A scorer takes jobs and gives back one `Score` per job it could score. Scorers are registered
in `SCORERS`; `scorer: auto` picks OpenAI when an API key resolves and the local scorer
otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from generator.config import ScoringConfig
from generator.errors import ScoringError
from generator.models import Job, Score, ScoringUsage
from generator.profile import Profile
from generator.scoring.local import LocalScorer

if TYPE_CHECKING:
    from generator.feedback import Example


class Scorer(Protocol):
    name: str
    model: str
    fallback: str
    """"" normally; else one line on why the model was given up and the day scored locally."""

    def score(self, jobs: Sequence[Job]) -> list[Score]:
        """One score per job it could score; a job it could not score is left out, with a
        warning naming it."""
        ...

    def report(self) -> str:
        """A line on what scoring cost (calls, tokens, money); empty when nothing to say."""
        ...

    def usage_record(self) -> ScoringUsage | None:
        """What the model cost, for the day page; None when no model was asked."""
        ...


@runtime_checkable
class LearnsVerdicts(Protocol):
    """A scorer that moves its scores by the reader's verdicts (`feedback.yml`)."""

    def learn(self, examples: Sequence[Example]) -> int:
        """Use `examples` for the scores to come; returns how many it uses."""
        ...


ScorerFactory = Callable[[ScoringConfig, Profile, str | None, dt.date | None], Scorer]


def _local(
    config: ScoringConfig, profile: Profile, api_key: str | None, today: dt.date | None
) -> Scorer:
    return LocalScorer(profile)


def _openai(
    config: ScoringConfig, profile: Profile, api_key: str | None, today: dt.date | None
) -> Scorer:
    from generator.scoring.llm import make_openai_scorer  # the SDK is slow to import

    return make_openai_scorer(config, profile, api_key, today)


SCORERS: dict[str, ScorerFactory] = {"local": _local, "openai": _openai}


def resolve_api_key(explicit: str | None) -> str | None:
    """The OpenAI key: an explicit `--api-key`, else `OPENAI_API_KEY`; None when neither is set."""
    key = explicit or os.environ.get("OPENAI_API_KEY") or ""
    return key.strip() or None


def choose_scorer(config: ScoringConfig, api_key: str | None) -> str:
    """The registered name `scorer:` resolves to."""
    if config.scorer == "auto":
        return "openai" if api_key and "openai" in SCORERS else "local"
    if config.scorer == "openai" and not api_key:
        local = (
            f"; a local server ({config.base_url}) needs a key too, any non-empty one, e.g. "
            "OPENAI_API_KEY=local"
            if config.base_url
            else ""
        )
        raise ScoringError(
            "scoring.scorer is 'openai' but no API key is set: pass --api-key or set "
            f"OPENAI_API_KEY (or use scorer: local){local}"
        )
    if config.scorer not in SCORERS:
        raise ScoringError(f"scoring.scorer {config.scorer!r} is not available in this install")
    return config.scorer


def make_scorer(
    config: ScoringConfig, profile: Profile, api_key: str | None, today: dt.date | None = None
) -> Scorer:
    """The scorer for a run; `today` is the run's date, which the model is told."""
    return SCORERS[choose_scorer(config, api_key)](config, profile, api_key, today)
