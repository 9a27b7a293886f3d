"""The site engines (MkDocs with Material, or Zensical): one adapter each, and the contract
between them and jobpicks.

jobpicks makes most of the site itself and leans on the engine for layout, navigation and
search. An `Adapter` holds everything that differs between engines (the command, whether it
builds in place, where links in raw HTML start, its search index's format, whether it can
render in several processes); nothing outside this module asks which engine runs.

The rules below are what the arrangement relies on; each has a test in `tests/test_engine.py`,
and a mkdocs.yml that would break one is refused by `build` with a message naming the key,
rather than shipped as a site that is silently wrong. mkdocs.yml is read as MkDocs reads it:
with MkDocs' own reader (`mkdocs.utils.yaml.yaml_load`: `INHERIT:`ed files merged, `!ENV`
values resolved) and the settings the rules rest on validated with MkDocs' own options (what
`mkdocs.config.load_config` runs: edit_uri derived from repo_url, the builtin extensions).

1. Generated pages are left out of the engine's search index. Their front matter carries
   `GENERATED_PAGE` (`search: exclude`); `search.py` writes their entries from the picks:
   one per company page, none for day pages (a company's page lists every pick by day).
2. The search index lists a page before its sections. Material's search groups a section's
   result (`page/#section`) under its page only when the page's entry came first, so
   generated entries, whole pages without sections, are appended after the engine's own.
3. The company shell's placeholders come out of the engine verbatim. The shell page
   (`shell.py`) has a title, description, heading id and body paragraph made of
   placeholder words; the engine must copy them into `<title>`, the description meta, the
   heading and the body unchanged, so each company's page is the shell with them replaced.
4. `docs_dir` comes from `JOBPICKS_DOCS_DIR` (`docs_dir: !ENV [JOBPICKS_DOCS_DIR, build/docs]`).
   jobpicks stages the docs in a folder of its own and may point an engine process at
   another one; a mkdocs.yml with a fixed `docs_dir` still builds, in one process.
5. Features that cannot work on generated pages are refused (`refusals`): edit and view
   buttons (`content.action.edit` / `content.action.view` with `repo_url` or `edit_uri`)
   would link every generated page to a source file that does not exist; the social plugin
   would give every company page the shell's card; the offline plugin bakes the search
   index into a script before jobpicks adds its entries; git-revision-date-localized has
   no history for files made at build time.
6. Links in raw HTML start where the engine says. MkDocs leaves them as written, relative to
   the page's URL (`picks/2026/2026-11-23/`); Zensical resolves them, like markdown links,
   from the source file's folder (`picks/2026/`). Generated pages write them from
   `Adapter.link_base`. (A hand-written page such as `docs/about.md` has one text for both:
   its link to `feed.xml` suits MkDocs.)
7. Pages have directory URLs (`use_directory_urls`, MkDocs' default): every generated link
   (`picks/2026/2026-11-23/`, `companies/acme/`) and the company pages, written as
   `companies/SLUG/index.html`, assume them. `use_directory_urls: false` is refused.
8. `attr_list` is among `markdown_extensions` (by that name, or in `extra` or
   `pymdownx.extra`: Python-Markdown is asked to render a card's heading): each card's
   heading sets its anchor and class with it (`{ #pick-1 .jp-pick__title }`), which company
   pages and Explore link to. Without it the braces show as text on every card and `#pick-N`
   links go nowhere, so it is refused.
9. Raw HTML comes out of Markdown as written. A card on a day or the home page reaches the
   engine as its heading and two empty markers (`<span data-jp-fill="pick-1-title">` as
   the heading's text, `<div data-jp-fill="pick-1">` after it); `fills.py` puts the card's
   HTML in their place in the engine's output, and a marker lost or repeated fails the
   build naming the page.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Protocol

import yaml

from generator.errors import BuildError

GENERATED_PAGE: dict[str, Any] = {"search": {"exclude": True}}
"""Front matter of every page jobpicks generates for the engine (rule 1)."""

DOCS_DIR_ENV = "JOBPICKS_DOCS_DIR"
"""Where an engine process reads its docs (rule 4)."""

EDIT_FEATURES = ("content.action.edit", "content.action.view")
REFUSED_PLUGINS = {
    "social": "would give every company page the card of the one shell page they are made from",
    "offline": "bakes the search index into a script before jobpicks adds the entries of "
    "the days and companies, so they could not be found",
    "git-revision-date-localized": "has no git history for the pages jobpicks generates "
    "at build time",
}
ATTR_LIST_NEEDED = (
    "markdown_extensions: attr_list is needed: each card's heading sets its anchor and class "
    "with it ({ #pick-1 .jp-pick__title }); without it the braces show as text on every card "
    "and the #pick-N links of company pages and Explore go nowhere; add attr_list"
)
_ATTR_PROBE = "## T { #pick-1 .jp-pick__title }"
"""A card's heading, as Python-Markdown must render it for rule 8."""


