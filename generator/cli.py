"""The `jobpicks` command: a thin layer that loads config and calls one stage per command."""

from __future__ import annotations

import datetime as dt
import errno
import functools
import http.server
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any, get_args

import click

# Each command imports its own stages in its body: `jobpicks commit`, run seven times by
# the daily workflow, then starts in about half the time the whole pipeline's imports take.
from generator import __version__
from generator.config import DEFAULT_CONFIG, SAMPLE_CONFIG, Config, find_config, load_config
from generator.errors import ConfigError, JobpicksError
from generator.files import exclusive_lock
from generator.models import LinkCheck, ProfileLevel, Reason, RemotePreference, Status, Verdict
from generator.secrets import redact

log = logging.getLogger("generator")


class _EchoHandler(logging.Handler):
    """Warnings and errors to stderr as one line each, counted for the summary."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.warnings = 0
        self.secrets: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = redact(record.getMessage(), *self.secrets)
        if record.levelno >= logging.WARNING:
            self.warnings += 1
            click.secho(f"WARNING: {message}", err=True, fg="yellow")
        else:
            click.echo(message, err=True)


def _hide_secret(secret: str | None) -> None:
    """Make sure no log line can show `secret`, whatever path it took to get there."""
    for handler in log.handlers:
        if isinstance(handler, _EchoHandler) and secret:
            handler.secrets.append(secret)


def _warning_count() -> int:
    """Warnings logged so far by this command (the run's last line and `--strict`)."""
    return sum(h.warnings for h in log.handlers if isinstance(h, _EchoHandler))


def _setup_logging() -> None:
    handler = _EchoHandler()
    log.handlers = [handler]
    log.setLevel(logging.WARNING)
    log.propagate = True


def _verbose_option(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        log.setLevel(logging.INFO)


def global_options(command: Any) -> Any:
    """`--debug` and `-v` wherever a user types them: before the command or after it."""
    command = click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_verbose_option,
        help="Show each stage's counts and timings (each source, dedupe, filters, "
        "scoring, selection).",
    )(command)
    # main() reads --debug from the whole command line, before anything can fail.
    return click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        help="Show tracebacks (or set JOBPICKS_DEBUG=1).",
    )(command)


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _load(config_path: Path, overrides: dict[str, Any]) -> Config:
    return load_config(config_path, {k: v for k, v in overrides.items() if v is not None})


def _mkdocs_yml(config_path: Path, config: Config) -> Path:
    """The site engine's config lives beside jobpicks.yml, or beside the docs folder (the
    bundled sample config's case: it sits in samples/, the site in the project)."""
    beside = config_path.parent / "mkdocs.yml"
    return beside if beside.exists() else config.docs_dir.parent / "mkdocs.yml"


def _choose_config(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    if value is not None:
        return value
    path, sample = find_config(Path.cwd())
    if sample:
        click.echo(
            f"No {DEFAULT_CONFIG} here: using the bundled sample config ({SAMPLE_CONFIG}), "
            "whose jobs are invented; `jobpicks init` writes your own.",
            err=True,
        )
    return path


PREVIEW_DIR = Path("build") / "preview"
"""Where `jobpicks serve` builds, beside mkdocs.yml: never the published site/."""

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    callback=_choose_config,
    help=f"The jobpicks config file [default: {DEFAULT_CONFIG}, else {SAMPLE_CONFIG}].",
)


class _Group(click.Group):
    """Sets up logging before any option callback runs, and gives every command the global
    options."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        _setup_logging()
        return super().make_context(*args, **kwargs)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        global_options(cmd)
        super().add_command(cmd, name)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="jobpicks")
@global_options
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Turn job feeds into a daily page of scored picks and a searchable site.

    \b
    Quick start:
        jobpicks init             # your jobpicks.yml and profile.md, checked
        jobpicks run              # today's picks from the feeds in jobpicks.yml
    """
    ctx.ensure_object(dict)


