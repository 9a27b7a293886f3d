"""Edits to the engine's sitemap for pages made outside it (company pages, other shards'
day pages). The sitemap is plain XML: a list of `<url>` entries."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from pathlib import Path

_ENTRY = re.compile(r"<url>.*?</url>", re.S)


def entries(site_dir: Path) -> list[str]:
    """The sitemap's `<url>` entries as text; none when the engine wrote no sitemap."""
    path = site_dir / "sitemap.xml"
    return _ENTRY.findall(path.read_text(encoding="utf-8")) if path.exists() else []


def rewrite(site_dir: Path, change: Callable[[list[str]], list[str]]) -> None:
    """Replace the entries with `change(entries)`, and refresh the gzip copy if there is one."""
    path = site_dir / "sitemap.xml"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    found = list(_ENTRY.finditer(text))
    if not found:
        return
    head, tail = text[: found[0].start()], text[found[-1].end() :]
    indent = head[len(head.rstrip(" \t")) :]
    text = head + f"\n{indent}".join(change([m.group(0) for m in found])) + tail
    path.write_text(text, encoding="utf-8")
    packed = site_dir / "sitemap.xml.gz"
    if packed.exists():
        packed.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
