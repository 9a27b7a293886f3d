"""Notifications through Apprise: the day's best picks and the job's health, to the owner.

The targets are Apprise URLs (`ntfy://`, `tgram://`, `slack://`, `discord://`, `mailto://`,
`json://` ...) from the JOBPICKS_NOTIFY environment variable only, several separated by
spaces or commas, so no token is ever in a tracked file. Each target gets the message in the
format Apprise names first for its service (HTML for e-mail and Telegram, markdown for Slack,
plain text for ntfy and most others), or the one its URL asks for with `?format=`; the
message is written in each format here, so Apprise converts nothing.

A day is sent once: the page records when (`DayPage.notified`), so a re-run sends nothing.
A failed workflow is always sent (`failure_message`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml
from apprise import Apprise, AppriseAsset, NotifyFormat, NotifyType
from apprise.utils.parse import parse_urls

from generator import health, pages
from generator.config import Config
from generator.errors import NotifyError
from generator.files import exclusive_lock
from generator.models import DayPage, Pick
from generator.secrets import redact
from generator.site import address, templating
from generator.site.render import fact_texts
from generator.site.urls import day_url
from generator.text import plural

ENV = "JOBPICKS_NOTIFY"
Kind = Literal["info", "warning", "failure"]


# -- targets and their secrets ----------------------------------------------------------------


def targets_from(env: Mapping[str, str]) -> list[str]:
    """The Apprise URLs in JOBPICKS_NOTIFY, split on spaces and commas between URLs (a comma
    inside a URL, as in `mailto://...?to=a@x.org,b@x.org`, stays)."""
    found = parse_urls(env.get(ENV, ""))  # type: ignore[no-untyped-call]  # untyped in Apprise
    urls = (str(url).strip(" \t\n,;") for url in found)
    return [url for url in urls if url]


def secrets_of(targets: Sequence[str]) -> list[str]:
    """Every part of the target URLs that may be a token or password: the whole URL, its
    user and password, host, path segments, query values and fragment. Hosts are included
    because for many services (ntfy topics, Telegram bots) the host is the secret."""
    found: list[str] = []
    for url in targets:
        found.append(url)
        try:
            parts = urlsplit(url)
            pieces = [parts.netloc, parts.username, parts.password, parts.hostname, parts.fragment]
        except ValueError:
            continue
        pieces += parts.path.split("/")
        pieces += [value for _, value in parse_qsl(parts.query)]
        # Apprise reads the part before `@` itself, so a bare `token@host` counts too.
        pieces += re.split(r"[:@/?&=#,]", parts.netloc)
        for piece in pieces:
            if piece and len(piece) >= 6:
                found += [piece, unquote(piece)]
    return sorted(set(found), key=len, reverse=True)


# -- the message ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PickLine:
    """One pick as the message shows it: the pick's own values (`Pick` cleaned them when it
    was made), so the message reads and links as the site does."""

    score: int
    title: str
    company: str
    place: str
    facts: tuple[str, ...]
    url: str
    """http(s) or ""."""

    @classmethod
    def of(cls, pick: Pick) -> PickLine:
        return cls(
            score=pick.score,
            title=pick.display_title,
            company=pick.company,
            place=pick.location,
            facts=tuple(fact_texts(pick)),
            url=pick.url,
        )

    def details(self) -> list[str]:
        return [part for part in (self.company, self.place, *self.facts) if part]


_MD_SPECIAL = re.compile(r"([\\`*_\[\]()<>#|~])")


def _md(text: str) -> str:
    """Text that a chat service's markdown shows as typed. Not `pages.escape_markdown`, which
    writes `&`, `<` and `>` as entities for the site's HTML: Slack's Apprise plugin escapes
    those itself, and Discord and Telegram show an entity as typed."""
    return _MD_SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class Message:
    """One notification, written for plain text, markdown and HTML services alike."""

    title: str
    intro: str
    picks: tuple[PickLine, ...] = ()
    link: tuple[str, str] | None = None
    """(words, URL) of the page to read more on."""
    health: tuple[str, ...] = ()
    kind: Kind = "info"

    def text(self) -> str:
        return self._render("notify.txt.html")

    def markdown(self) -> str:
        return self._render("notify.md.html")

    def html(self) -> str:
        return self._render("notify.html")

    def _render(self, template: str) -> str:
        """The message in one format, laid out by its template in the theme folder."""
        return templating.render(template, message=self, md=_md).removesuffix("\n")

    def body(self, fmt: NotifyFormat) -> str:
        if fmt == NotifyFormat.HTML:
            return self.html()
        if fmt == NotifyFormat.MARKDOWN:
            return self.markdown()
        return self.text()


def _best(day: DayPage) -> str:
    """ "best score 58": the run's record, or on a page from before it, the best pick."""
    best = day.best_score
    if best is None and day.picks:
        best = max(pick.score for pick in day.picks)
    return "nothing scored" if best is None else f"best score {best}"