@cli.command()
@click.option(
    "--title", "titles", multiple=True, help="A job title to look for (repeat, or commas)."
)
@click.option("--must-have", multiple=True, help="A must-have skill (repeat, or commas).")
@click.option("--nice-to-have", multiple=True, help="A nice-to-have skill (repeat, or commas).")
@click.option("--location", "locations", multiple=True, help="A place, or Remote (repeat).")
@click.option("--remote", type=click.Choice(get_args(RemotePreference)), help="Remote preference.")
@click.option(
    "--level", "levels", multiple=True, help=f"A level: {', '.join(get_args(ProfileLevel))}."
)
@click.option("--timezone", help="Your IANA time zone, e.g. Europe/Berlin.")
@click.option("--reading-hour", type=click.IntRange(0, 23), help="The hour you read the picks.")
@click.option(
    "--source",
    "sources",
    multiple=True,
    help="greenhouse:NAME, lever:NAME, ashby:NAME, a feed URL or jobspy:SEARCH@PLACE (repeat).",
)
@click.option(
    "--cv",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Draft the profile from a CV (PDF, DOCX, Markdown, text); it is not copied.",
)
@click.option(
    "--api-key", default=None, help="OpenAI API key for the CV (default: $OPENAI_API_KEY)."
)
@click.option("--model", default=None, help="The model that drafts from the CV (and scores).")
@click.option("--base-url", default=None, help="An OpenAI-compatible server, also for scoring.")
@click.option(
    "--api-url",
    "api_urls",
    multiple=True,
    metavar="KIND=URL",
    help="Another API base for a board kind (an EU instance, a proxy), e.g. "
    "greenhouse=https://boards-api.eu.greenhouse.io/v1/boards.",
)
@click.option("--yes", "-y", is_flag=True, help="Ask nothing: flags, the CV's draft, defaults.")
@click.option("--force", is_flag=True, help="Replace an existing jobpicks.yml and profile.md.")
@click.option("--no-check", is_flag=True, help="Write the sources without checking them.")
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=".",
    show_default=True,
    help="Where to write jobpicks.yml and profile.md.",
)
def init(
    titles: tuple[str, ...],
    must_have: tuple[str, ...],
    nice_to_have: tuple[str, ...],
    locations: tuple[str, ...],
    remote: str | None,
    levels: tuple[str, ...],
    timezone: str | None,
    reading_hour: int | None,
    sources: tuple[str, ...],
    cv: Path | None,
    api_key: str | None,
    model: str | None,
    base_url: str | None,
    api_urls: tuple[str, ...],
    yes: bool,
    force: bool,
    no_check: bool,
    folder: Path,
) -> None:
    """Write your jobpicks.yml and profile.md: asks in a terminal, every answer also a flag.

    Each board and feed is checked with one real request before anything is written. With
    --cv, the profile is drafted from your CV (by the model when a key is set, else found
    locally) for you to confirm; the CV itself is never copied.

    \b
    Examples:
        jobpicks init --cv ~/cv.pdf
        jobpicks init --yes --title "Backend Engineer" --must-have Python \\
            --source greenhouse:stripe --source lever:jumpcloud --timezone Europe/Berlin
    """
    from generator.config import FetchConfig
    from generator.init import Given, run_init
    from generator.scoring import resolve_api_key

    key = resolve_api_key(api_key) if cv else None
    _hide_secret(key)
    given = Given(
        titles=list(titles),
        must_have=list(must_have),
        nice_to_have=list(nice_to_have),
        locations=list(locations),
        remote=remote,
        levels=list(levels),
        timezone=timezone,
        reading_hour=reading_hour,
        sources=list(sources),
        api_urls=list(api_urls),
        cv=cv,
        api_key=key,
        model=model,
        base_url=base_url,
    )
    run_init(
        folder, given, interactive=not yes, force=force, check=not no_check, fetch=FetchConfig()
    )


