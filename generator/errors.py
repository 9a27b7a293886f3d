"""Exceptions a user can act on. Each is caught once, at the CLI edge, and shown as one line."""

from __future__ import annotations

import click


class JobpicksError(click.ClickException):
    """Base class: anything the user can fix by changing input, config or environment."""


class ConfigError(JobpicksError):
    """Raised by `config.load_config` and `profile.load_profile` for a bad file or key."""


class SourceError(JobpicksError):
    """Raised by a source when a feed or board cannot be fetched or parsed.

    The pipeline turns it into a warning for that source; it aborts a run only when every
    source failed.
    """


class PageError(JobpicksError):
    """Raised by `pages` when a day page cannot be read or written; names the file."""


class ScoringError(JobpicksError):
    """Raised by a scorer that cannot work at all (no key, unreachable server)."""


class LockError(JobpicksError):
    """Raised when another jobpicks run holds the lock on the same docs directory."""


class LegacyFormatError(PageError):
    """Raised by `legacy` for a legacy page that does not follow the format; the message
    names `file:line`."""


class PublishError(JobpicksError):
    """Raised by `publish_site` and `commit_pages`; whatever was published before stays."""


class AddressError(JobpicksError):
    """Raised by `build --strict` and `publish` when the site's address cannot be found."""


class BuildError(JobpicksError):
    """Raised by `site.build` when the site cannot be built; the previous site is left in
    place. Its subclasses say which part failed."""


class SamplePageError(BuildError):
    """Raised by `build --strict` when day pages written from the bundled samples are among
    the reader's own: the site would show invented jobs as their picks."""


class ShellError(BuildError):
    """Raised by `site.shell`: the engine's rendering of the company shell is missing or has
    lost a placeholder."""


class FillError(BuildError):
    """Raised by `site.fills`: the engine's rendering of a day or home page has lost a
    card's marker, or repeated one."""


class SearchIndexError(BuildError):
    """Raised by `site.search`: the engine's search index cannot be read or is not in its
    engine's format."""


class InternalAddressError(JobpicksError):
    """Raised by the checker's connections for an address a stranger's link may not reach
    (loopback, private, link-local, reserved, an internal name); the pick stays unknown.
    `liveness.allow_private: true` lifts it."""


class NotifyError(JobpicksError):
    """Raised by `notify` when a target is unusable or refused the message; names the
    target by its place in JOBPICKS_NOTIFY and its service, never by its URL."""


class InitError(JobpicksError):
    """Raised by `jobpicks init` (`init.py`, `cv.py`) for an answer, a CV or a file it cannot
    use; nothing has been written."""


class FeedbackError(JobpicksError):
    """Raised by `feedback` for a bad `feedback.yml` entry (naming file, line and key) or a
    mark naming no pick on any day page; nothing is written."""


class GitHubError(JobpicksError):
    """Raised by the GitHub REST client for an answer it cannot use (rate limit, refused
    token, server error), naming the request and the issue."""