def day_message(
    day: DayPage,
    config: Config,
    *,
    findings: Sequence[str],
    page_url: str | None,
) -> Message | None:
    """The day's message: its best picks at `notify.min_score` or more, a link to the day's
    page and the health findings; None for a quiet day with nothing to say when
    `notify.quiet_days` is on."""
    settings = config.notify
    strong = [p for p in day.picks if p.score >= settings.min_score]
    top = tuple(PickLine.of(p) for p in strong[: settings.max_picks])
    when = day.date.isoformat()
    if top:
        shown = f"the best {len(top)} of {len(strong)}" if len(strong) > len(top) else len(top)
        intro = (
            f"{plural(len(day.picks), 'pick')} on {when}; {shown} "
            f"{'scores' if len(strong) == 1 else 'score'} {settings.min_score} or more:"
        )
        title = f"{config.site.title}: {plural(len(strong), 'strong pick')} on {when}"
    elif findings or not settings.quiet_days:
        best = _best(day)
        intro = (
            f"A quiet day: {plural(len(day.picks), 'pick')} on {when}, none at "
            f"{settings.min_score} or more ({best})."
        )
        title = f"{config.site.title}: a quiet day, {when}"
    else:
        return None
    link = None
    if page_url:
        count = len(day.picks)
        words = f"All {count} picks of {when}" if count > 1 else f"The page of {when}"
        link = (words, page_url)
    if findings:
        title += f" ({plural(len(findings), 'problem')})"
    return Message(
        title=title,
        intro=intro,
        picks=top,
        link=link,
        health=tuple(findings),
        kind="warning" if findings else "info",
    )


def failure_message(step: str, run_url: str, date: dt.date) -> Message:
    """The message of a failed workflow: which step, and the run's log."""
    where = f" at the step “{step}”" if step else ""
    return Message(
        title=f"jobpicks: the daily run failed{where}",
        intro=f"The daily run of {date.isoformat()} failed{where}; the site was not updated.",
        link=("The run's log", run_url) if run_url else None,
        kind="failure",
    )


# -- sending ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    target: str
    """ "target 2 (JSON)": its place in JOBPICKS_NOTIFY and its service, never its URL."""
    ok: bool
    error: str = ""


_TYPES = {"info": NotifyType.INFO, "warning": NotifyType.WARNING, "failure": NotifyType.FAILURE}


