"""`jobpicks.yml`: one typed object, validated in one pass.

Every bad or unknown key is reported with its path (`sources[2].url: ...`) and then the load
aborts once, so a user fixes the whole file in one go instead of one key per run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from generator.errors import ConfigError
from generator.models import Level, MinPay, Visa, WorkMode
from generator.text import plural

DEFAULT_CONFIG = "jobpicks.yml"
SAMPLE_CONFIG = Path("samples") / "jobpicks.yml"
"""The bundled sample config, used when there is no jobpicks.yml: upstream ships this one
and never a jobpicks.yml, so a fork's own config never conflicts with a release."""
USER_AGENT = "jobpicks/0.1 (+https://github.com/jobpicks/jobpicks; daily job digest)"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
"""A URL scheme (two letters or more, so a Windows drive letter stays a path)."""


def unsupported_scheme(location: str) -> str:
    """The scheme of a source location that is neither http(s) nor a path (`ftp`, `file`)."""
    match = _SCHEME.match(location)
    if match is None or match.group(1).lower() in ("http", "https"):
        return ""
    return match.group(1).lower()


def _http_or_path(value: str) -> str:
    """A source's `url`: http(s) or a local path; `ftp://`, `file://` and the like are
    refused here rather than read as a folder named `ftp:`."""
    scheme = unsupported_scheme(value)
    if scheme:
        raise ValueError(f"{scheme}: URLs are not supported: use an http(s) URL or a local path")
    return value


class FeedSource(_Strict):
    """An RSS 2.0 or Atom feed, from a URL or a local file."""

    type: Literal["feed", "rss", "atom"] = "feed"
    url: str = Field(min_length=1, description="http(s) URL or a path relative to the config")
    name: str = ""
    company: str = ""
    """For a single employer's feed: the company of every posting in it."""

    _url = field_validator("url")(_http_or_path)

    @property
    def label(self) -> str:
        return self.name or self.url


class BoardSource(_Strict):
    """Public job-board APIs of applicant tracking systems: one request per board per run."""

    type: Literal["greenhouse", "lever", "ashby"]
    boards: list[str] = Field(min_length=1)
    """Board tokens / company slugs, e.g. `stripe` for boards.greenhouse.io/stripe."""
    names: dict[str, str] = Field(default_factory=dict)
    """Display names by board, where the API does not give the company's name."""
    api_url: str = ""
    """Override the API's base URL (for a proxy, an EU instance or tests)."""
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or f"{self.type} {', '.join(self.boards)}"


class JobSpySource(_Strict):
    """A JobSpy search (needs `pip install jobpicks[jobspy]`)."""

    type: Literal["jobspy"]
    sites: list[str] = Field(default_factory=lambda: ["linkedin", "indeed"])
    search_term: str = Field(min_length=1)
    location: str = ""
    hours_old: int = Field(72, ge=1)
    results_wanted: int = Field(50, ge=1, le=1000)
    country_indeed: str = "USA"
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or f"jobspy {self.search_term!r}"


class CsvSource(_Strict):
    """A JobSpy-style CSV export, so a search made elsewhere can be fed in offline."""

    type: Literal["csv"]
    url: str = Field(min_length=1)
    name: str = ""

    _url = field_validator("url")(_http_or_path)

    @property
    def label(self) -> str:
        return self.name or self.url


Source = Annotated[FeedSource | BoardSource | JobSpySource | CsvSource, Field(discriminator="type")]


class FilterConfig(_Strict):
    """Cheap filters applied before scoring; the run says how many each removed."""

    title_include: list[str] = Field(default_factory=list)
    """Regular expressions (case-insensitive); when given, a title must match one."""
    title_exclude: list[str] = Field(default_factory=list)
    locations: list[str] = Field(default_factory=list)
    """Substrings; when given, a location must contain one (remote jobs pass unless
    `remote_ok` is false)."""
    remote_ok: bool = True
    remote_only: bool = False
    exclude_companies: list[str] = Field(default_factory=list)
    skip_seniority: list[str] = Field(default_factory=list)
    """Title words such as `senior`, `staff`, `intern`."""
    max_age_days: int | None = Field(None, ge=0)
    """Drop postings older than this many days (postings with no date pass)."""
    work_modes: list[WorkMode] = Field(default_factory=list)
    """When given, drop postings whose stated work mode is another (unstated ones pass)."""
    min_pay: MinPay | None = None
    """Drop postings whose pay does not reach this (`MinPay.reaches`); postings whose pay
    cannot be compared (unstated, another currency) pass."""
    require_pay: bool = False
    """Also drop postings that state no pay."""
    visa: Literal["required"] | None = None
    """`required`: drop postings that say they will not sponsor a visa."""

    @field_validator("title_include", "title_exclude")
    @classmethod
    def _valid_patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from None
        return patterns


