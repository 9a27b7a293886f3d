"""The contract with the site engine (`generator/site/engine.py`): one test per rule."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest
from site_helpers import build_site, make_project

from generator.config import load_config
from generator.site import BuildError, engine, engine_paths, shell
from generator.site.derive import archive_pages, collect, companies_index, day_page, home_page

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def project(shared_site: Path) -> Path:
    """The session's shared site (conftest.py)."""
    return shared_site


def test_rule_1_generated_pages_are_left_out_of_the_engine_s_search(project: Path) -> None:
    from generator import pages

    config = load_config(project / "jobpicks.yml")
    data = collect(pages.read_all(config.picks_dir))
    generated = [
        day_page(data, data.days[0]).text,
        home_page(data, "Picks").text,
        companies_index(data),
        *archive_pages(data).values(),
        shell.markdown(),
    ]
    for text in generated:
        assert frontmatter.loads(text).metadata["search"] == {"exclude": True}
    docs = json.loads((project / "site/search/search_index.json").read_text())["docs"]
    assert not [d for d in docs if d["location"].startswith(("picks/", "archive/"))]
    companies = [d for d in docs if d["location"].startswith("companies/")]
    # The generator's entries only, one per company page; the A-Z index is not parsed either.
    assert len(companies) == len(data.companies)
    assert all(d["location"].count("/") == 2 and "#" not in d["location"] for d in companies)


def test_rule_2_the_search_index_lists_a_page_before_its_sections(project: Path) -> None:
    docs = json.loads((project / "site/search/search_index.json").read_text())["docs"]
    seen: set[str] = set()
    sections = 0
    for doc in docs:
        page, _, anchor = doc["location"].partition("#")
        if anchor:
            sections += 1
            assert page in seen, doc["location"]
        seen.add(page)
    assert sections >= 3  # About's sections, from the engine
    # The generator's (company pages, job titles opening Explore) come after the engine's.
    generated = [d for d in docs if d["location"].startswith(("companies/", "explore/?"))]
    assert generated and docs[-len(generated) :] == generated


def test_rule_3_the_engine_copies_the_shell_s_placeholders_verbatim(tmp_path: Path) -> None:
    """The repository's mkdocs.yml and theme, one shell page: every placeholder comes out
    where `shell.py` looks for it."""
    (tmp_path / "build/docs" / shell.DOC).parent.mkdir(parents=True)
    (tmp_path / "build/docs" / shell.DOC).write_text(shell.markdown())
    (tmp_path / "build/docs/index.md").write_text("# Home\n")
    (tmp_path / "mkdocs.yml").write_text(
        (ROOT / "mkdocs.yml").read_text().split("\nnav:")[0]
        + "\nmarkdown_extensions: [attr_list, md_in_html, toc]\n"
    )
    (tmp_path / "generator").symlink_to(ROOT / "generator")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=tmp_path, check=True, timeout=120
    )
    rendered = shell.Shell.read(tmp_path / "site")  # raises when a placeholder is lost
    html = (tmp_path / "site" / shell.DOC.removesuffix(".md") / "index.html").read_text()
    assert f"<title>{shell.TITLE}" in html and f'content="{shell.DESCRIPTION}"' in html
    assert f'<h1 id="{shell.SLUG}">{shell.TITLE}' in html
    assert len(rendered.parts) > 5


def test_rule_4_docs_dir_comes_from_jobpicks_docs_dir(tmp_path: Path) -> None:
    text = (ROOT / "mkdocs.yml").read_text()
    assert f"docs_dir: !ENV [{engine.DOCS_DIR_ENV}, build/docs]" in text
    found = engine_paths(ROOT / "mkdocs.yml", ROOT / "docs")
    assert found.shardable and found.staging == (ROOT / "build/docs").resolve()
    fixed = tmp_path / "mkdocs.yml"
    fixed.write_text(text.replace(f"!ENV [{engine.DOCS_DIR_ENV}, build/docs]", "staged"))
    (tmp_path / "generator").symlink_to(ROOT / "generator")  # the theme MkDocs checks for
    found = engine_paths(fixed, tmp_path / "docs")
    assert not found.shardable and found.staging == (tmp_path / "staged").resolve()


def _settings(**changes: object) -> dict[str, object]:
    settings: dict[str, object] = engine.read_settings(ROOT / "mkdocs.yml")
    return settings | changes


