"""Stage 5: the site. `derive` computes every generated page and the explore data from the
day pages, `feeds` writes the RSS feeds, `shell` makes company pages in the engine's layout,
and `build` runs the engine and assembles the result."""

from generator.errors import BuildError
from generator.site.builder import (
    BUILD_INFO,
    BuildResult,
    build,
    pages_fingerprint,
    require_docs_dir,
)
from generator.site.engine import engine_paths

__all__ = [
    "BUILD_INFO",
    "BuildError",
    "BuildResult",
    "build",
    "engine_paths",
    "pages_fingerprint",
    "require_docs_dir",
]
