#!/usr/bin/env bash
# Compile the lock files from pyproject.toml. Every install the project makes (the daily
# workflow, CI, .ci/run, the README's commands) installs from these, so what runs each morning
# is exactly what the tests ran.
#
#   bash requirements/compile.sh            # add what pyproject.toml gained, keep other pins
#   bash requirements/compile.sh --upgrade  # move every pin to the newest allowed release
#
# dev.txt holds everything (the app, the dev tools, Zensical); run.txt is the app alone,
# constrained to dev.txt's versions, so the daily job installs the very versions CI tested.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=".venv/bin/uv"
[ -x "$uv" ] || uv="uv"
common=(--universal --python-version 3.11 --generate-hashes --quiet)
"$uv" pip compile pyproject.toml --extra dev --extra zensical "${common[@]}" "$@" \
  -o requirements/dev.txt
"$uv" pip compile pyproject.toml -c requirements/dev.txt "${common[@]}" -o requirements/run.txt