def _theme(*features: str) -> dict[str, object]:
    return {"name": "material", "features": list(features)}


@pytest.mark.parametrize(
    ("changes", "names"),
    [
        (
            {"repo_url": "https://github.com/me/picks", "theme": _theme("content.action.edit")},
            ["theme.features: content.action.edit", "repo_url"],
        ),
        (
            {"edit_uri": "edit/main/docs/", "theme": _theme("content.action.view")},
            ["theme.features: content.action.view", "edit_uri"],
        ),
        ({"plugins": ["search", "social"]}, ["plugins: social"]),
        ({"plugins": ["search", {"material/offline": {}}]}, ["plugins: offline"]),
        ({"plugins": {"git-revision-date-localized": None}}, ["git-revision-date-localized"]),
    ],
)
def test_rule_5_features_that_cannot_work_on_generated_pages_are_refused(
    changes: dict[str, object], names: list[str]
) -> None:
    refused = engine.refusals(_settings(**changes))
    assert len(refused) == 1
    for name in names:
        assert name in refused[0]


def test_rule_5_the_same_features_pass_where_they_do_no_harm() -> None:
    assert engine.refusals(_settings()) == []
    assert engine.refusals(_settings(repo_url="https://github.com/me/picks")) == []
    assert engine.refusals(_settings(theme=_theme("content.action.edit"))) == []  # no URL
    harmless = _settings(
        repo_url="https://github.com/me/picks", edit_uri="", theme=_theme("content.action.edit")
    )
    assert engine.refusals(harmless) == []
    off = _settings(plugins=["search", {"social": {"enabled": False}}])
    assert engine.refusals(off) == []


def test_rule_5_build_refuses_with_the_key_and_keeps_the_site(tmp_path: Path) -> None:
    config_path = make_project(tmp_path, hostile=False)
    mkdocs_yml = tmp_path / "mkdocs.yml"
    text = mkdocs_yml.read_text()
    text = text.replace(
        "    - search.highlight\n", "    - search.highlight\n    - content.action.edit\n"
    )
    assert "\nplugins:\n" in text
    text = text.replace("\nplugins:\n", "\nplugins:\n  - social\n")
    mkdocs_yml.write_text(text + "repo_url: https://github.com/me/picks\n")
    with pytest.raises(BuildError) as info:
        build_site(config_path)
    message = info.value.message
    assert "theme.features: content.action.edit with repo_url set" in message
    assert "plugins: social" in message
    assert not (tmp_path / "site").exists() and not (tmp_path / "build").exists()


def test_rule_7_use_directory_urls_false_is_refused_by_name(tmp_path: Path) -> None:
    assert engine.refusals(_settings(use_directory_urls=True)) == []
    (refused,) = engine.refusals(_settings(use_directory_urls=False))
    assert refused.startswith("use_directory_urls: false would break every link")
    config_path = make_project(tmp_path, hostile=False)
    mkdocs_yml = tmp_path / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text() + "use_directory_urls: false\n")
    with pytest.raises(BuildError, match="use_directory_urls: false"):
        build_site(config_path)
    assert not (tmp_path / "site").exists() and not (tmp_path / "build").exists()


def test_rule_8_attr_list_is_needed_and_refused_by_name() -> None:
    extensions = ["md_in_html", "tables", {"toc": {"permalink": True}}]
    (refused,) = engine.refusals(_settings(markdown_extensions=extensions))
    assert refused.startswith("markdown_extensions: attr_list is needed")
    assert "{ #pick-1 .jp-pick__title }" in refused
    with_it = [*extensions, {"attr_list": {}}]
    assert engine.refusals(_settings(markdown_extensions=with_it)) == []


@pytest.mark.parametrize(
    "provider",
    [
        "markdown.extensions.attr_list",
        "extra",
        "markdown.extensions.extra",
        "pymdownx.extra",
        {"extra": {"footnotes": {"BACKLINK_TEXT": "^"}}},
    ],
)
def test_rule_8_any_extension_that_provides_attr_list_will_do(provider: object) -> None:
    """attr_list under another name, or inside extra, renders the cards' headings right."""
    extensions = [{"toc": {"permalink": True}}, provider]
    assert engine.refusals(_settings(markdown_extensions=extensions)) == []


