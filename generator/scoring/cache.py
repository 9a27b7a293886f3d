"""The score cache: one SQLite file, so re-running a day makes no API calls.

Keys hash everything that can change an answer (posting, profile, model, prompt version);
values are the validated assessment. A corrupt file is set aside with a warning and a fresh
cache starts: losing cached scores costs money, never a run.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from pathlib import Path

from generator.models import Pay, Score

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

    def get(self, key: str, job_id: str) -> Score | None:
        try:
            row = self._db.execute("SELECT value FROM scores WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            log.warning("score cache %s: read failed (%s); scoring afresh", self.path, exc)
            return None
        if row is None:
            return None
        try:
            data = json.loads(row[0])
            pay = data.get("pay")
            return Score(
                job_id,
                int(data["score"]),
                str(data["reason"]),
                str(data["summary"]),
                str(data.get("employer", "")),
                work_mode=data.get("work_mode"),
                pay=Pay.model_validate(pay) if pay else None,
                visa=data.get("visa"),
                level=data.get("level"),
                employment=data.get("employment"),
            )
        except (ValueError, KeyError, TypeError):  # pydantic's ValidationError is a ValueError
            return None

    def put(self, key: str, score: Score) -> None:
        value = json.dumps(
            {
                "score": score.score,
                "reason": score.reason,
                "summary": score.summary,
                "employer": score.employer,
                "work_mode": score.work_mode,
                "pay": score.pay.model_dump() if score.pay else None,
                "visa": score.visa,
                "level": score.level,
                "employment": score.employment,
            }
        )
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO scores VALUES (?, ?, ?)", (key, value, time.time())
            )
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            log.warning("score cache %s: write failed (%s)", self.path, exc)

    def close(self) -> None:
        self._db.close()
