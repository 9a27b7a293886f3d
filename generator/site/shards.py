"""Day pages rendered by several engine processes at once.

MkDocs renders one page at a time on one core, and at three years of history the day pages
are nearly all of its work. With more than one core and enough days, the days are dealt out
to shards: shard 0 is the whole site with its share of the days, and every other shard is a
staging folder with just its days plus a stand-in for each navigation target (same title,
so every page's navigation renders exactly as in shard 0). All shards run side by side with
the same mkdocs.yml, each pointed at its folder through `JOBPICKS_DOCS_DIR` (mkdocs.yml reads
`docs_dir` from it), and the other shards' day pages are then moved into shard 0's site.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import frontmatter

from generator import pages
from generator.children import cores
from generator.files import move_tree
from generator.site import sitemap

DAYS_PER_SHARD = 150
"""Below this many days per shard, an extra engine process costs more than it saves."""
MAX_SHARDS = 4


def count(days: int, *, shardable: bool) -> int:
    if not shardable:
        return 1
    return max(1, min(cores(), MAX_SHARDS, days // DAYS_PER_SHARD))


def folder(staging: Path, shard: int) -> Path:
    return staging if shard == 0 else staging.with_name(f"{staging.name}-{shard}")


def clear_others(staging: Path) -> None:
    """Remove every other shard's staging folder left by an earlier build."""
    for old in staging.parent.glob(f"{staging.name}-*"):
        if old.is_dir() and old.name.removeprefix(f"{staging.name}-").isdigit():
            shutil.rmtree(old)


def stand_in(text: str) -> str:
    """A navigation target's stand-in: the same title as the real page, nothing else."""
    post = frontmatter.loads(text)
    title = post.metadata.get("title")
    if title is not None:
        return pages.front_matter({"title": str(title)}, "")
    for line in post.content.splitlines():
        if line.startswith("# "):
            return line + "\n"
        if line.strip():
            break
    return ""


def merge(site_dir: Path, shard_site: Path, days_prefix: str) -> None:
    """Move a shard's day pages into the site and list them in its sitemap."""
    moved = shard_site / days_prefix
    if moved.is_dir():
        move_tree(moved, site_dir / days_prefix)
    extra = [e for e in sitemap.entries(shard_site) if f"/{days_prefix}/" in e]
    if extra:
        sitemap.rewrite(site_dir, lambda entries: entries + extra)