def test_rule_8_extensions_that_do_not_load_are_left_to_the_engine() -> None:
    """MkDocs names an extension it cannot load; blaming attr_list would mislead."""
    extensions = ["attr_list", "no_such_extension"]
    assert engine.refusals(_settings(markdown_extensions=extensions)) == []


def test_inherited_settings_and_env_values_count_like_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdocs.yml is read as MkDocs reads it: a feature switched on in an INHERIT:ed file,
    with repo_url from the environment, is refused like one set in mkdocs.yml itself."""
    (tmp_path / "generator").symlink_to(ROOT / "generator")
    (tmp_path / "base.yml").write_text(
        "theme:\n  name: material\n  features: [content.action.edit]\n"
        "plugins: [search, offline]\nrepo_url: !ENV [PICKS_REPO, '']\n"
    )
    mkdocs_yml = tmp_path / "mkdocs.yml"
    mkdocs_yml.write_text(
        "INHERIT: base.yml\nsite_name: Picks\ndocs_dir: !ENV [JOBPICKS_DOCS_DIR, build/docs]\n"
        "markdown_extensions: [attr_list, md_in_html, tables, toc]\n"
    )
    monkeypatch.delenv("PICKS_REPO", raising=False)
    refused = engine.refusals(engine.read_settings(mkdocs_yml))
    assert [r.split(" ", 2)[:2] for r in refused] == [["plugins:", "offline"]]
    monkeypatch.setenv("PICKS_REPO", "https://github.com/me/picks")
    refused = engine.refusals(engine.read_settings(mkdocs_yml))
    assert any("content.action.edit with repo_url set" in r for r in refused), refused
    with pytest.raises(BuildError, match="plugins: offline"):
        engine_paths(mkdocs_yml, tmp_path / "docs")


def test_rules_7_and_8_read_inherited_settings(tmp_path: Path) -> None:
    """use_directory_urls and markdown_extensions from an INHERIT:ed file count too, and a
    list in mkdocs.yml replaces the inherited one, as MkDocs merges them."""
    (tmp_path / "base.yml").write_text(
        "site_name: Picks\ndocs_dir: build/docs\nuse_directory_urls: false\n"
        "markdown_extensions: [attr_list, md_in_html, tables, toc]\n"
    )
    mkdocs_yml = tmp_path / "mkdocs.yml"
    mkdocs_yml.write_text("INHERIT: base.yml\n")
    refused = engine.refusals(engine.read_settings(mkdocs_yml))
    assert [r.split(":")[0] for r in refused] == ["use_directory_urls"]
    mkdocs_yml.write_text("INHERIT: base.yml\nmarkdown_extensions: [md_in_html, tables, toc]\n")
    refused = engine.refusals(engine.read_settings(mkdocs_yml))
    assert [r.split(":")[0] for r in refused] == ["use_directory_urls", "markdown_extensions"]
    assert refused[1] == engine.ATTR_LIST_NEEDED
    with pytest.raises(BuildError, match="attr_list is needed"):
        engine_paths(mkdocs_yml, tmp_path / "docs")
    mkdocs_yml.write_text(
        "INHERIT: base.yml\nuse_directory_urls: true\nmarkdown_extensions: [pymdownx.extra]\n"
    )
    assert engine.refusals(engine.read_settings(mkdocs_yml)) == []


def test_each_engine_has_one_adapter() -> None:
    """What differs between the engines is in their adapters, nowhere else."""
    mkdocs, zensical = engine.ENGINES["mkdocs"], engine.ENGINES["zensical"]
    yml, site = Path("/p/mkdocs.yml"), Path("/p/site.new")
    assert mkdocs.command(yml, site, strict=True)[2:] == [
        "mkdocs",
        "build",
        "--config-file",
        "/p/mkdocs.yml",
        "--strict",
        "--site-dir",
        "/p/site.new",
    ]
    assert "--site-dir" not in zensical.command(yml, site, strict=False)  # builds in place
    assert zensical.in_place and not mkdocs.in_place
    doc = "picks/2026/2026-11-23.md"
    assert mkdocs.link_base(doc) == "picks/2026/2026-11-23/"  # rule 6: the page's URL
    assert zensical.link_base(doc) == "picks/2026/"  # the source file's folder
    assert mkdocs.link_base("index.md") == zensical.link_base("index.md") == ""
    assert (mkdocs.index.path, zensical.index.path) == ("search/search_index.json", "search.json")
    assert mkdocs.shards and not zensical.shards
