"""The site's absolute address, resolved once for feeds, the engine and publishing.

Feed readers need absolute links, so a feed built without the real address is useless once
published. The address comes from the first of: `site.url`; `publish.cname` (a custom
domain); GitHub Actions' `GITHUB_REPOSITORY` (the Pages address of that repository); the
publish remote (`origin`) when it is on github.com. Only a local preview (`jobpicks serve`)
uses localhost; `build --strict` and `publish` refuse a site without a real address.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.config import Config
from generator.errors import AddressError

PREVIEW_URL = "http://127.0.0.1:8000/"
HOW_TO_FIX = (
    "set site.url in jobpicks.yml to the address the site is published at, "
    "e.g. https://YOUR-NAME.github.io/jobpicks/"
)
MISSING = "cannot tell where the site is published, so its feeds would link to localhost: " + (
    HOW_TO_FIX
)

# https://github.com/owner/repo(.git), git@github.com:owner/repo(.git),
# ssh://git@github.com/owner/repo(.git)
_GITHUB_REMOTE = re.compile(
    r"^(?:https?://(?:[^@/]+@)?github\.com/|git@github\.com:|ssh://git@github\.com(?::\d+)?/)"
    r"(?P<owner>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?$"
)

_PAGES_URL = re.compile(
    r"^https://(?P<owner>[A-Za-z0-9-]+)\.github\.io/(?:(?P<repo>[A-Za-z0-9._-]+)/?)?$", re.I
)


@dataclass(frozen=True)
class SiteAddress:
    url: str
    """Absolute, ending in `/`."""
    source: str
    """Where it came from: `site.url`, `publish.cname`, `GITHUB_REPOSITORY`, `remote <name>`
    or `preview` (localhost, never published)."""

    @property
    def is_preview(self) -> bool:
        return self.source == "preview"


def pages_url(owner: str, repo: str) -> str:
    """GitHub Pages' address for a repository: `OWNER.github.io` is a user site at the root,
    any other repository a project site under its name."""
    host = f"{owner.lower()}.github.io"
    if repo.lower() == host:
        return f"https://{host}/"
    return f"https://{host}/{repo}/"


def github_remote(url: str) -> tuple[str, str] | None:
    """(owner, repo) of a github.com remote URL in https or ssh form, else None."""
    match = _GITHUB_REMOTE.match(url.strip())
    return (match["owner"], match["repo"]) if match else None


def _remote_url(project: Path, remote: str) -> str:
    try:
        done = subprocess.run(
            ["git", "remote", "get-url", remote],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def resolve(
    config: Config, project: Path, env: Mapping[str, str] | None = None
) -> SiteAddress | None:
    """The site's address, or None when nothing says where the site is published."""
    env = os.environ if env is None else env
    if config.site.url:
        return SiteAddress(_with_slash(config.site.url), "site.url")
    if config.publish.cname:
        return SiteAddress(f"https://{config.publish.cname.strip('/')}/", "publish.cname")
    repository = env.get("GITHUB_REPOSITORY", "")
    if repository.count("/") == 1 and all(repository.split("/")):
        owner, repo = repository.split("/")
        return SiteAddress(pages_url(owner, repo), "GITHUB_REPOSITORY")
    found = github_remote(_remote_url(project, config.publish.remote))
    if found:
        return SiteAddress(pages_url(*found), f"remote {config.publish.remote}")
    return None


def require(config: Config, project: Path, env: Mapping[str, str] | None = None) -> SiteAddress:
    """The site's address, or an error saying how to set it."""
    address = resolve(config, project, env)
    if address is None:
        raise AddressError(MISSING)
    return address


def repository(config: Config, project: Path, env: Mapping[str, str] | None = None) -> str:
    """The site's own GitHub repository, `owner/name`, where My picks' "Send to jobpicks"
    opens an issue: Actions' `GITHUB_REPOSITORY`, else the publish remote on github.com,
    else a github.io `site.url` (`https://OWNER.github.io/REPO/`); "" when none says."""
    env = os.environ if env is None else env
    found = env.get("GITHUB_REPOSITORY", "")
    if found.count("/") == 1 and all(found.split("/")):
        return found
    remote = github_remote(_remote_url(project, config.publish.remote))
    if remote:
        return "/".join(remote)
    match = _PAGES_URL.match(config.site.url)
    if match:
        return f"{match['owner']}/{match['repo'] or match['owner'] + '.github.io'}"
    return ""
