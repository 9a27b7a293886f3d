"""The candidate profile: front matter a program can match, prose below for a model to read.

One file serves both scorers, so the local scorer and the OpenAI scorer never disagree about
what the candidate asked for.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

import frontmatter
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.config import format_validation_error
from generator.errors import ConfigError
from generator.models import ProfileLevel

Seniority = ProfileLevel
"""The levels of `models.LEVELS`, or a word for one (`models.LEVEL_WORDS`)."""


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    titles: list[str] = Field(default_factory=list)
    must_have: list[str] = Field(default_factory=list)
    nice_to_have: list[str] = Field(default_factory=list)
    avoid_skills: list[str] = Field(default_factory=list)
    avoid_companies: list[str] = Field(default_factory=list)
    locations: list[str] = Field(default_factory=list)
    remote: Literal["required", "preferred", "any", "onsite"] = "any"
    seniority: list[Seniority] = Field(default_factory=list)
    prose: str = ""
    """The markdown body: free text for a language model, ignored by the local scorer."""

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything a scorer reads changes; part of every score-cache key."""
        return hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()[:16]


def require_usable(profile: Profile, path: Path, scorer: str) -> None:
    """Refuse a profile that gives `scorer` nothing to match, before anything is fetched.

    Without this an empty profile silently picks arbitrary jobs, all scored alike.
    """
    keys = profile.titles or profile.must_have or profile.nice_to_have
    if scorer == "local" and not keys:
        raise ConfigError(
            f"{path}: the profile gives the local scorer nothing to match: fill `titles` "
            "or the skills (`must_have`, `nice_to_have`) in its front matter"
        )
    if not keys and not profile.prose:
        raise ConfigError(
            f"{path}: the profile is empty: write what you are looking for below the front "
            "matter, or fill `titles` or the skills (`must_have`, `nice_to_have`)"
        )


def load_profile(path: Path) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: profile not found (set `profile:` in jobpicks.yml to your profile file)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read profile: {exc}") from None
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML front matter: {exc}") from None
    try:
        return Profile.model_validate({**post.metadata, "prose": post.content.strip()})
    except ValidationError as exc:
        raise ConfigError(format_validation_error(path, exc)) from None
