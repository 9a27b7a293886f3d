"""The candidate profile: front matter a program can match, prose below for a model to read.

One file serves both scorers, so the local scorer and the OpenAI scorer never disagree about
what the candidate asked for.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

import frontmatter
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.config import format_validation_error
from generator.errors import ConfigError
from generator.models import ProfileLevel, RemotePreference

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
    remote: RemotePreference = "any"
    seniority: list[Seniority] = Field(default_factory=list)
    prose: str = ""
    """The markdown body: free text for a language model, ignored by the local scorer."""

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything a scorer reads changes; part of every score-cache key."""
        return hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()[:16]


PROFILE_ENV = "JOBPICKS_PROFILE"
"""The whole profile text, e.g. from a GitHub secret; it wins over the profile file, so a
public fork need not hold what its reader is looking for."""


def profile_secret(env: Mapping[str, str] | None = None) -> str:
    """The profile text from `JOBPICKS_PROFILE`, or "" (Actions passes an unset secret as "")."""
    text = (os.environ if env is None else env).get(PROFILE_ENV, "")
    return text if text.strip() else ""


def profile_origin(path: Path, env: Mapping[str, str] | None = None) -> str:
    """Where the profile is read from, as errors name it."""
    return f"${PROFILE_ENV}" if profile_secret(env) else str(path)


def require_usable(profile: Profile, path: Path, scorer: str) -> None:
    """Refuse a profile that gives `scorer` nothing to match, before anything is fetched.

    Without this an empty profile silently picks arbitrary jobs, all scored alike.
    """
    keys = profile.titles or profile.must_have or profile.nice_to_have
    where = profile_origin(path)
    if scorer == "local" and not keys:
        raise ConfigError(
            f"{where}: the profile gives the local scorer nothing to match: fill `titles` "
            "or the skills (`must_have`, `nice_to_have`) in its front matter"
        )
    if not keys and not profile.prose:
        raise ConfigError(
            f"{where}: the profile is empty: write what you are looking for below the front "
            "matter, or fill `titles` or the skills (`must_have`, `nice_to_have`)"
        )


def load_profile(path: Path, env: Mapping[str, str] | None = None) -> Profile:
    """The profile from `JOBPICKS_PROFILE` when it is set, else from the file at `path`."""
    text = profile_secret(env)
    if text:
        return parse_profile(text, f"${PROFILE_ENV}")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: profile not found (set `profile:` in jobpicks.yml to your profile file, "
            f"or the whole profile in ${PROFILE_ENV}; `jobpicks init` writes one)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read profile: {exc}") from None
    return parse_profile(text, str(path))


def parse_profile(text: str, where: str) -> Profile:
    """A profile from its text; errors name `where` it came from."""
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: invalid YAML front matter: {exc}") from None
    try:
        return Profile.model_validate({**post.metadata, "prose": post.content.strip()})
    except ValidationError as exc:
        raise ConfigError(format_validation_error(where, exc)) from None
