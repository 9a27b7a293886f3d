"""A private search: the profile from a secret, and the site published to another repository
than the one holding the config, so a private config repository can feed a public site."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from git_project import commits, git, make_repo, tree_files

from generator.cli import cli
from generator.errors import ConfigError
from generator.profile import load_profile, require_usable

SECRET_PROFILE = """---
titles: [Site Reliability Engineer]
must_have: [Terraform]
---
Looking for reliability work; nobody reading the fork should know.
"""


def jp(work: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner(env=env).invoke(
        cli, [*args, "--config", str(work / "jobpicks.yml")], catch_exceptions=False
    )
    return result.exit_code, result.output


def test_the_profile_secret_wins_over_the_file(tmp_path: Path) -> None:
    path = tmp_path / "profile.md"
    path.write_text("---\ntitles: [Backend Engineer]\n---\n", encoding="utf-8")
    secret = load_profile(path, env={"JOBPICKS_PROFILE": SECRET_PROFILE})
    assert secret.titles == ["Site Reliability Engineer"] and "nobody reading" in secret.prose
    # GitHub Actions passes a secret that is not set as an empty string: the file counts.
    assert load_profile(path, env={"JOBPICKS_PROFILE": "  \n"}).titles == ["Backend Engineer"]
    with pytest.raises(ConfigError, match=r"^\$JOBPICKS_PROFILE: invalid YAML front matter"):
        load_profile(path, env={"JOBPICKS_PROFILE": "---\ntitles: [unclosed\n---\n"})


def test_an_unusable_secret_profile_is_named_as_the_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBPICKS_PROFILE", "---\nname: Nobody\n---\n")
    profile = load_profile(tmp_path / "profile.md")
    with pytest.raises(ConfigError, match=r"^\$JOBPICKS_PROFILE: the profile gives the local"):
        require_usable(profile, tmp_path / "profile.md", "local")


def test_a_run_with_the_profile_in_the_secret_and_no_profile_file(tmp_path: Path) -> None:
    _, work = make_repo(tmp_path)
    git(work, "rm", "-q", "profile.md")
    code, output = jp(work, "run", "--date", "2026-11-23", "--dry-run")
    assert code == 1 and "profile.md: profile not found" in output and "JOBPICKS_PROFILE" in output
    code, output = jp(
        work, "run", "--date", "2026-11-23", "--dry-run", env={"JOBPICKS_PROFILE": SECRET_PROFILE}
    )
    assert code == 0, output
    assert [line for line in output.splitlines() if "<http" in line]


def _publish_elsewhere(work: Path, target: str, **site: str) -> None:
    config = yaml.safe_load((work / "jobpicks.yml").read_text())
    config["publish"] = {"remote": target}
    config["site"] = {"title": "Test", **site}
    (work / "jobpicks.yml").write_text(yaml.safe_dump(config))
    git(work, "commit", "-qam", "Publish the site to its own repository")


def test_publish_to_another_repository_by_url(tmp_path: Path) -> None:
    origin, work = make_repo(tmp_path)
    site_repo = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(site_repo)], check=True)
    _publish_elsewhere(work, site_repo.as_uri(), url="https://you.github.io/")
    for command in (["run", "--date", "2026-11-23"], ["commit"], ["build", "--strict"]):
        code, output = jp(work, *command)
        assert code == 0, (command, output)
    code, output = jp(work, "publish")
    assert code == 0, output
    assert f"to {site_repo.as_uri()} (gh-pages)" in output
    assert {".nojekyll", "index.html", "picks/2026/2026-11-23/index.html"} <= tree_files(
        site_repo, "gh-pages"
    )
    # The pages went back to the config's own repository; the site went only to the other.
    assert git(origin, "log", "-1", "--format=%s", "main") == "Daily picks for 2026-11-23"
    assert commits(origin, "gh-pages") == []
    assert "<link>https://you.github.io/</link>" in git(site_repo, "show", "gh-pages:feed.xml")

    code, output = jp(work, "publish")
    assert code == 0 and "already holds this site" in output
    assert len(commits(site_repo, "gh-pages")) == 1


def test_publish_to_another_repository_needs_its_address(tmp_path: Path) -> None:
    _, work = make_repo(tmp_path)
    site_repo = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(site_repo)], check=True)
    _publish_elsewhere(work, site_repo.as_uri())
    actions = {"GITHUB_REPOSITORY": "you/private-search"}
    assert jp(work, "run", "--date", "2026-11-23")[0] == 0
    assert jp(work, "build", "--strict", env=actions)[0] == 0
    code, output = jp(work, "publish", env=actions)
    assert code == 1
    assert "publish.remote is another repository" in output
    assert "https://you.github.io/private-search/, this repository's address" in output
    assert "set site.url" in output
    assert commits(site_repo, "gh-pages") == []