@cli.command()
@config_option
@click.option("--date", "date", callback=_parse_date, help="The day to write (YYYY-MM-DD).")
@click.option("--dry-run", is_flag=True, help="Show the picks; write nothing.")
@click.option("--force", is_flag=True, help="Replace the day's page if it exists.")
@click.option(
    "--scorer",
    type=click.Choice(["auto", "local", "openai"]),
    default=None,
    help="Override scoring.scorer.",
)
@click.option("--api-key", default=None, help="OpenAI API key (default: $OPENAI_API_KEY).")
@click.option(
    "--strict", is_flag=True, help="Fail (exit 1) on any warning; the page is still written."
)
def run(
    config_path: Path,
    date: dt.date | None,
    dry_run: bool,
    force: bool,
    scorer: str | None,
    api_key: str | None,
    strict: bool,
) -> None:
    """Fetch the feeds, score new postings and write the day's page.

    The last line counts the run's warnings (a failing source, a model given up, the
    bundled samples still in use, a source failing run after run); `--strict` fails on any.

    \b
    Example:
        jobpicks run --date 2026-11-23 --dry-run
    """
    from generator import health
    from generator.pipeline import run_day
    from generator.scoring import choose_scorer, resolve_api_key
    from generator.text import plural

    config = _load(config_path, {"scoring.scorer": scorer})
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in health.require_own_data(config, config_path, in_actions=in_actions):
        log.warning("%s", problem)
    day = date or config.today()
    progress = _progress_printer() if sys.stderr.isatty() else None
    key = resolve_api_key(api_key)
    _hide_secret(key)
    chosen = choose_scorer(config.scoring, key)
    if chosen == "openai":
        where = config.scoring.base_url or "the OpenAI API"
        click.echo(f"Scorer: openai ({config.scoring.model} via {where})", err=True)
    elif config.scoring.scorer == "auto" and config.scoring.base_url:
        # A model is used only when a key is set; a local server ignores what the key is.
        click.echo(
            "Scorer: local (no API key; scoring.base_url is set: a local server needs any "
            "non-empty key, e.g. OPENAI_API_KEY=local)",
            err=True,
        )
    elif config.scoring.scorer == "auto":
        click.echo("Scorer: local (no API key; set OPENAI_API_KEY to score with OpenAI)", err=True)
    result = run_day(
        config,
        date=day,
        api_key=key,
        dry_run=dry_run,
        force=force,
        progress=progress,
        warnings=_warning_count,
    )
    if dry_run and result.day is not None:
        for pick in result.day.picks:
            click.echo(f"{pick.score:3d}  {pick.company} - {pick.display_title}  <{pick.url}>")
    if result.usage:
        click.echo(result.usage)
    if result.details():
        click.echo(result.details())
    result.warnings = _warning_count()
    click.echo(result.summary())
    if strict and result.warnings:
        raise JobpicksError(
            f"{plural(result.warnings, 'warning')} with --strict (see above); "
            + ("the page was written" if result.written else "nothing was written")
        )


@cli.command()
@config_option
@click.option(
    "--date",
    "date",
    callback=_parse_date,
    help="Check as of this day (YYYY-MM-DD); closed picks get this date. Default: today.",
)
def check(config_path: Path, date: dt.date | None) -> None:
    """Re-check the picks of recent days and record the day each was first seen closed.

    Board picks are checked against their board's listing, others by their link; only a
    clear answer (gone, redirected to the listing, "no longer accepting applications")
    counts as closed. Unknown picks are checked again next time. Settings: `liveness:`.

    \b
    Example:
        jobpicks -v check    # and say what was found for each pick
    """
    from generator import health
    from generator.check.run import check_picks

    config = _load(config_path, {})
    today = config.today()
    if date is not None and date > today:
        raise ConfigError(
            f"--date {date.isoformat()} is after today ({today.isoformat()} in "
            f"{config.timezone}): a pick cannot be seen closed on a day still to come"
        )
    day = date or today
    result = check_picks(config, today=day)
    counts = result.counts()
    reached = LinkCheck(
        tried=counts["open"] + counts["closed"] + counts["unknown"],
        reached=counts["open"] + counts["closed"],
    )
    if health.check_reached_nothing(reached):
        log.warning("%s", health.check_finding(day, reached))
    health.record_check(config.picks_dir, config.docs_dir, day, reached)
    click.echo(result.summary())


@cli.command()
@config_option
@click.option("--strict", is_flag=True, help="Fail on any warning from the site engine.")
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="The static site engine.",
)
def build(config_path: Path, strict: bool, engine: str) -> None:
    """Build the site into site/: day pages, home, archive, companies, explore, RSS.

    A failed build leaves the previous site/ untouched.

    \b
    Example:
        jobpicks build --strict
    """
    from generator import site

    config = _load(config_path, {})
    site.require_docs_dir(config, config_path)  # before the lock, which would make it
    with exclusive_lock(config.docs_dir, "running"):
        result = site.build(
            config, _mkdocs_yml(config_path, config), strict=strict, engine_name=engine
        )
    for line in result.warnings:
        click.echo(line, err=True)
    click.echo(f"{result.summary()}; next: `jobpicks serve` to preview, `jobpicks publish`")