class DedupeConfig(_Strict):
    aggregators: list[str] = Field(default_factory=list)
    """More posters to treat as aggregators, besides Lensa, Jobs via Dice, ChatGPT Jobs and
    myGwork."""
    title_similarity: int = Field(90, ge=50, le=100)
    """rapidfuzz score (0-100) above which two titles of as many words are the same title;
    postings are one job only when their texts are near-identical too."""
    shown_days: int = Field(60, ge=1, le=3650)
    """How long a pick (while not seen closed) hides a posting of the same job under a new
    URL; after that, or once closed, such a posting is picked on its merits as a repost."""


class FetchConfig(_Strict):
    timeout: float = Field(20.0, gt=0, le=600)
    """Seconds for one request: connect, headers and body together."""
    deadline: float = Field(300.0, gt=0, le=3600)
    """Seconds for the whole sources stage; a source not read by then is a warning."""
    max_bytes: int = Field(10_000_000, gt=0)
    concurrency: int = Field(4, ge=1, le=32)
    user_agent: str = USER_AGENT


class ScoringConfig(_Strict):
    scorer: Literal["auto", "local", "openai"] = "auto"
    model: str = "gpt-5.4-mini"
    base_url: str | None = None
    llm_candidates: int = Field(150, ge=1)
    max_concurrency: int = Field(8, ge=1, le=64)
    max_calls: int = Field(500, ge=0)
    timeout: float = Field(60.0, gt=0)
    max_retries: int = Field(3, ge=0, le=10)
    tokenizer: Literal["auto", "chars"] = "auto"
    """auto: tiktoken where it knows the model, else about four characters a token."""
    max_posting_tokens: int = Field(300, ge=50)
    feedback_tokens: int = Field(600, ge=0)
    """The "what the reader said" section of the model's prefix: the latest verdicts up to
    this many tokens (0: none)."""
    """A longer posting loses boilerplate first; pay, place and requirements stay."""
    deadline: float = Field(600.0, gt=0, le=3600)
    """Seconds for the whole scoring stage; a model not done by then is given up for the
    day and the local scorer scores it."""
    temperature: float | None = Field(None, ge=0, le=2)
    """Sent only when set, as are the next three."""
    max_output_tokens: int | None = Field(None, ge=16)
    """The output cap of each call (`max_completion_tokens`, or `max_tokens` where the
    server wants that); an answer cut off at it is retried once with twice the cap."""
    reasoning_effort: str | None = Field(None, pattern=r"^[a-z]+$")
    """e.g. none, minimal, low, medium, high: what the model accepts."""
    service_tier: str | None = Field("flex", pattern=r"^[a-z]+$")
    """flex: OpenAI's half-price, slower tier (a daily batch is what it is for). A server
    that refuses it, is too busy on it or too slow (half the deadline gone) gets the
    standard tier for the rest of the run; null sends no tier at all. The cost counts the
    tier the server reports."""
    cache_dir: Path = Path(".jobpicks-cache")
    cache_days: int = Field(60, ge=1)
    # USD per million tokens, gpt-5.4-mini's list prices in 2026; set yours for another model.
    price_input_per_million: float = Field(0.75, ge=0)
    price_cached_input_per_million: float = Field(0.075, ge=0)
    price_output_per_million: float = Field(4.5, ge=0)


class SelectionConfig(_Strict):
    picks_per_day: int = Field(20, ge=1, le=500)
    min_score: int = Field(60, ge=0, le=100)
    """The bar: a posting below it is never picked, so a weak day shows few picks, or none,
    instead of filling up to `picks_per_day` (`selection.day_bar`)."""
    max_per_company: int = Field(3, ge=1)