def send(targets: Sequence[str], message: Message) -> list[Delivery]:
    """The message to each target in its service's format; every error redacted."""
    secrets = secrets_of(targets)
    # Memory only: Apprise's persistent store would keep files named after the targets.
    asset = AppriseAsset(app_id="jobpicks", app_desc="jobpicks", storage_mode="memory")
    deliveries = []
    for n, url in enumerate(targets, 1):
        service = Apprise.instantiate(url, asset=asset)
        scheme = url.partition("://")[0] if "://" in url else "?"
        if service is None:
            deliveries.append(
                Delivery(
                    f"target {n} ({scheme}://...)",
                    False,
                    "not a URL Apprise knows: see the Apprise wiki for the service's URL form",
                )
            )
            continue
        label = f"target {n} ({service.service_name})"
        fmt = service.resolve_format(None)
        try:
            result = Apprise(asset=asset, services=[service]).notify(
                body=message.body(fmt),
                title=message.title,
                notify_type=_TYPES[message.kind],
                body_format=fmt,
            )
        except Exception as exc:  # Apprise's and its plugins' own; this target only
            why = redact(f"{type(exc).__name__}: {exc}", *secrets)
            deliveries.append(Delivery(label, False, why))
            continue
        if result:
            deliveries.append(Delivery(label, True))
            continue
        said = [entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR")]
        why = "; ".join(dict.fromkeys(said)) or "the service refused the message"
        deliveries.append(Delivery(label, False, redact(why, *secrets)))
    return deliveries


def _refused(deliveries: Sequence[Delivery]) -> str:
    return "; ".join(f"{d.target}: {d.error}" for d in deliveries if not d.ok)


# -- the commands -----------------------------------------------------------------------------


@dataclass
class NotifyResult:
    what: str
    """ "the message of 2026-11-30", "the failure message"."""
    deliveries: list[Delivery] = field(default_factory=list)
    nothing: str = ""
    """Why nothing was sent, when nothing was."""

    def summary(self) -> str:
        if self.nothing:
            return self.nothing
        sent = sum(1 for d in self.deliveries if d.ok)
        return f"Sent {self.what} to {plural(sent, 'target')}"


NO_TARGETS = (
    f"{ENV} is not set: nothing sent (set it to one or more Apprise URLs, e.g. "
    "ntfy://your-topic; in GitHub Actions as a repository secret)"
)


def notify_day(
    config: Config,
    config_path: Path,
    *,
    date: dt.date,
    env: Mapping[str, str],
    now: dt.datetime,
) -> NotifyResult:
    """Send the day's message once and record on the page that it was sent.

    Holds the docs lock from reading the page to recording the sending, so two notifies at
    once cannot both send. A target that refuses is an error after the others were sent
    and the sending recorded: what reached the owner is not sent again.
    """
    result = NotifyResult(f"the message of {date.isoformat()}")
    targets = targets_from(env)
    if not targets:
        result.nothing = NO_TARGETS
        return result
    path = pages.page_path(config.picks_dir, date)
    with exclusive_lock(config.docs_dir, "running"):
        if not path.exists():
            raise NotifyError(
                f"{path}: no page for {date.isoformat()}: run `jobpicks run` first; nothing sent"
            )
        day = pages.read(path)
        if day.notified is not None:
            result.nothing = (
                f"{date.isoformat()} was already sent at {day.notified.isoformat()}; nothing "
                "sent again"
            )
            return result
        earlier = health.earlier_days(config.picks_dir, date)
        findings = health.all_findings(config, config_path, day, earlier)
        site = address.resolve(config, config_path.parent, env)
        page_url = site.url + day_url(date) if site is not None else None
        message = day_message(day, config, findings=findings, page_url=page_url)
        if message is None:
            best = _best(day)
            result.nothing = (
                f"A quiet day: no pick at {config.notify.min_score} or more ({best}); nothing "
                "sent (notify.quiet_days)"
            )
            return result
        result.deliveries = send(targets, message)
        if any(d.ok for d in result.deliveries):
            stamp = now.astimezone(dt.UTC).replace(microsecond=0)
            pages.write(day.model_copy(update={"notified": stamp}), config.picks_dir)
    if not all(d.ok for d in result.deliveries):
        raise NotifyError(f"could not notify {_refused(result.deliveries)}")
    return result


def run_url(env: Mapping[str, str]) -> str:
    """The GitHub Actions run's page, from the variables every run has; "" elsewhere."""
    server, repo, run = (
        env.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    )
    return f"{server.rstrip('/')}/{repo}/actions/runs/{run}" if server and repo and run else ""


def failed_step(steps_json: str, env: Mapping[str, str], root: Path) -> str:
    """The name of the first failed step, from `toJSON(steps)` (which knows steps by id
    only) and the workflow file that names them (`GITHUB_WORKFLOW_REF`). The id when the
    file cannot tell; "" when no step with an id failed."""
    try:
        steps = json.loads(steps_json or "{}")
    except ValueError:
        return ""
    failed = [
        key
        for key, step in steps.items()
        if isinstance(step, dict) and step.get("outcome") == "failure"
    ]
    if not failed:
        return ""
    ref = env.get("GITHUB_WORKFLOW_REF", "")  # owner/repo/.github/workflows/daily.yml@ref
    workflow = ref.split("@")[0].split("/", 2)[-1] if ref.count("/") >= 2 else ""
    first = str(failed[0])
    return _step_names(root / workflow).get(first, first) if workflow else first


def _step_names(path: Path) -> dict[str, str]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    jobs = data.get("jobs") if isinstance(data, dict) else None
    names = {}
    for job in jobs.values() if isinstance(jobs, dict) else ():
        for step in job.get("steps", []) if isinstance(job, dict) else ():
            if isinstance(step, dict) and "id" in step and "name" in step:
                names[str(step["id"])] = str(step["name"])
    return names


def send_failure(step: str, url: str, *, date: dt.date, env: Mapping[str, str]) -> NotifyResult:
    """Tell every target that the workflow failed; sent each time it fails, never recorded."""
    result = NotifyResult("the failure message")
    targets = targets_from(env)
    if not targets:
        result.nothing = NO_TARGETS
        return result
    result.deliveries = send(targets, failure_message(step, url, date))
    if not all(d.ok for d in result.deliveries):
        raise NotifyError(f"could not notify {_refused(result.deliveries)}")
    return result
