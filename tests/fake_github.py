"""A fake of the GitHub REST API's issue endpoints on 127.0.0.1, for the real httpx client.

It holds one repository's issues and serves what `generator.github` calls: list issues (by
state and label, paginated with a `Link` header), list and post comments, and close an issue.
`fail` queues canned answers (a rate limit, a server error) for the next matching requests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from local_server import LocalServer, QuietHandler

TOKEN = "ghs_test_token_never_real"


@dataclass
class FakeIssue:
    number: int
    title: str
    body: str
    author: str = "owner"
    association: str = "OWNER"
    labels: list[str] = field(default_factory=lambda: ["jobpicks-feedback"])
    state: str = "open"
    comments: list[str] = field(default_factory=list)
    pull_request: bool = False

    def api(self, origin: str, repository: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "number": self.number,
            "title": self.title,
            "body": self.body,
            "state": self.state,
            "user": {"login": self.author},
            "author_association": self.association,
            "labels": [{"name": name} for name in self.labels],
            "comments": len(self.comments),
            "html_url": f"{origin}/{repository}/issues/{self.number}",
        }
        if self.pull_request:
            data["pull_request"] = {"url": "..."}
        return data


@dataclass
class Canned:
    method: str
    path: str
    """A regular expression the request's path must match."""
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str = "{}"


class FakeGitHub:
    def __init__(self, repository: str = "reader/picks", page_size: int = 100) -> None:
        self.repository = repository
        self.page_size = page_size
        self.issues: dict[int, FakeIssue] = {}
        self.requests: list[tuple[str, str]] = []
        self.canned: list[Canned] = []
        self.reset(page_size)
        github = self

        class Handler(QuietHandler):
            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"null") if length else None
                github.requests.append((method, self.path))
                status, headers, body = github.handle(
                    method, self.path, payload, self.headers.get("Authorization", "")
                )
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def do_PATCH(self) -> None:
                self._answer("PATCH")

        self.server = LocalServer(Handler)

    def reset(self, page_size: int = 100) -> None:
        """No issues, requests or canned answers: one server serves a whole test module."""
        self.page_size = page_size
        self.issues = {}
        self.requests = []
        self.canned = []

    @property
    def api_url(self) -> str:
        return self.server.origin

    def env(self) -> dict[str, str]:
        """What a workflow job's environment says about the repository."""
        return {
            "GITHUB_API_URL": self.api_url,
            "GITHUB_REPOSITORY": self.repository,
            "GITHUB_TOKEN": TOKEN,
        }

    def add(self, title: str, body: str, **kw: Any) -> FakeIssue:
        issue = FakeIssue(len(self.issues) + 1, title, body, **kw)
        self.issues[issue.number] = issue
        return issue

    def fail(self, method: str, path: str, status: int, body: str = "{}", **headers: str) -> None:
        self.canned.append(Canned(method, path, status, headers, body))

    def writes(self, number: int) -> list[str]:
        """The methods of every request that changed issue `number`."""
        prefix = f"/repos/{self.repository}/issues/{number}"
        return [m for m, p in self.requests if m != "GET" and urlsplit(p).path.startswith(prefix)]

    def handle(
        self, method: str, target: str, payload: Any, authorization: str
    ) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(target)
        for canned in self.canned:
            if canned.method == method and re.fullmatch(canned.path, parts.path):
                self.canned.remove(canned)
                return canned.status, canned.headers, canned.body
        if authorization != f"Bearer {TOKEN}":
            return 401, {}, json.dumps({"message": "Bad credentials"})
        base = f"/repos/{self.repository}/issues"
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if method == "GET" and parts.path == base:
            return self._list(query)
        match = re.fullmatch(rf"{re.escape(base)}/(\d+)(/comments)?", parts.path)
        if not match or int(match[1]) not in self.issues:
            return 404, {}, json.dumps({"message": "Not Found"})
        issue = self.issues[int(match[1])]
        if match[2] and method == "GET":
            comments = [{"body": body} for body in issue.comments]
            return 200, {}, json.dumps(comments)
        if match[2] and method == "POST":
            issue.comments.append(payload["body"])
            return 201, {}, json.dumps({"body": payload["body"]})
        if not match[2] and method == "PATCH":
            issue.state = payload.get("state", issue.state)
            return 200, {}, json.dumps(issue.api(self.api_url, self.repository))
        return 405, {}, json.dumps({"message": "Method not allowed"})

    def _list(self, query: dict[str, str]) -> tuple[int, dict[str, str], str]:
        label = query.get("labels", "")
        state = query.get("state", "open")
        chosen = [
            issue
            for issue in sorted(self.issues.values(), key=lambda i: i.number)
            if issue.state == state and (not label or label in issue.labels)
        ]
        size = min(int(query.get("per_page", 30)), self.page_size)
        page = int(query.get("page", 1))
        items = chosen[(page - 1) * size : page * size]
        headers = {}
        if page * size < len(chosen):
            rest = "&".join(f"{k}={v}" for k, v in {**query, "page": str(page + 1)}.items())
            headers["Link"] = f'<{self.api_url}/repos/{self.repository}/issues?{rest}>; rel="next"'
        body = [issue.api(self.api_url, self.repository) for issue in items]
        return 200, headers, json.dumps(body)


@contextmanager
def fake_github(**kw: Any) -> Iterator[FakeGitHub]:
    github = FakeGitHub(**kw)
    github.server.start()
    try:
        yield github
    finally:
        github.server.stop()
