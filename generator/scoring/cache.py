"""The score cache: one SQLite file, so re-running a day makes no API calls.

Keys hash everything that can change an answer (posting, profile, model, prompt version,
posting budget, tokenizer, task); values are the model's answer as read (ratings before any
rescaling, or a pick's details). A corrupt file is set aside with a warning and a fresh
cache starts: losing cached scores costs money, never a run.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FILENAME = "scores.sqlite3"


class ScoreCache:
    def __init__(self, folder: Path, *, max_age_days: int) -> None:
        self.path = folder / FILENAME
        folder.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open(max_age_days)
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(f"{FILENAME}.corrupt-{int(time.time())}")
            log.warning(
                "score cache %s is unreadable (%s); moved it to %s and started a fresh cache",
                self.path,
                exc,
                aside.name,
            )
            self.path.rename(aside)
            self._db = self._open(max_age_days)

    def _open(self, max_age_days: int) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS scores "
                "(key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL)"
            )
            db.execute(
                "DELETE FROM scores WHERE created < ?", (time.time() - max_age_days * 86400,)
            )
            db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def get_json(self, key: str) -> dict[str, Any] | None:
        """The answer stored under `key`, or None (also for an unreadable entry)."""
        try:
            row = self._db.execute("SELECT value FROM scores WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            log.warning("score cache %s: read failed (%s); scoring afresh", self.path, exc)
            return None
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def put_json(self, key: str, value: dict[str, Any]) -> None:
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO scores VALUES (?, ?, ?)",
                (key, json.dumps(value, ensure_ascii=False, sort_keys=True), time.time()),
            )
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            log.warning("score cache %s: write failed (%s)", self.path, exc)

    def forget(self, keys: list[str]) -> None:
        """Drop the answers stored under `keys`, so the next run asks for them again."""
        try:
            self._db.executemany("DELETE FROM scores WHERE key = ?", [(key,) for key in keys])
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            log.warning("score cache %s: write failed (%s)", self.path, exc)

    def close(self) -> None:
        self._db.close()