class SavedSearch(_Strict):
    """A feed and a page of the picks that pass every filter given (any of a list)."""

    name: str = ""
    """The title readers see; by default the key in words ("remote-europe": "Remote Europe")."""
    work_modes: list[WorkMode] = Field(default_factory=list)
    locations: list[str] = Field(default_factory=list)
    """Substrings of the pick's location, ignoring case and accents."""
    companies: list[str] = Field(default_factory=list)
    """Company names, ignoring case."""
    min_score: int | None = Field(None, ge=0, le=100)
    levels: list[Level] = Field(default_factory=list)
    visa: Visa | None = None
    min_pay: MinPay | None = None
    """Picks whose pay reaches this (`MinPay.reaches`); unstated pay never matches."""
    title: str = ""
    """A regular expression the pick's title must match (ignoring case)."""

    @field_validator("title")
    @classmethod
    def _valid_pattern(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from None
        return pattern


_FEED_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class SiteConfig(_Strict):
    title: str = "Job Picks"
    description: str = "AI-curated job picks, every day."
    url: str = ""
    """The published address, e.g. https://you.github.io/jobpicks/; feeds link to it. Empty:
    found from publish.cname, GitHub Actions or the origin remote (`site/address.py`)."""

    feeds: dict[str, SavedSearch] = Field(default_factory=dict)
    """Saved searches by name; each gets `feeds/saved/NAME.xml` and a page `saved/NAME/`."""
    reasons: bool = True
    """False: the scorer's reasons and the postings' summaries are left off every page, feed,
    search entry and Explore file (a public site need not say what the reader lacks)."""
    verdicts: bool = True
    """False: feedback.yml stays off the site (Applications, a company's applications, the
    marks every browser shows); marks then show only in the browser that made them."""

    @field_validator("feeds")
    @classmethod
    def _feed_names(cls, feeds: dict[str, SavedSearch]) -> dict[str, SavedSearch]:
        for name in feeds:
            if not _FEED_NAME.match(name):
                raise ValueError(
                    f"{name!r} cannot name a feed: use lower-case letters, digits and "
                    "hyphens (it becomes the feed's address), e.g. remote-europe"
                )
        return feeds

    @field_validator("url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        value = value.strip()
        if value and not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
            raise ValueError(
                f"{value!r} is not an absolute http(s) address (e.g. https://you.github.io/jobpicks/)"
            )
        return value


class PublishConfig(_Strict):
    remote: str = "origin"
    branch: str = "gh-pages"
    cname: str = ""
    """A custom domain for GitHub Pages, written to the site's CNAME file."""


class LivenessConfig(_Strict):
    """`jobpicks check`: how far back picks are re-checked and how politely."""

    days: int = Field(30, ge=1, le=366)
    """Re-check the picks of this many days before the day of the check."""
    deadline: float = Field(60.0, gt=0, le=3600)
    """Seconds for the whole check; what is not done by then stays unknown until next time."""
    max_requests: int = Field(1000, ge=1)
    """HTTP requests per check, board fetches included; picks past the cap wait for next time."""
    per_host: int = Field(2, ge=1, le=8)
    """Requests in flight at once to one host."""
    timeout: float = Field(15.0, gt=0, le=300)
    """Seconds for one request; a host slower than this costs its pick "unknown"."""
    weekly_until: int = Field(120, ge=0, le=3660)
    """Past `days`, picks up to this many days old are re-checked once a week."""
    monthly_until: int = Field(365, ge=0, le=3660)
    """Past that, picks up to this many days old are re-checked once a month; older ones are
    no longer checked (their `checked` date says since when)."""
    allow_private: bool = False
    """Let the checker fetch loopback, private, link-local and reserved addresses (local
    testing, a board inside a company network). Off, such a link is "unknown"."""


class NotifyConfig(_Strict):
    """`jobpicks notify`: what the day's message holds. The targets are Apprise URLs read from
    the JOBPICKS_NOTIFY environment variable only, never from this file."""

    min_score: int = Field(80, ge=0, le=100)
    """Only picks at or above this score are in the message."""
    max_picks: int = Field(5, ge=1, le=50)
    quiet_days: bool = True
    """A day with no pick at `min_score` sends nothing (health problems are sent all the
    same); false sends a short "quiet day" message instead."""


class Config(_Strict):
    profile: Path = Path("profile.md")
    sources: list[Source] = Field(min_length=1)
    timezone: str = "UTC"
    reading_hour: int = Field(7, ge=0, le=23)
    """The hour (in `timezone`) the reader reads the picks: the scheduled workflow writes the
    day's page in the hour before (`generator/schedule.py`)."""
    docs_dir: Path = Path("docs")
    fetch: FetchConfig = FetchConfig()
    scoring: ScoringConfig = ScoringConfig()
    selection: SelectionConfig = SelectionConfig()
    site: SiteConfig = SiteConfig()
    publish: PublishConfig = PublishConfig()
    filters: FilterConfig = FilterConfig()
    dedupe: DedupeConfig = DedupeConfig()
    liveness: LivenessConfig = LivenessConfig()
    notify: NotifyConfig = NotifyConfig()
    allow_samples: bool = False
    """Publish the bundled sample feeds and profile on purpose (a demo). Otherwise using them
    is a warning, and an error in GitHub Actions (`health.sample_problems`)."""
    feedback: Path = Path("feedback.yml")
    """The reader's verdicts on picks (`jobpicks feedback`), committed like the pages."""

    @field_validator("sources", mode="before")
    @classmethod
    def _feed_by_default(cls, value: Any) -> Any:
        """A source without `type` is a feed, as in the simplest configs."""
        if value is None or value == []:
            # `jobpicks init` without sources writes only commented examples.
            raise ValueError(
                "no sources yet: add a feed or a company board under `sources:` (the "
                "commented examples there show how); the first run needs one"
            )
        if isinstance(value, list):
            return [
                {"type": "feed", **v} if isinstance(v, dict) and "type" not in v else v
                for v in value
            ]
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as 'Europe/Berlin')"
            ) from exc
        return value

    @property
    def picks_dir(self) -> Path:
        return self.docs_dir / "picks"

    def today(self) -> dt.date:
        """The date of "today" in the configured time zone: it names the day's page."""
        return dt.datetime.now(ZoneInfo(self.timezone)).date()


