"""Stage 6: publishing. Commit the day's page back, and push the built site to gh-pages.

Both steps are git commands run from the CLI, so the scheduled workflow is a list of
`jobpicks` commands that tests can run in order against a local bare repository.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.config import Config
from generator.errors import PublishError
from generator.files import TEMP_SUFFIX, is_temp_file
from generator.secrets import redact
from generator.site import BUILD_INFO, address, pages_fingerprint
from generator.site.address import HOW_TO_FIX
from generator.text import plural

log = logging.getLogger(__name__)

BOT_NAME = "jobpicks-bot"
BOT_EMAIL = "jobpicks-bot@users.noreply.github.com"
PUSH_ATTEMPTS = 3
TOKEN_ENV = "JOBPICKS_PUSH_TOKEN"
"""A token for git's fetches and pushes, given only to the workflow steps that push (the
checkout keeps no credentials): git gets it as an HTTP header through its environment,
never on a command line or in .git/config."""
PUBLISH_SUBJECT = "Publish site for "
KEPT = "Kept: "
"""A publish commit's body names each file it kept for others, so the next publish keeps
them too."""


@dataclass(frozen=True)
class Git:
    """git in one repository, with errors that say which command failed and why."""

    root: Path

    def run(
        self,
        *args: str,
        check: bool = True,
        env: dict[str, str] | None = None,
        input: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["git", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            env={**self.env(), **(env or {})},
            input=input,
        )
        if check and done.returncode != 0:
            raise PublishError(f"git {' '.join(args)} failed: {self.explain(done)}")
        return done

    @staticmethod
    def env() -> dict[str, str]:
        """This process's environment, with the push token (if any) as git config."""
        env = dict(os.environ)
        token = env.pop(TOKEN_ENV, "")
        if token:
            server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
            basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
            count = int(env.get("GIT_CONFIG_COUNT", "0") or 0)
            env["GIT_CONFIG_COUNT"] = str(count + 1)
            env[f"GIT_CONFIG_KEY_{count}"] = f"http.{server}/.extraheader"
            env[f"GIT_CONFIG_VALUE_{count}"] = f"AUTHORIZATION: basic {basic}"
        return env

    def out(self, *args: str) -> str:
        return self.run(*args).stdout.strip()

    def rev(self, ref: str) -> str | None:
        done = self.run("rev-parse", "--verify", "--quiet", ref, check=False)
        return done.stdout.strip() or None

    @staticmethod
    def explain(done: subprocess.CompletedProcess[str]) -> str:
        text = " ".join((done.stderr or done.stdout).split())
        return redact(text[-600:], os.environ.get(TOKEN_ENV)) or f"exit code {done.returncode}"

    def has_identity(self) -> bool:
        return bool(self.run("config", "user.email", check=False).stdout.strip())

    def identity_args(self) -> list[str]:
        """The bot identity, unless the repository already has one configured."""
        if self.has_identity():
            return []
        return ["-c", f"user.name={BOT_NAME}", "-c", f"user.email={BOT_EMAIL}"]

    def identity_env(self) -> dict[str, str]:
        """The bot identity for tools that read it from the environment (ghp-import,
        commit-tree), unless the repository has one: a runner with no git identity would
        otherwise write commits with an empty author and committer."""
        if self.has_identity():
            return {}
        return {
            f"GIT_{role}_{part}": value
            for role in ("AUTHOR", "COMMITTER")
            for part, value in (("NAME", BOT_NAME), ("EMAIL", BOT_EMAIL))
        }


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
            "`jobpicks build` again before publishing (`jobpicks run`, `check` and `notify` "
            "each write to the pages: build after the last of them, as the daily workflow does)"
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
    message = f"{PUBLISH_SUBJECT}{info.get('newest_day') or 'an empty history'}"
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
        [*command, str(site_dir)],
        cwd=git.root,
        capture_output=True,
        text=True,
        env={**git.env(), **git.identity_env()},
    )
    if imported.returncode != 0:
        _restore(git, branch, before)
        raise PublishError(f"ghp-import failed: {git.explain(imported)}")
    new = git.rev(f"refs/heads/{branch}")
    parent = git.rev(f"refs/heads/{branch}^")
    if parent and new:
        new = _keep_others_files(git, branch, new, parent, message)
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


