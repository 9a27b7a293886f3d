"""The one Jinja2 environment for generated markup: picks on day and company pages, feed
items and search entries all come from templates in `generator/theme/jobpicks/`, so a layout
change is made in one place. Autoescaped, because every string in a pick comes from a feed."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent.parent / "theme" / "jobpicks"


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
