"""The contract between jobpicks and the site engine (MkDocs with Material, or Zensical).

jobpicks makes most of the site itself and leans on the engine for layout, navigation and
search. These are the rules that arrangement relies on; each has a test in
`tests/test_engine.py`, and a mkdocs.yml that would break one is refused by `build` with a
message naming the key, rather than shipped as a site that is silently wrong.

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
   `derive.link_base`, which follows the engine being run. (A hand-written page such as
   `docs/about.md` has one text for both: its link to `feed.xml` suits MkDocs.)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import JobpicksError

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


class BuildError(JobpicksError):
    """Raised by `build` when the site cannot be built; the previous site is left in place."""


# -- reading mkdocs.yml ---------------------------------------------------------------------


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing or rejecting its `!ENV` / `!!python` tags."""


@dataclass(frozen=True)
class Env:
    """An `!ENV` value: the first of `names` set in the environment, else `default`."""

    names: tuple[str, ...]
    default: object

    def resolve(self) -> object:
        for name in self.names:
            if name in os.environ:
                return os.environ[name]
        return self.default


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Env:
    if isinstance(node, yaml.SequenceNode):
        items = [loader.construct_object(item) for item in node.value]
        return Env(tuple(str(i) for i in items[:-1]), items[-1] if len(items) > 1 else None)
    return Env((str(loader.construct_scalar(node)),), None)  # type: ignore[arg-type]


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_LenientLoader.add_constructor("!ENV", _env_tag)
_LenientLoader.add_multi_constructor("!", _ignore_tag)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def _value(value: object) -> object:
    return value.resolve() if isinstance(value, Env) else value


def read_settings(mkdocs_yml: Path) -> dict[str, Any]:
    try:
        data = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_LenientLoader)
    except FileNotFoundError:
        raise BuildError(f"{mkdocs_yml}: not found (the site needs a mkdocs.yml)") from None
    except yaml.YAMLError as exc:
        raise BuildError(f"{mkdocs_yml}: invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise BuildError(f"{mkdocs_yml}: expected a mapping of settings")
    return data


# -- rule 5: features that cannot work on generated pages ----------------------------------


def _plugins(settings: dict[str, Any]) -> list[str]:
    """Enabled plugin names, without a `material/` prefix."""
    raw = settings.get("plugins") or []
    items: list[tuple[str, object]] = []
    if isinstance(raw, dict):
        items = list(raw.items())
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, str):
                items.append((item, None))
            elif isinstance(item, dict):
                items += list(item.items())
    names = []
    for name, options in items:
        if isinstance(options, dict) and _value(options.get("enabled", True)) in (False, "false"):
            continue
        names.append(str(name).removeprefix("material/"))
    return names


def refusals(settings: dict[str, Any]) -> list[str]:
    """What in mkdocs.yml would be silently wrong on generated pages, naming the key."""
    out = []
    theme = settings.get("theme")
    features = theme.get("features") if isinstance(theme, dict) else None
    features = [str(f) for f in features] if isinstance(features, list) else []
    edit_uri = _value(settings.get("edit_uri"))
    edit_key = "edit_uri_template" if settings.get("edit_uri_template") else "edit_uri"
    if edit_uri is None and not settings.get("edit_uri_template") and settings.get("repo_url"):
        edit_key = "repo_url"  # MkDocs derives edit_uri from a GitHub/GitLab/Bitbucket repo
    has_edit_url = edit_key != "edit_uri" or bool(edit_uri)
    for feature in EDIT_FEATURES:
        if feature in features and has_edit_url:
            out.append(
                f"theme.features: {feature} with {edit_key} set would link every page "
                "jobpicks generates (days, home, archive, companies) to a source file that "
                f"does not exist; remove {feature} from theme.features, or set edit_uri: ''"
            )
    for name in _plugins(settings):
        if name in REFUSED_PLUGINS:
            out.append(
                f"plugins: {name} {REFUSED_PLUGINS[name]}; remove it from plugins "
                "(or set its `enabled: false`)"
            )
    return out


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


def engine_paths(mkdocs_yml: Path, docs_dir: Path) -> Engine:
    """The engine's folders as mkdocs.yml sets them; refuses a mkdocs.yml that breaks a rule."""
    data = read_settings(mkdocs_yml)
    refused = refusals(data)
    if refused:
        raise BuildError(
            f"{mkdocs_yml}: "
            + (
                "\n  ".join(["cannot build this site:", *refused])
                if len(refused) > 1
                else refused[0]
            )
        )
    root = mkdocs_yml.parent
    raw_docs = data.get("docs_dir", "docs")
    shardable = isinstance(raw_docs, Env) and DOCS_DIR_ENV in raw_docs.names
    # The staging folder is what the engine reads when JOBPICKS_DOCS_DIR is not set.
    docs = raw_docs.default if isinstance(raw_docs, Env) and shardable else raw_docs
    docs = _value(docs)
    site = _value(data.get("site_dir", "site"))
    staging = (root / str(docs)).resolve()
    site_dir = (root / str(site)).resolve()
    if staging == docs_dir.resolve():
        raise BuildError(
            f"{mkdocs_yml}: docs_dir is {docs_dir}, the page sources; point it at a staging "
            "folder such as build/docs (jobpicks assembles the site there)"
        )
    nav = tuple(dict.fromkeys(_nav_docs(data.get("nav"))))
    return Engine(mkdocs_yml, staging, site_dir, shardable, nav)
