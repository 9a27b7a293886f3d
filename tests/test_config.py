from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import ConfigError
from generator.profile import load_profile


def test_every_bad_key_is_reported_with_its_path_in_one_error(tmp_path: Path) -> None:
    path = tmp_path / "jobpicks.yml"
    path.write_text(
        "sources:\n"
        "  - url: a.xml\n"
        "  - url: b.xml\n"
        "  - url: c.xml\n    colour: red\n"
        "selection:\n  picks_per_day: many\n  max_per_company: 0\n"
        "timezone: Mars/Olympus\n"
        "frobnicate: true\n"
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = info.value.message
    assert str(path) in message
    assert "sources[2].colour: unknown key" in message
    assert "selection.picks_per_day:" in message
    assert "selection.max_per_company:" in message
    assert "timezone: Value error, unknown time zone 'Mars/Olympus'" in message
    assert "frobnicate: unknown key" in message


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "jobpicks.yml"
    path.write_text("sources:\n  - url: [unclosed\n")
    with pytest.raises(ConfigError, match=r"jobpicks\.yml:\d+: invalid YAML"):
        load_config(path)


def test_missing_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.yml: config file not found"):
        load_config(tmp_path / "nope.yml")


def test_paths_resolve_against_the_config_folder_and_urls_stay(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "jobpicks.yml"
    path.write_text("sources:\n  - url: feeds/a.xml\n  - url: https://example.com/f.rss\n")
    config = load_config(path)
    assert config.sources[0].url == str(tmp_path / "conf" / "feeds" / "a.xml")
    assert config.sources[1].url == "https://example.com/f.rss"
    assert config.docs_dir == tmp_path / "conf" / "docs"
    assert config.profile == tmp_path / "conf" / "profile.md"
    assert config.selection.picks_per_day == 20 and config.selection.max_per_company == 3


def test_overrides_apply_only_when_given_and_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "jobpicks.yml"
    path.write_text("sources:\n  - url: a.xml\nscoring:\n  scorer: openai\n")
    assert load_config(path).scoring.scorer == "openai"
    assert load_config(path, {"scoring.scorer": "local"}).scoring.scorer == "local"
    with pytest.raises(ConfigError, match=r"scoring\.scorer"):
        load_config(path, {"scoring.scorer": "magic"})


def test_profile_errors_name_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "profile.md"
    path.write_text("---\ntitles: [A]\nremote: sometimes\nhobbies: [x]\n---\nProse\n")
    with pytest.raises(ConfigError) as info:
        load_profile(path)
    assert "remote:" in info.value.message and "hobbies: unknown key" in info.value.message
    with pytest.raises(ConfigError, match="profile not found"):
        load_profile(tmp_path / "missing.md")


def test_profile_prose_is_kept_for_the_model(tmp_path: Path) -> None:
    path = tmp_path / "profile.md"
    path.write_text("---\nmust_have: [Python]\n---\nI like backend work.\n")
    profile = load_profile(path)
    assert profile.must_have == ["Python"] and profile.prose == "I like backend work."
