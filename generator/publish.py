"""Stage 6: publishing. Commit the day's page back, and push the built site to gh-pages.

Both steps are git commands run from the CLI, so the scheduled workflow is a list of
`jobpicks` commands that tests can run in order against a local bare repository.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.config import Config
from generator.errors import JobpicksError
from generator.secrets import redact
from generator.site import BUILD_INFO, address, pages_fingerprint
from generator.site.address import HOW_TO_FIX

log = logging.getLogger(__name__)

BOT_NAME = "jobpicks-bot"
BOT_EMAIL = "jobpicks-bot@users.noreply.github.com"
PUSH_ATTEMPTS = 3


class PublishError(JobpicksError):
    """Raised by `publish_site` and `commit_pages`; whatever was published before stays."""


@dataclass(frozen=True)
class Git:
    """git in one repository, with errors that say which command failed and why."""

    root: Path

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise PublishError(f"git {' '.join(args)} failed: {self.explain(done)}")
        return done

    def out(self, *args: str) -> str:
        return self.run(*args).stdout.strip()

    def rev(self, ref: str) -> str | None:
        done = self.run("rev-parse", "--verify", "--quiet", ref, check=False)
        return done.stdout.strip() or None

    @staticmethod
    def explain(done: subprocess.CompletedProcess[str]) -> str:
        text = " ".join((done.stderr or done.stdout).split())
        return redact(text[-600:]) or f"exit code {done.returncode}"

    def identity_args(self) -> list[str]:
        """The bot identity, unless the repository already has one configured."""
        if self.run("config", "user.email", check=False).stdout.strip():
            return []
        return ["-c", f"user.name={BOT_NAME}", "-c", f"user.email={BOT_EMAIL}"]


URL_REMOTE = "jobpicks-publish"
"""The name remote-tracking refs use for a `publish.remote` given as a URL: a URL cannot
name a ref."""


def is_url(remote: str) -> bool:
    """A URL (another repository: `git@github.com:you/site.git`, `https://...`, a path) rather
    than the name of a remote of this repository."""
    return (
        "://" in remote
        or remote.startswith("/")
        or re.match(r"^[\w.-]+@[\w.-]+:", remote) is not None
    )


_CREDENTIALS = re.compile(r"(?<=://)[^/@]+@")


def target(remote: str, branch: str) -> str:
    """Where a push goes, as messages show it: `origin/gh-pages`, or a URL (without the
    credentials it may carry) and the branch."""
    if not is_url(remote):
        return f"{remote}/{branch}"
    return f"{_CREDENTIALS.sub('', remote)} ({branch})"


def repo_root(folder: Path) -> Git:
    done = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise PublishError(f"{folder} is not inside a git repository")
    return Git(Path(done.stdout.strip()))


@dataclass
class PublishResult:
    branch: str
    remote: str
    commit: str | None
    changed: bool

    def summary(self) -> str:
        if not self.changed:
            return f"{target(self.remote, self.branch)} already holds this site; nothing pushed"
        return f"Published {self.commit} to {target(self.remote, self.branch)}"


def _build_info(site_dir: Path) -> dict[str, object]:
    try:
        data = json.loads((site_dir / BUILD_INFO).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PublishError(
            f"{site_dir} has no finished build ({BUILD_INFO} missing): run `jobpicks build` "
            "first; a failed build is never published"
        ) from None
    except (OSError, ValueError) as exc:
        raise PublishError(f"{site_dir / BUILD_INFO}: unreadable ({exc})") from None
    if not isinstance(data, dict):
        raise PublishError(f"{site_dir / BUILD_INFO}: unreadable")
    return data


def publish_site(config: Config, site_dir: Path) -> PublishResult:
    """Push `site_dir` to the publish branch with ghp-import.

    Refuses a site that is missing, unfinished or older than the pages. The new commit goes
    on top of the remote branch; if the push fails, the local branch is put back, so both
    stay exactly as they were.
    """
    remote, branch = config.publish.remote, config.publish.branch
    info = _build_info(site_dir)
    if info.get("pages_fingerprint") != pages_fingerprint(config.picks_dir):
        raise PublishError(
            f"{site_dir} was built from older pages than {config.picks_dir}: run "
            "`jobpicks build` again before publishing"
        )
    if info.get("site_url_source", "preview") == "preview":
        raise PublishError(_preview_refusal(config, site_dir, info))
    tracking = URL_REMOTE if is_url(remote) else remote
    if tracking == URL_REMOTE and info.get("site_url_source") not in ("site.url", "publish.cname"):
        raise PublishError(
            f"publish.remote is another repository ({target(remote, branch)}), so the site "
            f"is not at {info.get('site_url')}, this repository's address: set site.url in "
            "jobpicks.yml to the address that repository's Pages serves, then build again"
        )
    git = repo_root(config.docs_dir.parent)
    fetched = git.run("fetch", remote, branch, check=False)
    if fetched.returncode == 0:
        git.run("update-ref", f"refs/remotes/{tracking}/{branch}", "FETCH_HEAD")
    elif "couldn't find remote ref" not in fetched.stderr:
        raise PublishError(f"cannot fetch {target(remote, branch)}: {git.explain(fetched)}")
    elif tracking == URL_REMOTE:  # a new site repository: its history starts here
        git.run("update-ref", "-d", f"refs/remotes/{tracking}/{branch}", check=False)
    before = git.rev(f"refs/heads/{branch}")
    if tracking == URL_REMOTE and git.rev(f"refs/remotes/{tracking}/{branch}") is None:
        git.run("update-ref", "-d", f"refs/heads/{branch}", check=False)  # not this repo's
    message = f"Publish site for {info.get('newest_day') or 'an empty history'}"
    command = [
        sys.executable,
        "-m",
        "ghp_import",
        "--no-jekyll",
        "--message",
        message,
        "--remote",
        tracking,
        "--branch",
        branch,
    ]
    if config.publish.cname:
        command += ["--cname", config.publish.cname]
    imported = subprocess.run(
        [*command, str(site_dir)], cwd=git.root, capture_output=True, text=True
    )
    if imported.returncode != 0:
        _restore(git, branch, before)
        raise PublishError(f"ghp-import failed: {git.explain(imported)}")
    new = git.rev(f"refs/heads/{branch}")
    parent = git.rev(f"refs/heads/{branch}^")
    if parent and git.rev(f"{new}^{{tree}}") == git.rev(f"{parent}^{{tree}}"):
        git.run("update-ref", f"refs/heads/{branch}", parent)
        remote_head = git.rev(f"refs/remotes/{tracking}/{branch}")
        if remote_head == parent:
            return PublishResult(branch, remote, parent, changed=False)
        new = parent
    pushed = git.run("push", remote, f"refs/heads/{branch}:refs/heads/{branch}", check=False)
    if pushed.returncode != 0:
        _restore(git, branch, before)
        raise PublishError(
            f"pushing to {target(remote, branch)} failed; the published site is unchanged: "
            f"{git.explain(pushed)}"
        )
    return PublishResult(branch, remote, new, changed=True)


def _preview_refusal(config: Config, site_dir: Path, info: dict[str, object]) -> str:
    """Why a site whose feeds link to localhost is not published, and the one fix: set the
    address when none is known, else just build again (it was a preview, or built before the
    address was set)."""
    linked = info.get("site_url") or "localhost"
    found = address.resolve(config, config.docs_dir.parent)
    if found is None:
        return (
            f"{site_dir} was built without the site's address, so its feeds link to "
            f"{linked}: {HOW_TO_FIX}, then run `jobpicks build --strict` again"
        )
    return (
        f"{site_dir} was built as a local preview (its feeds link to {linked}): run "
        f"`jobpicks build --strict` to rebuild it for {found.url}, then publish"
    )


def _restore(git: Git, branch: str, before: str | None) -> None:
    if before:
        git.run("update-ref", f"refs/heads/{branch}", before, check=False)
    else:
        git.run("update-ref", "-d", f"refs/heads/{branch}", check=False)


@dataclass
class CommitResult:
    committed: bool
    pushed: bool
    message: str

    def summary(self) -> str:
        if not self.committed:
            return "No page changes to commit"
        return (
            f"Committed and pushed: {self.message}"
            if self.pushed
            else (f"Committed: {self.message}")
        )


def _verdicts_path(config: Config, git: Git) -> list[str]:
    """`feedback.yml` relative to the repository, when it is in it and exists or is tracked."""
    try:
        relative = str(config.feedback.resolve().relative_to(git.root.resolve()))
    except ValueError:
        return []  # kept outside the repository: not ours to commit
    if config.feedback.exists() or git.out("ls-files", "--", relative):
        return [relative]
    return []


def commit_pages(config: Config, *, push: bool = True) -> CommitResult:
    """Commit new or changed day pages and the reader's verdicts (`feedback.yml`) as the
    bot, and push, rebasing if the branch moved.

    Nothing to commit means no commit: a re-run on the same day leaves history alone.
    """
    git = repo_root(config.docs_dir.parent)
    pages_path = str(config.picks_dir.resolve().relative_to(git.root.resolve()))
    verdicts = _verdicts_path(config, git)
    paths = [pages_path, *verdicts]
    git.run("add", "--all", "--", *paths)
    if git.run("diff", "--cached", "--quiet", "--", *paths, check=False).returncode == 0:
        return CommitResult(False, False, "")
    changed = git.out("diff", "--cached", "--name-only", "--", *paths).splitlines()
    days = sorted(Path(name).stem for name in changed if name not in verdicts)
    if not days:
        message = f"The reader's verdicts in {verdicts[0]}"
    elif len(days) == 1:
        message = f"Daily picks for {days[-1]}"
    else:
        message = f"Daily picks: {len(days)} pages, {days[0]} to {days[-1]}"
    if days and len(days) < len(changed):
        message += f", and the reader's verdicts in {verdicts[0]}"
    git.run(*git.identity_args(), "commit", "--quiet", "-m", message, "--", *paths)
    if not push:
        return CommitResult(True, False, message)
    # Pages go back to this repository; a publish.remote URL is another one, for the site.
    remote = "origin" if is_url(config.publish.remote) else config.publish.remote
    branch = git.out("rev-parse", "--abbrev-ref", "HEAD")
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        pushed = git.run("push", remote, f"HEAD:refs/heads/{branch}", check=False)
        if pushed.returncode == 0:
            return CommitResult(True, True, message)
        log.warning(
            "push to %s/%s rejected (attempt %d): rebasing onto it", remote, branch, attempt
        )
        rebased = git.run(
            *git.identity_args(), "pull", "--rebase", "--quiet", remote, branch, check=False
        )
        if rebased.returncode != 0:
            git.run("rebase", "--abort", check=False)
            raise PublishError(
                f"cannot rebase onto {remote}/{branch}: {git.explain(rebased)}; "
                "the commit is kept locally"
            )
    raise PublishError(f"push to {remote}/{branch} still rejected after {PUSH_ATTEMPTS} tries")
