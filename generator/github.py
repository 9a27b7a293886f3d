"""A small client for the three GitHub REST calls the feedback inbox needs.

List a repository's open issues with a label, comment on one, close one: httpx, the
workflow's token, pagination by the `Link` header. A rate limit is waited out only when GitHub
asks for a short wait (`retry-after`, or `x-ratelimit-reset` within `max_wait`); otherwise, as
for any other error answer, the call fails with a message naming what it was doing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from generator.config import USER_AGENT
from generator.errors import GitHubError

API_VERSION = "2022-11-28"
DEFAULT_API = "https://api.github.com"
ATTEMPTS = 3


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    body: str
    author: str
    association: str
    """GitHub's `author_association`: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, ..."""
    url: str
    comments: int = 0

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Issue:
        return cls(
            number=int(data["number"]),
            title=str(data.get("title") or ""),
            body=str(data.get("body") or ""),
            author=str((data.get("user") or {}).get("login") or ""),
            association=str(data.get("author_association") or "NONE"),
            url=str(data.get("html_url") or ""),
            comments=int(data.get("comments") or 0),
        )


def client_from_env(environ: Mapping[str, str]) -> GitHubClient:
    """The client a GitHub Actions job gets: `GITHUB_REPOSITORY`, `GITHUB_API_URL` and the
    token the workflow passes as `GITHUB_TOKEN`."""
    repository = environ.get("GITHUB_REPOSITORY", "").strip()
    token = environ.get("GITHUB_TOKEN", "").strip()
    missing = [
        name
        for name, value in (("GITHUB_REPOSITORY", repository), ("GITHUB_TOKEN", token))
        if not value
    ]
    if missing:
        raise GitHubError(
            f"{' and '.join(missing)} not set: `feedback --from-github` runs in the daily "
            "workflow, which sets GITHUB_REPOSITORY (owner/name) and passes the job's token as "
            "GITHUB_TOKEN; elsewhere set them yourself"
        )
    return GitHubClient(environ.get("GITHUB_API_URL", "").strip() or DEFAULT_API, repository, token)


class GitHubClient:
    """The REST API of one repository (`owner/name`) at `api_url`, with `token`."""

    def __init__(
        self,
        api_url: str,
        repository: str,
        token: str,
        *,
        timeout: float = 20.0,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.repository = repository
        self.max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        self._http = httpx.Client(
            timeout=timeout,
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {token}",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": USER_AGENT,
            },
        )

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def _url(self, path: str) -> str:
        return f"{self.api_url}/repos/{self.repository}{path}"

    def open_issues(self, label: str) -> list[Issue]:
        """Open issues with `label`, oldest first; pull requests left out."""
        params = {"state": "open", "labels": label, "sort": "created", "direction": "asc"}
        issues = []
        for item in self._pages(self._url("/issues"), params, f"listing issues labelled {label}"):
            if "pull_request" not in item:
                issues.append(Issue.from_api(item))
        return issues

    def comment_bodies(self, number: int) -> list[str]:
        what = f"reading the comments of issue #{number}"
        return [
            str(c.get("body") or "")
            for c in self._pages(self._url(f"/issues/{number}/comments"), {}, what)
        ]

    def comment(self, number: int, body: str) -> None:
        self._request(
            "POST",
            self._url(f"/issues/{number}/comments"),
            f"commenting on issue #{number}",
            json={"body": body},
        )

    def close(self, number: int) -> None:
        self._request(
            "PATCH",
            self._url(f"/issues/{number}"),
            f"closing issue #{number}",
            json={"state": "closed", "state_reason": "completed"},
        )

    def _pages(self, url: str, params: dict[str, str], what: str) -> Iterator[dict[str, Any]]:
        next_url: str | None = url
        query: dict[str, str] | None = {**params, "per_page": "100"}
        while next_url:
            response = self._request("GET", next_url, what, params=query)
            items = response.json()
            if not isinstance(items, list):
                raise GitHubError(f"{what}: GitHub answered {type(items).__name__}, not a list")
            yield from (item for item in items if isinstance(item, dict))
            next_url = response.links.get("next", {}).get("url")
            query = None  # the next link carries the query

    def _request(self, method: str, url: str, what: str, **kwargs: Any) -> httpx.Response:
        """One call, retried after a short rate limit, and after a failure that cannot
        have done it twice (a comment is posted again only if it never reached GitHub)."""
        repeatable = method != "POST"
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = self._http.request(method, url, **kwargs)
            except httpx.HTTPError as exc:
                unsent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                if attempt < ATTEMPTS and (repeatable or unsent):
                    self._sleep(2**attempt)
                    continue
                raise GitHubError(f"{what}: cannot reach {self.api_url}: {exc}") from None
            if response.status_code in (403, 429):
                wait = self._rate_limit_wait(response)
                if wait is not None:
                    if wait <= self.max_wait and attempt < ATTEMPTS:
                        self._sleep(wait)
                        continue
                    raise GitHubError(
                        f"{what}: GitHub's rate limit for this token is spent until "
                        f"{self._when(wait)}; nothing more was done, the next run tries again"
                    )
            if response.status_code >= 500 and repeatable and attempt < ATTEMPTS:
                self._sleep(2**attempt)
                continue
            if response.is_error:
                raise GitHubError(f"{what}: {self._explain(response)}")
            return response
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _rate_limit_wait(self, response: httpx.Response) -> float | None:
        """Seconds GitHub asks to wait, or None when the 403/429 is not a rate limit."""
        retry_after = response.headers.get("retry-after", "")
        if retry_after.isdigit():
            return float(retry_after)
        if response.headers.get("x-ratelimit-remaining") == "0":
            reset = response.headers.get("x-ratelimit-reset", "")
            return max(0.0, float(reset) - self._clock()) if reset.isdigit() else self.max_wait + 1
        if "rate limit" in response.text.lower():
            return self.max_wait + 1  # a secondary limit without a wait: stop, do not hammer
        return None

    def _when(self, wait: float) -> str:
        moment = dt.datetime.fromtimestamp(self._clock() + wait, dt.UTC)
        return moment.strftime("%Y-%m-%d %H:%M UTC")

    def _explain(self, response: httpx.Response) -> str:
        try:
            message = str(response.json().get("message") or "")
        except (ValueError, AttributeError):
            message = ""
        message = message or " ".join(response.text.split())[:200]
        hint = {
            401: " (GITHUB_TOKEN was refused)",
            403: " (the token lacks a permission: the job needs `issues: write`)",
            404: f" (no repository {self.repository} this token can see)",
        }.get(response.status_code, "")
        return f"GitHub answered {response.status_code} {message}{hint}".rstrip()