def _keep_others_files(git: Git, branch: str, new: str, parent: str, message: str) -> str:
    """Put back into the new commit the files others added to the branch since the last
    publish (a verification file, a page pushed by hand); returns the commit to push.

    ghp-import replaces the whole tree. A file in the branch's tip that the last jobpicks
    publish did not have, or kept for someone else (its `Kept:` lines), and this site does
    not have, was added by someone else: it is kept, and said so. On a branch jobpicks never
    published to, what this publish drops is said instead.
    """
    last = git.out("log", "-1", "--format=%H", f"--grep=^{PUBLISH_SUBJECT}", parent)
    tip = _tree_entries(git, parent)
    ours = set(_tree_entries(git, new))
    if not last:
        dropped = sorted(set(tip) - ours)
        if dropped:
            log.warning(
                "publish replaces %s, which jobpicks did not make: %s not in the "
                "site are dropped (%s); they stay in the branch's history",
                branch,
                plural(len(dropped), "file"),
                ", ".join(dropped[:5]) + (", ..." if len(dropped) > 5 else ""),
            )
        return new
    kept_before = {
        line.removeprefix(KEPT).strip()
        for line in git.out("log", "-1", "--format=%b", last).splitlines()
        if line.startswith(KEPT)
    }
    others = (set(tip) - set(_tree_entries(git, last))) | (kept_before & set(tip))
    theirs = sorted(others - ours)
    if not theirs:
        return new
    new_to_us = [path for path in theirs if path not in kept_before]
    if new_to_us:  # said once; later publishes keep them quietly
        log.warning(
            "publish keeps %s others added to %s since the last publish: %s",
            plural(len(new_to_us), "file"),
            branch,
            ", ".join(new_to_us[:5]) + (", ..." if len(new_to_us) > 5 else ""),
        )
    with tempfile.TemporaryDirectory(prefix="jobpicks-index-") as folder:
        index = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
        git.run("read-tree", new, env=index)
        kept = "".join(tip[path] for path in theirs)
        git.run("update-index", "-z", "--index-info", env=index, input=kept)
        tree = git.run("write-tree", env=index).stdout.strip()
    identity = git.identity_env()
    body = "\n".join(f"{KEPT}{path}" for path in theirs)
    commit = git.run(
        "commit-tree", tree, "-p", parent, "-m", message, "-m", body, env=identity
    ).stdout
    commit = commit.strip()
    git.run("update-ref", f"refs/heads/{branch}", commit)
    return commit


def _tree_entries(git: Git, commit: str) -> dict[str, str]:
    """Every file of `commit`'s tree: path -> its `update-index --index-info` line."""
    entries = {}
    for line in git.out("ls-tree", "-r", "--full-tree", "-z", commit).split("\0"):
        if line:
            meta, path = line.split("\t", 1)
            mode, _, sha = meta.split(" ")
            entries[path] = f"{mode} {sha}\t{path}\0"
    return entries


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
    leftovers = sorted(p for p in config.picks_dir.rglob(f".*{TEMP_SUFFIX}") if is_temp_file(p))
    if leftovers:
        log.warning(
            "left out of the commit: %s of an interrupted write (%s); they can be deleted",
            plural(len(leftovers), "temp file"),
            ", ".join(str(p) for p in leftovers[:5]),
        )
    # Temp files never go in, whatever the repository's .gitignore says.
    git.run("add", "--all", "--", *paths, f":(exclude,glob){pages_path}/**/.*{TEMP_SUFFIX}")
    if leftovers:  # one staged by hand earlier comes out again
        git.run("reset", "--quiet", "--", *(str(p) for p in leftovers), check=False)
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
