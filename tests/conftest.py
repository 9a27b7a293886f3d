"""Shared fixtures: an isolated environment, a real HTTP server on 127.0.0.1, a sample project."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from browser import chromium
from local_server import LocalServer, QuietHandler

from generator.config import Config

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "feeds"
FIXTURES = ROOT / "tests" / "fixtures"
"""Real payloads and legacy pages copied into the repository, provenance in SOURCES.md."""
REAL_FEEDS = FIXTURES / "real-feeds"
LEGACY = FIXTURES / "legacy"


def pytest_configure(config: pytest.Config) -> None:
    """The tests' own `jobpicks` and engine processes cache bytecode as a user's
    machine does: with PYTHONDONTWRITEBYTECODE set (as in some sandboxes) each of the
    suite's hundreds of `jobpicks` processes compiled the package again, 0.3 s apiece."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def fixture(relative: str) -> Path:
    """A committed fixture file; a missing one fails the test by name, never skips it."""
    path = FIXTURES / relative
    if not path.is_file():
        raise FileNotFoundError(f"missing test fixture {path} (see tests/fixtures/README.md)")
    return path


def fixtures(folder: str, pattern: str = "*.md") -> list[Path]:
    """Committed fixture files; an empty match is an error, never an empty parametrisation."""
    found = sorted((FIXTURES / folder).glob(pattern))
    if not found:
        raise FileNotFoundError(f"no test fixtures match {FIXTURES / folder / pattern}")
    return found


TODAY = dt.date(2026, 11, 30)
"""What "today" is in every test: runs refuse later dates, and no test may read the clock."""


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's key or clock, or writes outside its tmp dir."""
    monkeypatch.setattr(Config, "today", lambda self: TODAY)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("JOBPICKS_DEBUG", raising=False)
    monkeypatch.delenv("JOBPICKS_PROFILE", raising=False)
    for name in ("GITHUB_ACTIONS", "JOBPICKS_NOTIFY", "GITHUB_WORKFLOW_REF", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)  # CI runs in Actions; each test says so itself
    monkeypatch.chdir(tmp_path)


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    stall: bool = False
    """Hold the reply until the server shuts down: the client's timeout must end the wait."""
    unsized: bool = False
    """Send no Content-Length, so only the streamed size can enforce a cap."""


class FeedServer:
    """A real HTTP server on 127.0.0.1 serving canned routes, recording every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers.items())))
                route = server.routes.get(self.path, Route(404, b"not found"))
                if route.stall:
                    server.release.wait(timeout=30)
                    return
                try:
                    self.send_response(route.status)
                    for key, value in route.headers.items():
                        self.send_header(key, value)
                    if "Location" not in route.headers and not route.unsized:
                        self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = LocalServer(Handler)

    @property
    def base(self) -> str:
        return self.server.origin

    def add(self, path: str, body: bytes | str = b"", status: int = 200, **kw: object) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(status=status, body=data, **kw)  # type: ignore[arg-type]
        return self.base + path


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    server.server.start()
    try:
        yield server
    finally:
        server.release.set()
        server.server.stop()


def write_config(folder: Path, sources: list[dict[str, object]], **extra: object) -> Path:
    """A jobpicks.yml in `folder` using the sample profile and the given sources.

    The tests use the bundled samples on purpose, so `allow_samples` is on unless a test
    turns it off to see the guard (tests/test_health.py).
    """
    profile = folder / "profile.md"
    if not profile.exists():
        shutil.copy(ROOT / "samples" / "profile.md", profile)
    data: dict[str, object] = {
        "profile": "profile.md",
        "timezone": "Europe/Berlin",
        "docs_dir": "docs",
        "sources": sources,
        "allow_samples": True,
        **extra,
    }
    path = folder / "jobpicks.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


SAMPLE_SOURCES: list[dict[str, object]] = [
    {"type": "rss", "name": "Remote Board (sample)", "url": str(SAMPLES / "remote-board.xml")},
    {"type": "atom", "name": "Careers Hub (sample)", "url": str(SAMPLES / "careers.atom")},
    {"type": "rss", "name": "Saved search (sample)", "url": str(SAMPLES / "job-search.xml")},
]


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A project folder whose config reads the bundled sample feeds; returns the config."""
    return write_config(tmp_path, SAMPLE_SOURCES)


@pytest.fixture(scope="session")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One built site for every test that only reads it (`test_site.py`, `test_engine.py`,
    `test_browser.py`): `site_helpers.make_project` with its hostile pick, the decision
    facts of `site_helpers.add_facts`, the saved search of `add_saved` and the feedback.yml
    of `add_applications`, built once per run (`once.made_once`). The project's folder;
    the site is in `site/`. A test that changes a project or a build makes its own."""
    from once import made_once
    from site_helpers import add_applications, add_facts, add_saved, build_site, make_project

    def make(folder: Path) -> None:
        config_path = make_project(folder)
        add_facts(config_path)
        add_applications(config_path)
        add_saved(config_path)
        result = build_site(config_path)
        assert result.days == 6 and result.warnings == []

    return made_once(tmp_path_factory, "shared-site", make)


@pytest.fixture(scope="session")
def driver() -> Iterator[object]:
    """One headless Chromium per test process: each module serves its site on a port of
    its own (so storage never crosses modules) and every test undoes its emulation."""
    with chromium() as browser:
        yield browser
