"""`jobpicks serve`: its own folder, the site's own 404 page, and a busy port said in one line."""

from __future__ import annotations

import shutil
import socket
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from site_helpers import make_project

from generator.cli import cli, preview_server
from generator.config import load_config
from generator.publish import PublishError, publish_site


def test_unknown_path_gets_the_sites_404_page(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<h1>home</h1>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<h1>Page not found</h1>", encoding="utf-8")
    server = preview_server(tmp_path, 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        with urllib.request.urlopen(f"{base}/") as response:
            assert response.status == 200
        try:
            urllib.request.urlopen(f"{base}/picks/nowhere/")
            raise AssertionError("expected a 404")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
            assert exc.read() == b"<h1>Page not found</h1>"
            assert exc.headers["Content-Type"] == "text/html; charset=utf-8"
    finally:
        server.shutdown()
        server.server_close()


def test_busy_port_is_one_line_suggesting_another(sample_project: Path) -> None:
    shutil.copy(ROOT / "mkdocs.yml", sample_project.parent / "mkdocs.yml")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["serve", "--config", str(sample_project), "--port", str(port)]
        )
    assert result.exit_code == 1
    assert f"port {port} is already in use on 127.0.0.1" in result.output
    assert f"--port {port + 1}" in result.output
    assert "Errno" not in result.output
    assert not (sample_project.parent / "site").exists()


def test_build_summary_says_what_to_do_next(tmp_path: Path) -> None:
    config_path = make_project(tmp_path, hostile=False)
    result = CliRunner().invoke(cli, ["build", "--config", str(config_path)])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith(
        "; next: `jobpicks serve` to preview, `jobpicks publish`"
    )


class _StopAtOnce:
    """A preview server that stops as soon as it starts, as Ctrl+C would."""

    def __init__(self, site_dir: Path, port: int) -> None:
        self.site_dir, self.server_port = site_dir, 8123

    def __enter__(self) -> _StopAtOnce:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def serve_forever(self) -> None:
        raise KeyboardInterrupt


def test_serve_builds_its_own_folder_and_publish_says_to_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_path = make_project(tmp_path, hostile=False)
    published = tmp_path / "site"
    published.mkdir()
    (published / "index.html").write_text("the published site", encoding="utf-8")
    servers: list[_StopAtOnce] = []
    monkeypatch.setattr(
        "generator.cli.preview_server",
        lambda d, p: servers.append(_StopAtOnce(d, p)) or servers[-1],
    )
    result = CliRunner().invoke(cli, ["serve", "--config", str(config_path)])
    assert result.exit_code == 0, result.output
    preview = tmp_path / "build" / "preview"
    assert servers[0].site_dir == preview
    assert f"Built {preview}" in result.output and "Stopped." in result.output
    assert (published / "index.html").read_text(encoding="utf-8") == "the published site"
    feed = (preview / "feed.xml").read_text(encoding="utf-8")
    assert "http://127.0.0.1:8123/" in feed
    # A preview handed to publish (an old `serve` built into site/) is refused: rebuild it.
    with pytest.raises(PublishError) as refused:
        publish_site(load_config(config_path), preview)
    assert "built as a local preview" in refused.value.message
    assert "run `jobpicks build --strict` to rebuild it for https://picks.example.org/" in (
        refused.value.message
    )
    assert "set site.url" not in refused.value.message
