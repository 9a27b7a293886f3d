"""When the scheduled workflow writes the day: in the reader's morning, wherever they are.

GitHub's cron runs in UTC, and the workflow file is upstream's (a fork that edits it
conflicts with every release that does), so the workflow wakes every hour and this check
says whether this wake-up is the one. It runs first, with the runner's own `python3` and the
standard library only, before anything is installed, so the other 23 wake-ups cost seconds.

The day is written in the hour before `reading_hour` (in `timezone`); GitHub delays
scheduled runs under load and may drop some, so the next two wake-ups write it too when the
day still has no page. A manual run always runs. The config is read line by line for three
top-level scalars (`timezone`, `reading_hour`, `docs_dir`), as `jobpicks init` writes them;
`jobpicks run` validates the whole file.

    python3 generator/schedule.py [--config jobpicks.yml] [--event schedule] [--now ISO-TIME]

Prints why, and writes `run=true` or `run=false` to `$GITHUB_OUTPUT` when it is set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_HOUR = 7
CATCH_UP_HOURS = 2
"""Wake-ups after the first that still write a day that has no page."""
_KEYS = ("timezone", "reading_hour", "docs_dir")
_LINE = re.compile(r"^(?P<key>[a-z_]+)\s*:\s*(?P<value>.*)$")


@dataclass(frozen=True)
class Decision:
    run: bool
    reason: str


def read_settings(text: str) -> dict[str, str]:
    """The top-level `timezone`, `reading_hour` and `docs_dir` of a jobpicks.yml, as text."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = _LINE.match(line)
        if match is None or match["key"] not in _KEYS or match["key"] in found:
            continue
        value = match["value"].strip()
        if value[:1] in ("'", '"'):
            value = value[1 : value.find(value[0], 1)] if value.find(value[0], 1) > 0 else ""
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0].strip()
        found[match["key"]] = value
    return found


def decide(now: dt.datetime, event: str, config: Path) -> Decision:
    """Whether the wake-up at `now` (aware) for `event` writes the day of `config`."""
    if event != "schedule":
        return Decision(True, f"a {event} run always runs")
    try:
        text = config.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Decision(
            False,
            f"no {config.name} yet: scheduled runs wait until `jobpicks init` writes one "
            "(a manual run works with the bundled sample)",
        )
    settings = read_settings(text)
    try:
        zone = ZoneInfo(settings.get("timezone") or "UTC")
        hour = int(settings.get("reading_hour") or DEFAULT_HOUR)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        return Decision(True, f"cannot read the time zone or reading_hour ({exc}): running")
    local = now.astimezone(zone)
    first = max(hour - 1, 0)
    day = local.date()
    page = config.parent / (settings.get("docs_dir") or "docs") / "picks" / str(day.year)
    page = page / f"{day.isoformat()}.md"
    clock = f"{local:%H:%M} in {zone.key}"
    if page.exists():
        return Decision(False, f"{clock}: the page for {day} is already written")
    if first <= local.hour <= first + CATCH_UP_HOURS:
        return Decision(True, f"{clock}: writing {day} for the reader's {hour:02d}:00")
    return Decision(
        False, f"{clock}: not the reader's morning; {day} is written from {first:02d}:00"
    )


def _now(value: str | None) -> dt.datetime:
    if not value:
        return dt.datetime.now(dt.UTC)
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("jobpicks.yml"))
    parser.add_argument("--event", default=os.environ.get("GITHUB_EVENT_NAME", "manual"))
    parser.add_argument(
        "--now", default=os.environ.get("JOBPICKS_NOW"), help="ISO time (default: the clock)"
    )
    args = parser.parse_args(argv)
    decision = decide(_now(args.now), args.event, args.config)
    print(f"{'Run' if decision.run else 'Skip'}: {decision.reason}")
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as handle:
            handle.write(f"run={'true' if decision.run else 'false'}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