_SOURCE_TAGS = {"feed", "rss", "atom", "greenhouse", "lever", "ashby", "jobspy", "csv"}


def error_path(loc: tuple[int | str, ...]) -> str:
    """`('sources', 2, 'url')` -> `sources[2].url`, the way a user reads the YAML."""
    out = ""
    for part in loc:
        if isinstance(part, str) and part in _SOURCE_TAGS and out.endswith("]"):
            continue  # pydantic names the union member; the user wrote no such key
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def format_validation_error(where: Path | str, exc: ValidationError) -> str:
    lines = [f"{where}: {plural(exc.error_count(), 'problem')}:"]
    for err in exc.errors():
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown key"
        lines.append(f"  {error_path(err['loc'])}: {message}")
    return "\n".join(lines)


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found (`jobpicks init` writes one)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{where}: invalid YAML: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level")
    return data


def find_config(folder: Path) -> tuple[Path, bool]:
    """The config a command uses when none is named: `folder`'s jobpicks.yml, else the
    bundled sample config (then True, so the caller can say so), else jobpicks.yml, for the
    error to name the file to write."""
    own = folder / DEFAULT_CONFIG
    if not own.exists() and (folder / SAMPLE_CONFIG).is_file():
        return folder / SAMPLE_CONFIG, True
    return own, False


def load_config(path: Path, overrides: dict[str, Any] | None = None) -> Config:
    """Read and validate the config; relative paths resolve against the config's folder.

    `overrides` maps dotted keys (`selection.picks_per_day`) to values given on the command
    line; they are validated with the file, so a bad flag is reported the same way.
    """
    data = read_yaml_mapping(path)
    for dotted, value in (overrides or {}).items():
        node = data
        *parents, leaf = dotted.split(".")
        for key in parents:
            child = node.get(key)
            if not isinstance(child, dict):
                child = {}
                node[key] = child
            node = child
        node[leaf] = value
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(path, exc)) from None
    return _resolve_paths(config, path.parent)


def _resolve_paths(config: Config, base: Path) -> Config:
    def resolve(p: Path) -> Path:
        # normpath: the sample config's `../docs` reads as the project's docs/ in messages
        return p if p.is_absolute() else Path(os.path.normpath(base / p))

    sources = [
        s.model_copy(update={"url": str(resolve(Path(s.url)))})
        if isinstance(s, FeedSource | CsvSource) and not s.url.startswith(("http://", "https://"))
        else s
        for s in config.sources
    ]
    scoring = config.scoring.model_copy(update={"cache_dir": resolve(config.scoring.cache_dir)})
    return config.model_copy(
        update={
            "profile": resolve(config.profile),
            "docs_dir": resolve(config.docs_dir),
            "feedback": resolve(config.feedback),
            "sources": sources,
            "scoring": scoring,
        }
    )
