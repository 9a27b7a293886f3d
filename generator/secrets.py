"""Keeping the API key out of everything a run writes or prints."""

from __future__ import annotations

import re

# OpenAI-style keys, in case one arrives by a path we did not register (e.g. inside an echo
# of a request in an error body).
_KEY_SHAPE = re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}")


def redact(text: str, *secrets: str | None) -> str:
    """`text` with every given secret, and anything shaped like an API key, replaced."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    return _KEY_SHAPE.sub("sk-[redacted]", text)