@cli.command()
@config_option
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
def serve(config_path: Path, port: int) -> None:
    """Build a preview into build/preview/ and serve it on http://127.0.0.1:PORT/.

    The preview's feeds link to localhost, so it never replaces site/, which `jobpicks
    publish` pushes. Run it again after `jobpicks run` to see a new day.
    """
    from generator import site

    config = _load(config_path, {})
    mkdocs_yml = _mkdocs_yml(config_path, config)
    site_dir = mkdocs_yml.parent / PREVIEW_DIR
    try:  # the port first: a busy one should not cost a build
        server = preview_server(site_dir, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise JobpicksError(
                f"port {port} is already in use on 127.0.0.1: stop what uses it or pick "
                f"another with `jobpicks serve --port {port + 1}`"
            ) from None
        raise
    with server:
        site.require_docs_dir(config, config_path)  # before the lock, which would make it
        with exclusive_lock(config.docs_dir, "running"):
            result = site.build(
                config,
                mkdocs_yml,
                preview_url=f"http://127.0.0.1:{server.server_port}/",
                site_dir=site_dir,
            )
        for line in result.warnings:
            click.echo(line, err=True)
        click.echo(result.summary())
        click.echo(f"Serving on http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("Stopped.")


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, with the site's own 404 page for an unknown path, as a host would."""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request drowns the useful output

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def preview_server(site_dir: Path, port: int) -> http.server.ThreadingHTTPServer:
    """A local server for `site_dir` on 127.0.0.1:`port` (0: any free port)."""
    handler = functools.partial(_SiteHandler, directory=str(site_dir))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


@cli.command()
@config_option
def publish(config_path: Path) -> None:
    """Push the built site to the gh-pages branch (ghp-import, with .nojekyll).

    Refuses a site that failed to build or is older than the pages; a failed push leaves
    the published branch as it was. Remote and branch come from `publish:` in the config.
    """
    from generator import site
    from generator.publish import publish_site

    config = _load(config_path, {})
    engine = site.engine_paths(_mkdocs_yml(config_path, config), config.docs_dir)
    click.echo(publish_site(config, engine.site_dir).summary())


@cli.command()
@config_option
@click.option("--no-push", is_flag=True, help="Commit only.")
def commit(config_path: Path, no_push: bool) -> None:
    """Commit new day pages as the bot and push, rebasing when the branch moved meanwhile.

    Makes no commit when no page changed.
    """
    from generator.publish import commit_pages

    config = _load(config_path, {})
    click.echo(commit_pages(config, push=not no_push).summary())


@cli.command("feedback")
@config_option
@click.argument("verdict", required=False, type=click.Choice(get_args(Verdict)))
@click.argument("picks", nargs=-1)
@click.option(
    "--reason",
    type=click.Choice(get_args(Reason)),
    default=None,
    help="Why not for me (dismissed only).",
)
@click.option("--note", default="", help="A short note of your own.")
@click.option(
    "--status",
    type=click.Choice(get_args(Status)),
    default=None,
    help="Where the application stands (applied only).",
)
@click.option("--date", "date", callback=_parse_date, help="The mark's date (default: today).")
@click.option(
    "--from-github",
    is_flag=True,
    help="Take the marks sent from the site: open issues labelled jobpicks-feedback.",
)
def feedback_(
    config_path: Path,
    verdict: str | None,
    picks: tuple[str, ...],
    reason: str | None,
    note: str,
    status: str | None,
    date: dt.date | None,
    from_github: bool,
) -> None:
    """Record your verdict on picks in feedback.yml: applied, dismissed, saved or liked;
    cleared takes a verdict back.

    PICKS are pick ids (in each pick's front matter) or their addresses. A job you applied
    to or dismissed is never picked again, nor its reposts (until a cleared mark); the
    scores of new jobs learn from every verdict in force.

    \b
    Examples:
        jobpicks feedback dismissed url:3f2a9c1e0b7d4a65 --reason company
        jobpicks feedback cleared url:3f2a9c1e0b7d4a65     # dismissed by mistake
        jobpicks feedback applied https://boards.greenhouse.io/acme/jobs/123 --status interviewing
        jobpicks feedback --from-github    # the daily workflow's first step
    """
    from generator.feedback import record
    from generator.feedback_issues import take_from_github
    from generator.github import client_from_env

    config = _load(config_path, {})
    if from_github:
        if verdict or picks:
            raise click.UsageError("--from-github takes no VERDICT or PICKS")
        with client_from_env(os.environ) as github, exclusive_lock(config.docs_dir, "running"):
            _hide_secret(os.environ.get("GITHUB_TOKEN"))
            inbox = take_from_github(
                config.feedback, config.picks_dir, github, today=config.today()
            )
        click.echo(inbox.summary())
        return
    if not verdict or not picks:
        raise click.UsageError("give a VERDICT and at least one pick id or address")
    if reason and verdict != "dismissed":
        raise click.UsageError(f"--reason goes with dismissed, not {verdict}")
    if status and verdict != "applied":
        raise click.UsageError(f"--status goes with applied, not {verdict}")
    today = config.today()  # in the configured time zone, as `run` decides it
    with exclusive_lock(config.docs_dir, "running"):
        done = record(
            config.feedback,
            config.picks_dir,
            verdict,  # type: ignore[arg-type]  # click.Choice checked it
            picks,
            date or today,
            reason=reason,  # type: ignore[arg-type]
            status=status,  # type: ignore[arg-type]
            note=note,
            today=today,
        )
    click.echo(done.summary())


@cli.command("import")
@config_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--force", is_flag=True, help="Replace day pages that already exist.")
def import_(config_path: Path, paths: tuple[Path, ...], force: bool) -> None:
    """Import legacy daily pages (files or folders) as dated pages with front matter.

    Mojibake is repaired, a job listed twice on one day is kept once, and each file is
    imported whole or not at all. Importing the same files again changes nothing.

    \b
    Example:
        jobpicks import old-digests/
    """
    from generator.legacy import expand, import_file
    from generator.text import plural

    config = _load(config_path, {})
    counts = {"written": 0, "unchanged": 0, "exists": 0, "failed": 0}
    with exclusive_lock(config.docs_dir, "running"):
        for source in expand(paths):
            outcome = import_file(source, config.picks_dir, force=force)
            counts[outcome.status] += 1
            click.echo(outcome.line(), err=outcome.status == "failed")
    total = sum(counts.values())
    click.echo(
        f"Imported {plural(total, 'file')}: {counts['written']} written, {counts['unchanged']} "
        f"unchanged, {counts['exists']} skipped, {counts['failed']} failed"
    )
    if counts["failed"]:
        raise click.exceptions.Exit(1)


@cli.command("notify")
@config_option
@click.option("--date", "date", callback=_parse_date, help="The day to send (YYYY-MM-DD).")
@click.option("--failure", is_flag=True, help="Say that the workflow failed, instead.")
@click.option("--step", default="", help="With --failure: the name of the step that failed.")
@click.option(
    "--steps-json",
    default="",
    help="With --failure: GitHub's `toJSON(steps)`, to find the failed step by itself.",
)
def notify_(
    config_path: Path, date: dt.date | None, failure: bool, step: str, steps_json: str
) -> None:
    """Send the day's best picks and any health problems to the targets in $JOBPICKS_NOTIFY.

    JOBPICKS_NOTIFY holds Apprise URLs (ntfy://, tgram://, slack://, discord://, mailto://,
    json:// ...), several separated by spaces or commas. A day is sent once: its page
    records it. Settings: `notify:`. With --failure, says which step of the workflow failed
    and links the run (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID); the config is
    not needed then, so a broken one can be reported too.

    \b
    Example:
        JOBPICKS_NOTIFY=ntfy://my-job-picks jobpicks notify
    """
    from generator import notify  # Apprise and its plugins: only this command needs them

    env = os.environ
    for secret in notify.secrets_of(notify.targets_from(env)):
        _hide_secret(secret)
    if failure:
        step = step or notify.failed_step(steps_json, env, Path.cwd())
        day = date or dt.datetime.now(dt.UTC).date()
        result = notify.send_failure(step, notify.run_url(env), date=day, env=env)
    else:
        config = _load(config_path, {})
        now = dt.datetime.now(dt.UTC)
        result = notify.notify_day(
            config, config_path, date=date or config.today(), env=env, now=now
        )
    click.echo(result.summary())


def _progress_printer() -> Any:
    def show(message: str) -> None:
        click.echo(f"  {message}", err=True)

    return show


def main() -> None:
    """Console entry point: unexpected errors become one line unless debugging."""
    debug = "--debug" in sys.argv[1:] or os.environ.get("JOBPICKS_DEBUG") == "1"
    try:
        code = cli.main(prog_name="jobpicks", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        else:
            click.echo(
                f"Error: unexpected {type(exc).__name__}: {exc} "
                "(run with --debug or JOBPICKS_DEBUG=1 for the traceback)",
                err=True,
            )
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