# -- the engines ----------------------------------------------------------------------------


class IndexEntry(Protocol):
    """A search entry as `search.py` makes it (plain text; escaped when written)."""

    @property
    def location(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def page_title(self) -> str: ...
    @property
    def section(self) -> bool: ...
    @property
    def boost(self) -> float | None: ...


def _text(text: str) -> str:
    return f"<p>{escape(text, quote=False)}</p>" if text else ""


def _material_entry(entry: IndexEntry) -> dict[str, object]:
    item: dict[str, object] = {
        "location": entry.location,
        "title": escape(entry.title, quote=False),
        "text": _text(entry.text),
    }
    if entry.boost is not None:
        item["boost"] = entry.boost
    return item


def _zensical_entry(entry: IndexEntry) -> dict[str, object]:
    return {
        "location": entry.location,
        "level": 2 if entry.section else 1,
        "title": escape(entry.title, quote=False),
        "text": _text(entry.text),
        "path": [escape(entry.page_title, quote=False)],
        "tags": [],
    }


@dataclass(frozen=True)
class IndexFormat:
    """Where an engine's search index lives in the site, its list of entries, and an entry."""

    path: str
    key: str
    entry: Callable[[IndexEntry], dict[str, object]]


@dataclass(frozen=True)
class Adapter:
    """What jobpicks needs to know about one engine."""

    name: str
    module: str
    """Run as `python -m MODULE build --config-file mkdocs.yml`."""
    in_place: bool
    """Builds into mkdocs.yml's `site_dir` itself (no `--site-dir`), so the previous site
    waits beside it and comes back whatever happens."""
    links_from_source: bool
    """Rule 6: relative links in raw HTML start from the source file's folder."""
    index: IndexFormat
    shards: bool
    """Can render the days in several processes, each given its folder in `DOCS_DIR_ENV`
    (Zensical renders in parallel itself, and rejects an absolute docs_dir)."""

    def command(self, mkdocs_yml: Path, site_dir: Path, *, strict: bool) -> list[str]:
        command = [sys.executable, "-m", self.module, "build", "--config-file", str(mkdocs_yml)]
        command += ["--strict"] if strict else []
        return command if self.in_place else [*command, "--site-dir", str(site_dir)]

    def link_base(self, doc: str) -> str:
        """Where relative links written into the engine-rendered page `doc` start from."""
        if self.links_from_source:
            return doc.rpartition("/")[0] + "/" if "/" in doc else ""
        return doc_url(doc)


ENGINES = {
    "mkdocs": Adapter(
        "mkdocs",
        "mkdocs",
        in_place=False,
        links_from_source=False,
        index=IndexFormat("search/search_index.json", "docs", _material_entry),
        shards=True,
    ),
    "zensical": Adapter(
        "zensical",
        "zensical",
        in_place=True,
        links_from_source=True,
        index=IndexFormat("search.json", "items", _zensical_entry),
        shards=False,
    ),
}
MKDOCS = ENGINES["mkdocs"]


def doc_url(doc: str) -> str:
    """The directory URL a docs file gets (rule 7), relative to the site root."""
    path = doc.removesuffix(".md")
    if path == "index":
        return ""
    return path.removesuffix("index") if path.endswith("/index") else f"{path}/"


# -- reading mkdocs.yml ---------------------------------------------------------------------


@dataclass(frozen=True)
class Env:
    """An `!ENV` value: the first of `names` set in the environment, else `default`."""

    names: tuple[str, ...]
    default: object


class _MarkingLoader(yaml.SafeLoader):
    """Reads mkdocs.yml keeping `!ENV` values as `Env` (so rule 4 can see where `docs_dir`
    comes from) and ignoring other tags (`!!python/name:` and the like)."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Env:
    if isinstance(node, yaml.SequenceNode):
        items = [loader.construct_object(item) for item in node.value]
        return Env(tuple(str(i) for i in items[:-1]), items[-1] if len(items) > 1 else None)
    return Env((str(loader.construct_scalar(node)),), None)  # type: ignore[arg-type]


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_MarkingLoader.add_constructor("!ENV", _env_tag)
_MarkingLoader.add_multi_constructor("!", _ignore_tag)
_MarkingLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def _load(mkdocs_yml: Path, loader: Any = None) -> dict[str, Any]:
    """mkdocs.yml through MkDocs' own reader: `INHERIT:`ed files merged in."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with mkdocs_yml.open("rb") as fd:
            data = yaml_load(fd, loader)
    except FileNotFoundError:
        raise BuildError(f"{mkdocs_yml}: not found (the site needs a mkdocs.yml)") from None
    except ConfigurationError as exc:
        raise BuildError(f"{mkdocs_yml}: {exc}") from None
    if not isinstance(data, dict):
        raise BuildError(f"{mkdocs_yml}: expected a mapping of settings")
    return data


def read_settings(mkdocs_yml: Path) -> dict[str, Any]:
    """mkdocs.yml's settings as MkDocs reads them (`INHERIT` merged, `!ENV` resolved), before
    validation; `refusals` validates them."""
    return {**_load(mkdocs_yml), "config_file_path": str(mkdocs_yml)}


CONTRACT_KEYS = (
    "repo_url",
    "edit_uri_template",
    "edit_uri",
    "use_directory_urls",
    "markdown_extensions",
    "mdx_configs",
)
"""The settings the rules read, validated with MkDocs' own options for them."""


def _validated(settings: dict[str, Any]) -> dict[str, Any]:
    """The contract's settings as MkDocs validates them (edit_uri derived from a GitHub,
    GitLab or Bitbucket repo_url, the builtin extensions added), with MkDocs' own option
    definitions; a setting MkDocs rejects keeps its value as written, for the engine to
    report in its own words. Only these keys: the theme, plugins and docs_dir are read by
    name, as a refused plugin may not be installed and the staging folder is made later."""
    from mkdocs.config.base import LegacyConfig
    from mkdocs.config.defaults import MkDocsConfig

    # Private, but MkDocs' own declaration of each option, so these keys are validated
    # exactly as `load_config` would; `load_config` itself would also validate the theme and
    # plugins, and fail on a refused plugin that is not installed before we could name it.
    schema = [(key, option) for key, option in MkDocsConfig._schema if key in CONTRACT_KEYS]
    config = LegacyConfig(schema, config_file_path=settings.get("config_file_path"))
    # A deep copy: validation takes the extensions' mappings apart as it reads them.
    config.load_dict(copy.deepcopy({k: v for k, v in settings.items() if k in CONTRACT_KEYS}))
    config.validate()
    return dict(config)


def _names(raw: object) -> list[tuple[str, object]]:
    """(name, options) of a plugins or markdown_extensions setting: a list of names and
    one-item mappings, or one mapping."""
    if isinstance(raw, dict):
        return list(raw.items())
    items: list[tuple[str, object]] = []
    if isinstance(raw, list):
        for item in raw:
            if isinstance(item, str):
                items.append((item, None))
            elif isinstance(item, dict):
                items += list(item.items())
    return items


def _plugins(settings: dict[str, Any]) -> list[str]:
    """Enabled plugin names, without a `material/` prefix."""
    return [
        str(name).removeprefix("material/")
        for name, options in _names(settings.get("plugins"))
        if not (isinstance(options, dict) and options.get("enabled", True) in (False, "false"))
    ]


def _features(theme: object) -> list[str]:
    """`theme.features` as written (a theme given by name alone has none)."""
    features = theme.get("features") if isinstance(theme, dict) else None
    return [str(f) for f in features] if isinstance(features, list) else []


def refusals(settings: dict[str, Any]) -> list[str]:
    """What in mkdocs.yml would be silently wrong on generated pages, naming the key
    (rules 5, 7 and 8). `settings` are `read_settings`'s, perhaps changed."""
    checked = _validated(settings)
    theme = settings.get("theme")
    out = []
    # Rule 5: edit and view buttons. MkDocs derives edit_uri from a GitHub, GitLab or
    # Bitbucket repo_url; the message names the key that set it.
    edit_key = "edit_uri"
    if settings.get("edit_uri_template"):
        edit_key = "edit_uri_template"
    elif settings.get("edit_uri") is None and settings.get("repo_url"):
        edit_key = "repo_url"
    if checked.get("edit_uri") or checked.get("edit_uri_template"):
        for feature in EDIT_FEATURES:
            if feature in _features(theme):
                out.append(
                    f"theme.features: {feature} with {edit_key} set would link every page "
                    "jobpicks generates (days, home, archive, companies) to a source file "
                    f"that does not exist; remove {feature} from theme.features, or set "
                    "edit_uri: ''"
                )
    for name in _plugins(settings):
        if name in REFUSED_PLUGINS:
            out.append(
                f"plugins: {name} {REFUSED_PLUGINS[name]}; remove it from plugins "
                "(or set its `enabled: false`)"
            )
    # Rule 7.
    if checked.get("use_directory_urls") is False:
        out.append(
            "use_directory_urls: false would break every link jobpicks writes between its "
            "pages (picks/2026/2026-11-23/, companies/acme/) and the company pages, which "
            "are made as companies/NAME/index.html; remove it (true is the default)"
        )
    # Rule 8.
    if not _renders_attributes(checked):
        out.append(ATTR_LIST_NEEDED)
    return out


def _renders_attributes(checked: dict[str, Any]) -> bool:
    """Whether the configured extensions give a card's heading its anchor and class (rule 8).

    Asked of Python-Markdown itself, not by name: `extra`, `pymdownx.extra` and
    `markdown.extensions.attr_list` all provide attr_list. Extensions that do not load count
    as providing it: MkDocs then stops the build with its own, truer message."""
    import markdown

    try:
        html = markdown.Markdown(
            extensions=checked.get("markdown_extensions") or [],
            extension_configs=checked.get("mdx_configs") or {},
        ).convert(_ATTR_PROBE)
    except Exception:  # an extension's import or configuration: anything it raises
        return True
    return 'id="pick-1"' in html and 'class="jp-pick__title"' in html


# -- where the engine reads and writes (rule 4) --------------------------------------------


@dataclass(frozen=True)
class Engine:
    mkdocs_yml: Path
    staging: Path
    site_dir: Path
    shardable: bool = False
    """mkdocs.yml takes `docs_dir` from JOBPICKS_DOCS_DIR, so shards can use other folders."""
    nav_docs: tuple[str, ...] = ()
    """Every docs file the navigation names."""


def _nav_docs(nav: object) -> list[str]:
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") and "://" not in nav else []
    if isinstance(nav, list):
        return [doc for item in nav for doc in _nav_docs(item)]
    if isinstance(nav, dict):
        return [doc for item in nav.values() for doc in _nav_docs(item)]
    return []


def _value(value: object) -> object:
    if not isinstance(value, Env):
        return value
    return next((os.environ[n] for n in value.names if n in os.environ), value.default)


def engine_paths(mkdocs_yml: Path, docs_dir: Path) -> Engine:
    """The engine's folders as mkdocs.yml sets them; refuses a mkdocs.yml that breaks a rule."""
    refused = refusals(read_settings(mkdocs_yml))
    if refused:
        raise BuildError(
            f"{mkdocs_yml}: "
            + (
                "\n  ".join(["cannot build this site:", *refused])
                if len(refused) > 1
                else refused[0]
            )
        )
    data = _load(mkdocs_yml, _MarkingLoader)
    root = mkdocs_yml.parent
    raw_docs = data.get("docs_dir", "docs")
    shardable = isinstance(raw_docs, Env) and DOCS_DIR_ENV in raw_docs.names
    # The staging folder is what the engine reads when JOBPICKS_DOCS_DIR is not set.
    docs = raw_docs.default if isinstance(raw_docs, Env) and shardable else _value(raw_docs)
    staging = (root / str(docs)).resolve()
    site_dir = (root / str(_value(data.get("site_dir", "site")))).resolve()
    if staging == docs_dir.resolve():
        raise BuildError(
            f"{mkdocs_yml}: docs_dir is {docs_dir}, the page sources; point it at a staging "
            "folder such as build/docs (jobpicks assembles the site there)"
        )
    nav = tuple(dict.fromkeys(_nav_docs(data.get("nav"))))
    return Engine(mkdocs_yml, staging, site_dir, shardable, nav)
