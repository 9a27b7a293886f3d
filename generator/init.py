"""`jobpicks init`: a checked jobpicks.yml and profile.md in one command.

Every answer comes from a flag, else a prompt (in a terminal, prefilled from a CV draft),
else a default (`--yes`). Each board and feed is checked with one real request through the
same readers a run uses, and nothing is written until every answer is in and every source
either answered or was kept on purpose. The files written are the user's own: upstream
ships neither, so a fork that writes them merges every release cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shlex
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
import yaml

from generator.config import (
    DEFAULT_CONFIG,
    BoardSource,
    Config,
    FeedSource,
    FetchConfig,
    JobSpySource,
    ScoringConfig,
)
from generator.cv import ProfileDraft, draft_locally, draft_with_model, read_cv
from generator.errors import InitError, SourceError
from generator.files import atomic_write_text
from generator.models import RemotePreference
from generator.profile import Profile, Seniority, parse_profile
from generator.schedule import DEFAULT_HOUR
from generator.sources import READERS
from generator.sources.fetch import make_client
from generator.text import plural

PROFILE_FILE = "profile.md"
SITE_CONFIG = "mkdocs.yml"
CLONE = Path(__file__).resolve().parent.parent
"""The jobpicks clone this package runs from (the README's editable install): its
mkdocs.yml and generator/theme are the site's layout, which a project folder elsewhere
needs to build."""
DAILY_WORKFLOW = Path(".github") / "workflows" / "daily.yml"
_THEME_LINE = re.compile(r"^(\s*custom_dir:\s*)generator/theme\s*$", re.M)
BOARD_KINDS = ("greenhouse", "lever", "ashby")
REMOTE_CHOICES: tuple[str, ...] = get_args(RemotePreference)
LEVELS: tuple[str, ...] = get_args(Seniority)
SOURCE_HELP = (
    "greenhouse:NAME, lever:NAME, ashby:NAME (or the board's URL), a feed URL, "
    "or jobspy:SEARCH@PLACE"
)
# A board's own page, pasted instead of `kind:name`.
_BOARD_PAGES = (
    ("greenhouse", re.compile(r"^https?://(?:job-)?boards(?:\.eu)?\.greenhouse\.io/([\w.-]+)")),
    ("lever", re.compile(r"^https?://jobs(?:\.eu)?\.lever\.co/([\w.-]+)")),
    ("ashby", re.compile(r"^https?://jobs\.ashbyhq\.com/([\w.%-]+)")),
)
_BOARD_HOME = {
    "greenhouse": "boards.greenhouse.io/{}",
    "lever": "jobs.lever.co/{}",
    "ashby": "jobs.ashbyhq.com/{}",
}


# -- sources ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceSpec:
    """One source as the user typed it: a board, a feed or a JobSpy search."""

    kind: str
    """greenhouse, lever, ashby, feed or jobspy."""
    value: str
    """The board's name, the feed's URL or the search's terms."""
    place: str = ""

    @property
    def label(self) -> str:
        if self.kind == "jobspy":
            return f"jobspy {self.value!r}" + (f" in {self.place}" if self.place else "")
        return f"{self.kind} {self.value}"


def parse_source(text: str) -> SourceSpec:
    """`greenhouse:stripe`, `https://jobs.lever.co/acme`, a feed URL, `jobspy:QA@Berlin`."""
    text = text.strip()
    for kind, page in _BOARD_PAGES:
        if match := page.match(text):
            return SourceSpec(kind, match[1])
    if text.startswith(("http://", "https://")):
        return SourceSpec("feed", text)
    kind, sep, value = text.partition(":")
    kind, value = kind.strip().lower(), value.strip()
    if sep and kind in BOARD_KINDS and re.fullmatch(r"[\w.-]+", value):
        return SourceSpec(kind, value)
    if sep and kind == "jobspy" and value:
        term, _, place = value.partition("@")
        if term.strip():
            return SourceSpec("jobspy", term.strip(), place.strip())
    raise InitError(f"{text!r} is not a source: give {SOURCE_HELP}")


def to_source(spec: SourceSpec, api_urls: dict[str, str]) -> Any:
    """The config's source object for `spec` (one board per source, for checking)."""
    if spec.kind in BOARD_KINDS:
        return BoardSource(type=spec.kind, boards=[spec.value], api_url=api_urls.get(spec.kind, ""))
    if spec.kind == "jobspy":
        return JobSpySource(type="jobspy", search_term=spec.value, location=spec.place)
    return FeedSource(url=spec.value)


@dataclass(frozen=True)
class Checked:
    spec: SourceSpec
    ok: bool
    line: str

    @property
    def shown(self) -> str:
        return ("  ok    " if self.ok else "  FAIL  ") + self.line


def _explain(spec: SourceSpec, problem: str) -> str:
    if spec.kind in BOARD_KINDS and problem.startswith("HTTP 404"):
        home = _BOARD_HOME[spec.kind].format(spec.value)
        return f"no such board (is {home} its page?)"
    if spec.kind == "feed" and ("not an RSS or Atom feed" in problem or "malformed XML" in problem):
        return f"not a feed ({problem})"
    return f"cannot check it: {problem}"


async def check_one(
    spec: SourceSpec, fetch: FetchConfig, client: Any, api_urls: dict[str, str]
) -> Checked:
    """One real request (Lever pages on for a big board) through the run's own reader."""
    if spec.kind == "jobspy":
        return Checked(spec, True, f"{spec.label}: not checked (JobSpy searches at run time)")
    (unit,) = READERS[spec.kind](to_source(spec, api_urls))
    try:
        jobs = await unit.read(fetch, client)
    except SourceError as exc:
        return Checked(spec, False, f"{spec.label}: {_explain(spec, exc.message)}")
    if spec.kind in BOARD_KINDS:
        return Checked(spec, True, f"{spec.label}: {plural(len(jobs), 'open job')}")
    if not jobs:
        return Checked(spec, True, f"{spec.label}: a feed, with no postings right now")
    return Checked(spec, True, f"{spec.label}: {plural(len(jobs), 'posting')}")


def check_sources(
    specs: Sequence[SourceSpec], fetch: FetchConfig, api_urls: dict[str, str]
) -> list[Checked]:
    """Every source checked at once; results in the order given."""
    if not specs:
        return []

    async def check_all() -> list[Checked]:
        slots = asyncio.Semaphore(fetch.concurrency)

        async def one(spec: SourceSpec) -> Checked:
            async with slots:
                return await check_one(spec, fetch, client, api_urls)

        async with make_client(fetch) as client:
            return list(await asyncio.gather(*(one(spec) for spec in specs)))

    return asyncio.run(check_all())


# -- answers ---------------------------------------------------------------------------------


_NO_DRAFT = ProfileDraft(
    titles=[], must_have=[], nice_to_have=[], locations=[], remote="any", seniority=[], summary=""
)


@dataclass
class Answers:
    """Everything `init` writes, from flags, prompts, a CV draft or defaults."""

    profile: ProfileDraft = field(default_factory=lambda: _NO_DRAFT.model_copy())
    """The profile's keys, as confirmed (the draft's shape, whoever answered)."""
    timezone: str = "UTC"
    reading_hour: int = DEFAULT_HOUR
    sources: list[SourceSpec] = field(default_factory=list)
    api_urls: dict[str, str] = field(default_factory=dict)
    model: str = ""
    base_url: str = ""


def split_list(values: Sequence[str] | str) -> list[str]:
    """Answers as given: repeated flags, commas, or both; duplicates dropped."""
    items = [values] if isinstance(values, str) else list(values)
    out: list[str] = []
    for item in items:
        for part in item.split(","):
            part = part.strip()
            if part and part.casefold() not in {o.casefold() for o in out}:
                out.append(part)
    return out


def system_timezone() -> str:
    """The machine's IANA zone (TZ, else /etc/localtime's target), else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(IndexError, OSError):
        candidates.append(str(Path("/etc/localtime").resolve()).split("zoneinfo/", 1)[1])
    for name in candidates:
        if name and valid_timezone(name):
            return name
    return "UTC"


def valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _levels(value: str) -> list[str]:
    levels = split_list(value.lower())
    wrong = [level for level in levels if level not in LEVELS]
    if wrong:
        raise click.BadParameter(f"{', '.join(wrong)}: use {', '.join(LEVELS)}")
    return levels


def _zone(value: str) -> str:
    if not valid_timezone(value.strip()):
        raise click.BadParameter(f"{value!r} is not an IANA time zone, e.g. Europe/Berlin")
    return value.strip()


def _hour(value: str) -> int:
    if not value.strip().isdigit() or not 0 <= int(value) <= 23:
        raise click.BadParameter("give an hour from 0 to 23")
    return int(value)


Prompt = Callable[..., Any]


class Asker:
    """Asks for what no flag gave, prefilled with the draft; with `--yes`, asks nothing."""

    def __init__(self, interactive: bool, prompt: Prompt = click.prompt) -> None:
        self.interactive = interactive
        self.prompt = prompt

    def text(self, question: str, default: str, convert: Callable[[str], Any] = str) -> Any:
        if not self.interactive:
            return convert(default)
        return self.prompt(
            question, default=default, show_default=bool(default), value_proc=convert
        )

    def items(self, question: str, default: list[str]) -> list[str]:
        if not self.interactive:
            return default
        answer = self.prompt(
            f"{question} (comma-separated)", default=", ".join(default), show_default=bool(default)
        )
        return split_list(str(answer))


# -- writing ---------------------------------------------------------------------------------


def _flow(value: object) -> str:
    """A YAML value on one line: `[a, b]`, a quoted string only where YAML needs it."""
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip()


def _remove_document_end(text: str) -> str:
    return text[: -len("\n...")] if text.endswith("\n...") else text


def _value(value: object) -> str:
    return _remove_document_end(_flow(value))


_EXAMPLE_SOURCES = """\
  # The first run needs at least one source; for example (see the README's Sources):
  # - type: greenhouse             # boards.greenhouse.io/<name>
  #   boards: [stripe, airbnb]
  # - type: lever                  # jobs.lever.co/<name>
  #   boards: [jumpcloud]
  # - type: ashby                  # jobs.ashbyhq.com/<name>
  #   boards: [render]
  # - type: feed                   # any RSS or Atom feed
  #   url: https://weworkremotely.com/categories/remote-programming-jobs.rss
  # - type: jobspy                 # pip install 'jobpicks[jobspy]'
  #   search_term: backend engineer
  #   location: Berlin
"""


def render_sources(answers: Answers, checked: dict[SourceSpec, str]) -> str:
    """The `sources:` block: boards of one kind together, each commented with its check."""
    if not answers.sources:
        return "sources:\n" + _EXAMPLE_SOURCES
    lines = ["sources:"]
    for kind in BOARD_KINDS:
        boards = [s for s in answers.sources if s.kind == kind]
        if not boards:
            continue
        lines.append(f"  - type: {kind}")
        lines.append(f"    boards: {_value([s.value for s in boards])}")
        lines += [f"    # {checked[s]}" for s in boards if s in checked]
        if kind in answers.api_urls:
            lines.append(f"    api_url: {_value(answers.api_urls[kind])}")
    for spec in answers.sources:
        if spec.kind == "feed":
            lines += ["  - type: feed", f"    url: {_value(spec.value)}"]
            lines += [f"    # {checked[spec]}"] if spec in checked else []
        elif spec.kind == "jobspy":
            lines += ["  - type: jobspy", f"    search_term: {_value(spec.value)}"]
            lines += [f"    location: {_value(spec.place)}"] if spec.place else []
    return "\n".join(lines) + "\n"


def render_config(answers: Answers, checked: dict[SourceSpec, str]) -> str:
    scoring = ["scoring:", "  scorer: auto   # OpenAI when OPENAI_API_KEY is set, else local"]
    if answers.model:
        scoring.append(f"  model: {_value(answers.model)}")
    if answers.base_url:
        scoring.append(f"  base_url: {_value(answers.base_url)}")
    return "\n".join(
        [
            "# jobpicks configuration, written by `jobpicks init`. It is yours: upstream never",
            "# ships a jobpicks.yml. Paths are relative to this file; every key is in the",
            "# README's table.",
            "profile: profile.md",
            f'timezone: {_value(answers.timezone)}   # defines "today" for the daily page',
            f"reading_hour: {answers.reading_hour}   # the day's page is ready by "
            f"{answers.reading_hour:02d}:00 there",
            "docs_dir: docs",
            "",
            render_sources(answers, checked).rstrip("\n"),
            "",
            *scoring,
            "",
            "selection:",
            "  picks_per_day: 20",
            "  min_score: 60   # the bar: a weak day shows fewer picks, never weaker ones",
            "  max_per_company: 3",
            "",
            "site:",
            "  title: Job Picks",
            '  url: ""   # found by itself on GitHub Pages; set it for any other address',
            "",
        ]
    )


def render_profile(answers: Answers, origin: str) -> str:
    """profile.md as `jobpicks init` drafts it. Its front matter is written line by line, not
    by `pages.front_matter`, because it carries comments for the reader (what each key does,
    the values `remote` and `seniority` take) that a YAML dumper cannot write."""
    profile = answers.profile
    remote = _value(profile.remote)
    levels = _value(profile.seniority)
    front = [
        "---",
        "# What a program can match: the local scorer uses only these keys; a model reads",
        "# them and the prose below.",
        f"# Drafted by `jobpicks init`{origin}; edit freely.",
        f"titles: {_value(profile.titles)}",
        f"must_have: {_value(profile.must_have)}",
        f"nice_to_have: {_value(profile.nice_to_have)}",
        "avoid_skills: []",
        "avoid_companies: []",
        f"locations: {_value(profile.locations)}",
        f"remote: {remote}   # required | preferred | any | onsite",
        f"seniority: {levels}   # {' | '.join(LEVELS)}",
        "---",
        "# About me",
        "",
        textwrap.fill(profile.summary.strip() or _summary(profile), width=96),
        "",
    ]
    return "\n".join(front)


_WRITE_HERE = (
    "Write here, in a few sentences, what you do and what you want next: a language model "
    "reads this to score postings."
)


def _summary(profile: ProfileDraft) -> str:
    """A first-person paragraph from the answers alone (never from the CV's text): a
    sentence on the role and place, one on the skills, each only when it has something to
    say, so any answer left empty leaves a whole sentence out, never half of one."""
    skills = _skills_sentence(profile)
    if not profile.titles and not skills:
        return _WRITE_HERE
    return " ".join(sentence for sentence in (_role_sentence(profile), skills) if sentence)


def _role_sentence(profile: ProfileDraft) -> str:
    """The role and where, as in "I am looking for senior Backend Engineer roles, remote or
    in Berlin."; "" when no title, level or place was given."""
    level = " or ".join(profile.seniority)
    where = {"required": "remote only", "onsite": "on site"}.get(profile.remote, "")
    places = [p for p in profile.locations if p.casefold() != "remote"]
    if places:
        where = (f"{where}, " if where else "") + f"in {_or(places)}"
    if profile.remote == "preferred":
        where = "remote" + (f" or {where}" if where else "")
    if not (profile.titles or level or where):
        return ""
    if profile.titles:
        role = f"{level} {_or(profile.titles)} roles".lstrip()
    else:
        role = f"{level} roles" if level else "a role"
    if where:
        role += (" " if where.startswith("in ") else ", ") + where
    return f"I am looking for {role}."


def _skills_sentence(profile: ProfileDraft) -> str:
    """The skills, as in "My strongest skills are Python and Go; I also work with Kafka.";
    "" with none."""
    also = _and(profile.nice_to_have) if profile.nice_to_have else ""
    if not profile.must_have:
        return f"I work with {also}." if also else ""
    are = "skill is" if len(profile.must_have) == 1 else "skills are"
    return f"My strongest {are} {_and(profile.must_have)}" + (
        f"; I also work with {also}." if also else "."
    )


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" or {items[-1]}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def validate(config_text: str, profile_text: str) -> Profile:
    """What init writes loads as jobpicks would load it (a bug here is ours, not the user's);
    a config with only commented sources is checked with a stand-in source."""
    data = yaml.safe_load(config_text)
    Config.model_validate({**data, "sources": data["sources"] or [{"url": "stand-in.xml"}]})
    return parse_profile(profile_text, PROFILE_FILE)


def site_config(folder: Path) -> str | None:
    """The clone's mkdocs.yml for a project in `folder`: its theme (`custom_dir`, relative
    to the file) pointed at the clone's, relatively inside the clone, else by its absolute
    path. None when this jobpicks has no clone's mkdocs.yml to copy (a wheel install)."""
    template = CLONE / SITE_CONFIG
    if not template.is_file():
        return None
    theme = CLONE / "generator" / "theme"
    inside = folder.resolve().is_relative_to(CLONE)
    where = os.path.relpath(theme, folder.resolve()) if inside else str(theme)
    text, found = _THEME_LINE.subn(lambda m: m[1] + _value(where), template.read_text("utf-8"))
    if found != 1:
        return None  # a mkdocs.yml edited past recognition: not ours to guess at
    return f"# Copied by `jobpicks init` from {template}, its theme pointed there.\n{text}"


def write_site_config(folder: Path, say: Callable[[str], None]) -> bool:
    """mkdocs.yml beside jobpicks.yml, where `jobpicks build` looks, unless one is there
    (never replaced: it may be edited, or be the clone's own). False when there is none."""
    target = folder / SITE_CONFIG
    if target.exists():
        return True
    text = site_config(folder)
    if text is None:
        say(
            f"No {SITE_CONFIG} written: {CLONE} has none to copy, and `jobpicks build` needs "
            f"one beside jobpicks.yml. Use a clone of the jobpicks repository as the project "
            "folder (the README's Quick start)."
        )
        return False
    atomic_write_text(target, text)
    say(f"Wrote {target}: the site's layout, so `jobpicks build` works there.")
    return True


def next_steps(folder: Path, has_sources: bool, profile: Profile, site: bool = True) -> list[str]:
    """What is left after the files are written, on this machine and on GitHub. `site`:
    `build` has a mkdocs.yml in `folder` (`write_site_config`)."""
    lines = []
    if not has_sources:
        lines.append(
            "The first run needs a source: add one under `sources:` in jobpicks.yml "
            "(commented examples there)."
        )
    if not (profile.titles or profile.must_have or profile.nice_to_have):
        lines.append("profile.md has no titles or skills yet: fill them before the first run.")
    elif not profile.titles:
        lines.append(
            "Warning: profile.md has no target titles (`titles:`): the local scorer then "
            "cannot tell a fitting role from any other, and every posting that names your "
            "skills scores alike. Add the titles you are looking for."
        )
    here = folder.resolve() == Path.cwd().resolve()
    commands = "jobpicks run && jobpicks serve" if site else "jobpicks run"
    lines.append(
        f"Try it here: `{commands}`."
        if here
        else f"Try it there: `cd {shlex.quote(str(folder))} && {commands}`."
    )
    # The daily workflow reads them at the root of the repository it is in.
    step = (
        "Commit jobpicks.yml and profile.md and push"
        if (folder / DAILY_WORKFLOW).is_file()
        else "Copy jobpicks.yml and profile.md to the root of your fork, commit, push"
    )
    lines += [
        "Then on GitHub (the README's Deploy your own has the details):",
        f"  1. {step} (to keep the",
        "     profile private, put it in the secret JOBPICKS_PROFILE instead; see the README's",
        "     What is public).",
        "  2. Actions tab: enable workflows (a fork's are off until you do).",
        "  3. Optional: the secret OPENAI_API_KEY, to score with a model.",
        "  4. Actions -> daily -> Run workflow, once: it writes the first day and gh-pages.",
        "  5. Settings -> Pages: Deploy from a branch, gh-pages, / (root).",
    ]
    return lines


# -- the command -----------------------------------------------------------------------------


@dataclass
class Given:
    """What the flags said; None or empty where they said nothing."""

    titles: list[str] = field(default_factory=list)
    must_have: list[str] = field(default_factory=list)
    nice_to_have: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    remote: str | None = None
    levels: list[str] = field(default_factory=list)
    timezone: str | None = None
    reading_hour: int | None = None
    sources: list[str] = field(default_factory=list)
    api_urls: list[str] = field(default_factory=list)
    cv: Path | None = None
    api_key: str | None = None
    model: str | None = None
    base_url: str | None = None


def _api_urls(values: Sequence[str]) -> dict[str, str]:
    out = {}
    for value in values:
        kind, sep, url = value.partition("=")
        if not sep or kind not in BOARD_KINDS or not url.startswith(("http://", "https://")):
            raise InitError(f"--api-url {value!r}: give KIND=URL, KIND one of {BOARD_KINDS}")
        out[kind] = url
    return out


def draft_from_cv(given: Given, say: Callable[[str], None]) -> tuple[ProfileDraft, str]:
    """The CV's draft and how it was made (said in profile.md's comment)."""
    assert given.cv is not None
    text = read_cv(given.cv)
    if given.api_key:
        model = given.model or ScoringConfig().model
        try:
            draft = draft_with_model(
                text, api_key=given.api_key, model=model, base_url=given.base_url
            )
        except InitError as exc:
            say(f"The model could not draft the profile ({exc.message}): drafting locally.")
        else:
            say(f"Drafted the profile from {given.cv.name} with {model}: confirm each answer.")
            return draft, f" from a CV by {model}"
    draft = draft_locally(text)
    say(
        f"Drafted from {given.cv.name} locally (titles, skills and places found in it): "
        "confirm or correct each answer."
    )
    return draft, " from a CV, found locally"


def gather(given: Given, ask: Asker, say: Callable[[str], None]) -> tuple[Answers, str]:
    """Every answer but the sources, from the flags, else the prompts, else the draft."""
    if given.timezone and not valid_timezone(given.timezone):
        raise InitError(f"--timezone {given.timezone!r}: not an IANA time zone, e.g. Europe/Berlin")
    draft, origin = draft_from_cv(given, say) if given.cv else (_NO_DRAFT, "")
    answers = Answers()

    def items(flag: list[str], question: str, default: list[str]) -> list[str]:
        return split_list(flag) if flag else ask.items(question, default)

    answers.profile = ProfileDraft(
        titles=items(given.titles, "Job titles to look for", draft.titles),
        must_have=items(given.must_have, "Must-have skills", draft.must_have),
        nice_to_have=items(given.nice_to_have, "Nice-to-have skills", draft.nice_to_have),
        locations=items(given.locations, "Places (cities, countries, Remote)", draft.locations),
        remote=given.remote
        or ask.text(
            f"Remote ({' / '.join(REMOTE_CHOICES)})",
            draft.remote,
            lambda v: (
                v if v in REMOTE_CHOICES else _bad(f"choose one of {', '.join(REMOTE_CHOICES)}")
            ),
        ),
        seniority=_levels(",".join(given.levels))
        if given.levels
        else ask.text(
            f"Levels ({', '.join(LEVELS)}; empty for any)", ", ".join(draft.seniority), _levels
        ),
        summary=draft.summary,
    )
    answers.timezone = given.timezone or ask.text("Your time zone", system_timezone(), _zone)
    answers.reading_hour = (
        given.reading_hour
        if given.reading_hour is not None
        else ask.text("The hour you read the picks (0-23)", str(DEFAULT_HOUR), _hour)
    )
    answers.api_urls = _api_urls(given.api_urls)
    answers.model = given.model or ""
    answers.base_url = given.base_url or ""
    return answers, origin


def _bad(message: str) -> str:
    raise click.BadParameter(message)


def gather_sources(
    given: Given, answers: Answers, ask: Asker, fetch: FetchConfig, say: Callable[[str], None]
) -> dict[SourceSpec, str]:
    """The sources, each checked; in a terminal more are asked for, and a failing one is
    kept only when the reader says so. Returns the check's line by source."""
    specs = [parse_source(text) for value in given.sources for text in split_list(value)]
    results = check_sources(specs, fetch, answers.api_urls)
    kept: dict[SourceSpec, str] = {}
    failed = []
    for result in results:
        say(result.shown)
        if result.ok or (ask.interactive and click.confirm("  Keep it anyway?", default=False)):
            kept[result.spec] = result.line
        else:
            failed.append(result)
    if failed and not ask.interactive:
        raise InitError(
            f"{plural(len(failed), 'source')} failed the check (above), so nothing was "
            "written: correct or drop them (or pass --no-check to write them unchecked)"
        )
    if ask.interactive:
        say(f"Sources, one at a time: {SOURCE_HELP}. Each is checked as it comes.")
    while ask.interactive:
        text = str(ask.prompt("Source (empty when done)", default="", show_default=False)).strip()
        if not text:
            break
        try:
            spec = parse_source(text)
        except InitError as exc:
            say(f"  {exc.message}")
            continue
        (result,) = check_sources([spec], fetch, answers.api_urls)
        say(result.shown)
        if result.ok or click.confirm("  Keep it anyway?", default=False):
            kept[spec] = result.line
    answers.sources = list(dict.fromkeys(kept))
    return kept


def refuse_overwrite(folder: Path, force: bool) -> None:
    existing = [name for name in (DEFAULT_CONFIG, PROFILE_FILE) if (folder / name).exists()]
    if existing and not force:
        raise InitError(
            f"{' and '.join(existing)} already exist{'s' if len(existing) == 1 else ''} in "
            f"{folder}: pass --force to replace {'it' if len(existing) == 1 else 'them'}"
        )


def warn_about_cv(cv: Path, folder: Path, say: Callable[[str], None]) -> None:
    """A CV inside the repository would be committed with the rest: say so."""
    try:
        cv.resolve().relative_to(folder.resolve())
    except ValueError:
        return
    say(
        f"Note: {cv.name} is inside {folder.resolve()}: keep it out of git (it is not needed "
        "again; move it elsewhere, or never `git add` it)."
    )


def run_init(
    folder: Path,
    given: Given,
    *,
    interactive: bool,
    force: bool,
    check: bool,
    fetch: FetchConfig,
    say: Callable[[str], None] = click.echo,
) -> list[Path]:
    """Ask, check, then write jobpicks.yml and profile.md into `folder`; returns them."""
    refuse_overwrite(folder, force)
    if given.cv:
        warn_about_cv(given.cv, folder, say)
    ask = Asker(interactive)
    answers, origin = gather(given, ask, say)
    if check:
        if given.sources:
            say("Checking the sources, one request each:")
        checked = gather_sources(given, answers, ask, fetch, say)
    else:
        answers.sources = [parse_source(t) for v in given.sources for t in split_list(v)]
        checked = {}
    config_text = render_config(answers, checked)
    profile_text = render_profile(answers, origin)
    profile = validate(config_text, profile_text)
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / DEFAULT_CONFIG, folder / PROFILE_FILE]
    atomic_write_text(written[0], config_text)
    atomic_write_text(written[1], profile_text)
    say(f"Wrote {written[0]} and {written[1]}.")
    site = write_site_config(folder, say)
    for line in next_steps(folder, bool(answers.sources), profile, site):
        say(line)
    return written
