"""Company pages made outside the engine, in the engine's own layout.

A site with three years of history has thousands of company pages, and the engine costs
several milliseconds a page before any markdown (theme, navigation, search plugin): more than
rendering every day page. So the engine renders one shell page whose title, description, body
and slug are placeholders, and each company's page is that shell with the placeholders
replaced. The result is the layout the engine would have produced, whichever engine ran
(MkDocs with Material, or Zensical), at string-replacement speed. The pages are then added to
the engine's sitemap.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from generator import pages
from generator.errors import ShellError
from generator.site import engine, sitemap
from generator.site.derive import CompanyPage
from generator.site.urls import company_feed, company_url

SLUG = "jobpicks__slug"
"""Never a real company's slug: slugify does not emit `_`."""
TITLE = "JOBPICKSSHELLTITLE"
DESCRIPTION = "JOBPICKSSHELLDESCRIPTION"
BODY = "JOBPICKSSHELLBODY"
DOC = company_url(SLUG).rstrip("/") + ".md"
# One group, so `split` keeps the placeholders: text, placeholder, text, ... and filling is
# one pass, in which a company's own text that contains a placeholder is never replaced.
_PLACEHOLDER = re.compile(f"(<p>{BODY}</p>|{BODY}|{TITLE}|{DESCRIPTION}|{SLUG})")


def markdown() -> str:
    """The shell's source. Its own search entry is dropped; each company gets one instead.
    A company page has no sections: the table gets the table of contents' width."""
    meta = {
        "title": TITLE,
        "description": DESCRIPTION,
        "company_feed": company_feed(SLUG),
        **engine.GENERATED_PAGE,
        "hide": ["toc"],
    }
    return pages.front_matter(meta, f"# {TITLE} {{ #{SLUG} }}\n\n{BODY}\n")


def page_path(site_dir: Path) -> Path:
    """The engine's rendering of the shell in `site_dir`."""
    return site_dir / company_url(SLUG) / "index.html"


def dedent(html: str) -> str:
    """`html` without indentation or blank lines, unless it has preformatted text. The
    theme's templates indent the page's chrome by up to 20 spaces a line: 2.3 KB of each of
    thousands of company pages (5.6 MB of the site at 1,095 days) and 3.5 KB of each day
    page (3.9 MB). A line break is kept
    wherever there was one, so no words or script statements run together. (An HTML
    minifier would rewrite far more of the engine's markup than this needs.)"""
    if re.search(r"<(pre|textarea)\b", html, re.IGNORECASE):
        return html
    lean = "\n".join(line.strip() for line in html.splitlines() if line.strip())
    return lean + "\n" if html.endswith("\n") else lean


@dataclass(frozen=True)
class Shell:
    parts: list[str]
    """The rendered shell split at its placeholders: text, placeholder, text, ..."""

    @classmethod
    def read(cls, site_dir: Path) -> Shell:
        path = page_path(site_dir)
        try:
            html = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ShellError(
                f"{path}: the engine did not render the company shell: {exc}"
            ) from None
        found = set(_PLACEHOLDER.findall(html))
        for needed in (TITLE, SLUG):
            if needed not in found:
                raise ShellError(f"{path}: the engine's output has no {needed} placeholder")
        if f"<p>{BODY}</p>" not in found:
            raise ShellError(f"{path}: the engine's output has no <p>{BODY}</p> placeholder")
        return cls(_PLACEHOLDER.split(dedent(html)))

    def fill(self, page: CompanyPage) -> str:
        values = {
            TITLE: escape(page.title),
            DESCRIPTION: escape(page.description),
            SLUG: page.slug,
            f"<p>{BODY}</p>": page.body,
            BODY: "",
        }
        parts = self.parts
        return "".join(values[part] if n % 2 else part for n, part in enumerate(parts))


def write_pages(site_dir: Path, company_pages: Iterable[CompanyPage]) -> None:
    """Write each company's page from the shell and list them in the sitemap, then remove
    the shell. (`search.py` indexes them.)"""
    shell = Shell.read(site_dir)
    written = list(company_pages)
    for page in written:
        folder = site_dir / company_url(page.slug)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(shell.fill(page), encoding="utf-8")
    shutil.rmtree(site_dir / company_url(SLUG))

    def one_per_company(entries: list[str]) -> list[str]:
        out = []
        for entry in entries:
            out += [entry.replace(SLUG, p.slug) for p in written] if SLUG in entry else [entry]
        return out

    sitemap.rewrite(site_dir, one_per_company)
