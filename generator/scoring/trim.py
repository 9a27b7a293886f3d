"""What of a long posting reaches the model: boilerplate goes first, the facts that decide stay.

A posting over its token budget is cut into sentences, bullets and headings, each put in one
of three classes: *key* (pay, work mode, place, visa, requirements and the profile's own
terms), *role* (what the job is) and *boilerplate* (about the company, benefits, equal
opportunity, legal). Key sentences are kept wherever they stand, then the role from the
start, then boilerplate; what is kept stays in its order, gaps marked `[…]`, and the model is
told what kinds of text were left out. A posting within budget is sent whole.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

CHARS_PER_TOKEN = 4
"""Without tiktoken's table: about four characters a token (o200k_base averages ~4.7 on the
fixture postings, so this errs on the short side of a budget)."""

GAP = "[…]"

KEY, ROLE, BOILERPLATE = 0, 1, 2
KEY_LEFT_OUT = "sentences on requirements, pay or place"

# A segment is a sentence, a bullet or a heading of the one-line text the sources give.
_HEADING = re.compile(r"(?:^|(?<=[.!?:;)…]))\s*(\*\*[^*]{2,80}\*\*)\s*(?:-{3,}\s*)?")
_SPLIT = re.compile(
    r"\n+"
    r"|\s+[*•·▪]\s+(?=\S)"  # a bullet
    r"|(?<=[.!?:;])\s+[–-]\s+(?=\S)"  # a dash bullet, not a dash inside a sentence ("€1 - €2")
    r"|(?<=[.!?;])\s+(?=[A-Z0-9ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŒ\"'“(*])"  # a sentence end
)

_PAY = re.compile(
    r"[$€£¥₹]\s?\d|\d\s?(?:k|K)?\s?(?:€|\$|£|eur|usd|gbp|chf)\b|\b(?:salary|salaries|"
    r"compensation|pay range|base pay|hourly rate|per hour|per annum|ote|equity|"
    r"rémunération|salaire|gehalt|vergütung|brut|gross)\b",
    re.IGNORECASE,
)
_WORK_MODE = re.compile(
    r"\b(?:remote\w*|hybrid\w*|on-?site|in[- ]office|in the office|office-based|"
    r"work from home|wfh|distributed|t[ée]l[ée]travail\w*|présentiel|distanciel|au bureau|"
    r"home ?office|mobiles arbeiten|days? (?:a|per|in the) (?:week|office)|"
    r"jours?\s*(?:par|/)\s*semaine|fully remote)\b",
    re.IGNORECASE,
)
_PLACE = re.compile(
    r"\b(?:based in|located in|location|relocat\w*|time ?zones?|countries|anywhere|"
    r"worldwide|commut\w*|localisation|lieu|standort)\b",
    re.IGNORECASE,
)
_VISA = re.compile(
    r"\b(?:visas?|sponsor\w*|work permit|right to work|authori[sz]ed to work|"
    r"work authori[sz]ation)\b",
    re.IGNORECASE,
)
_REQUIREMENT = re.compile(
    r"\b(?:requir\w*|qualif\w*|must|experience[ds]?|years?|proficien\w*|fluen\w*|"
    r"knowledge|degree|bachelor'?s?|master'?s?|ph\.?d|you have|you bring|you are|"
    r"you'll need|skills?|familiar\w*|expertise|background in|ability to|hands-on|"
    r"expérience|maîtrise|diplôme|bac ?\+ ?\d|compétences?|connaissances?|"
    r"anforderungen|erfahrung|kenntnisse)\b",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"\b(?:equal (?:employment )?opportunit\w*|eeo|affirmative action|without regard to|"
    r"race|religion|gender identity|sexual orientation|national origin|veteran|"
    r"disabilit\w*|accommodations?|diversity|inclusi\w*|background checks?|e-verify|"
    r"privacy|gdpr|data protection|personal data|recruitment agenc\w*|unsolicited|"
    r"benefits?|perks?|health insurance|dental|vision insurance|401\(?k\)?|paid time off|"
    r"pto|parental leave|wellness|gym|snacks|stock options|our mission|our values|"
    r"our culture|founded in|we are a|we're a|who we are|about us|join us|"
    r"mutuelle|tickets? restaurant|avantages|qui sommes-nous|nos valeurs|"
    r"handicap|sans distinction|indépendamment|diversité|égalité des chances|"
    r"chancengleichheit|über uns|wir bieten)\b",
    re.IGNORECASE,
)
# Headings that open a section; the section's sentences take its class unless they say
# something key themselves.
_BOILER_HEADING = re.compile(
    r"\b(?:about (?!you|the (?:role|job|position|team)|this (?:role|job))|who we are|"
    r"our (?:company|story|mission|values|culture)|why (?:join|us|you'll love)|"
    r"what we offer|benefits|perks|equal opportunity|eeo|diversity|privacy|legal|"
    r"(?:recruitment|hiring|interview) process|how to apply|processus de recrutement|"
    r"qui sommes|à propos|nos avantages|avantages|über uns|wir bieten)\b",
    re.IGNORECASE,
)
_KEY_HEADING = re.compile(
    r"\b(?:about you|requirements?|qualifications?|what you(?:'ll)? (?:bring|need|have)|"
    r"who you are|you have|skills|experience|profile|must[- ]haves?|nice to have|bonus|location|"
    r"salary|compensation|pay|profil|compétences|anforderungen|dein profil|ihr profil)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Tokenizer:
    """Counts and cuts tokens: tiktoken's encoding for the model when it can be loaded, else
    about four characters a token. `name` goes into the score cache's key."""

    name: str
    _encoding: Any = None

    def count(self, text: str) -> int:
        if self._encoding is not None:
            return len(self._encoding.encode(text, disallowed_special=()))
        return -(-len(text) // CHARS_PER_TOKEN)

    def cut(self, text: str, budget: int) -> str:
        """`text`'s first `budget` tokens, ending on a word."""
        if self.count(text) <= budget:
            return text
        if self._encoding is not None:
            tokens = self._encoding.encode(text, disallowed_special=())[:budget]
            head = str(self._encoding.decode(tokens))
        else:
            head = text[: budget * CHARS_PER_TOKEN]
        return head.rsplit(" ", 1)[0] if " " in head else head


@functools.lru_cache(maxsize=8)
def tokenizer_for(model: str, choice: str) -> Tokenizer:
    """`choice` "auto": tiktoken's encoding for `model` when it knows the model and its table
    loads (it is downloaded once, so offline it may not); otherwise, or with "chars", the
    character estimate."""
    if choice == "auto":
        try:
            import tiktoken

            encoding = tiktoken.encoding_for_model(model)
            return Tokenizer(f"tiktoken:{encoding.name}", encoding)
        except Exception:  # unknown model, no network to fetch the table, no tiktoken
            pass
    return Tokenizer("chars")


@dataclass
class Segment:
    text: str
    index: int
    kind: int = ROLE
    rank: int = 1
    """Within KEY: 0 for pay, work mode, place and visa; 1 for requirements and profile terms."""
    heading: int | None = None
    """The index of the heading of the section this segment is in."""
    is_heading: bool = False


@dataclass
class Trimmed:
    text: str
    tokens: int
    total_tokens: int
    left_out: dict[str, int] = field(default_factory=dict)

    @property
    def cut(self) -> bool:
        return bool(self.left_out)

    def note(self) -> str:
        """What the model is told about the gaps, or "" when the posting is whole."""
        if not self.left_out:
            return ""
        kinds = ", ".join(f"{count} {what}" for what, count in self.left_out.items() if count)
        kept = (
            ""
            if KEY_LEFT_OUT in self.left_out
            else "; every sentence on pay, work mode, place and requirements was kept"
        )
        return (
            f"shortened from about {self.total_tokens} to {self.tokens} tokens; left out "
            f"(marked {GAP}): {kinds}{kept}"
        )


def segments(text: str) -> list[str]:
    """Sentences, bullets and bold headings (a bold run after a sentence's end)."""
    marked = _HEADING.sub(lambda m: f"\n{m[1]}\n", text)
    return [part.strip() for part in _SPLIT.split(marked) if part and part.strip(" *-•·")]


def _is_heading(text: str) -> bool:
    words = len(text.split())
    return (text.startswith("**") and text.endswith("**") and words <= 10) or (
        text.endswith(":") and words <= 8
    )


def classify(
    parts: Sequence[str], terms: Callable[[str], bool], place_words: set[str]
) -> list[Segment]:
    out: list[Segment] = []
    section_kind: int | None = None
    heading: int | None = None
    for i, text in enumerate(parts):
        seg = Segment(text, i)
        if _is_heading(text):
            seg.is_heading = True
            heading = i
            if _KEY_HEADING.search(text):
                section_kind = KEY
            elif _BOILER_HEADING.search(text):
                section_kind = BOILERPLATE
            else:
                section_kind = ROLE
            seg.kind = section_kind
            out.append(seg)
            continue
        seg.heading = heading
        words = {w.casefold() for w in re.findall(r"\w+", text)}
        stated = (_PAY, _WORK_MODE, _VISA, _PLACE)
        if any(p.search(text) for p in stated) or words & place_words:
            seg.kind, seg.rank = KEY, 0
        elif terms(text):
            seg.kind, seg.rank = KEY, 1
        elif _BOILERPLATE.search(text) or section_kind == BOILERPLATE:
            seg.kind = BOILERPLATE
        elif section_kind == KEY or _REQUIREMENT.search(text):
            seg.kind, seg.rank = KEY, 1
        out.append(seg)
    return out


def _place_words(location: str) -> set[str]:
    generic = {"remote", "hybrid", "onsite", "and", "or", "the", "usa", "us", "uk"}
    return {w.casefold() for w in re.findall(r"\w{3,}", location)} - generic


def trim(
    text: str,
    budget: int,
    tokenizer: Tokenizer,
    *,
    terms: Sequence[str] = (),
    location: str = "",
) -> Trimmed:
    """`text` within about `budget` tokens, keeping what decides a judgement (see above)."""
    total = tokenizer.count(text)
    if total <= budget:
        return Trimmed(text, total, total)
    patterns = [
        re.compile(rf"(?<![\w+#]){re.escape(t.strip())}(?![\w+#])", re.IGNORECASE)
        for t in terms
        if len(t.strip()) > 1
    ]

    def mentions_term(value: str) -> bool:
        return any(p.search(value) for p in patterns)

    parts = classify(segments(text), mentions_term, _place_words(location))
    costs = [tokenizer.count(p.text) + 1 for p in parts]
    order = sorted(
        (p for p in parts if not p.is_heading),
        key=lambda p: (p.kind, p.rank if p.kind == KEY else 0, p.index),
    )
    kept: set[int] = set()
    used = 0
    for part in order:
        cost = costs[part.index]
        if part.heading is not None and part.heading not in kept:
            cost += costs[part.heading]
        if used + cost <= budget:
            kept.add(part.index)
            if part.heading is not None:
                kept.add(part.heading)
            used += cost
        elif part.kind == KEY and part.rank == 0 and budget - used > 12:
            # A pay or place sentence too long for what is left: its head, not nothing.
            part.text = tokenizer.cut(part.text, budget - used - 2)
            kept.add(part.index)
            used = budget
    pieces: list[str] = []
    previous = -1
    for part in parts:
        if part.index in kept:
            if part.index != previous + 1:
                pieces.append(GAP)
            pieces.append(part.text)
            previous = part.index
    if previous != len(parts) - 1:
        pieces.append(GAP)
    left = [p for p in parts if p.index not in kept and not p.is_heading]
    left_out = {
        "sentences about the company, benefits or legal terms": sum(
            p.kind == BOILERPLATE for p in left
        ),
        "sentences on the role": sum(p.kind == ROLE for p in left),
        KEY_LEFT_OUT: sum(p.kind == KEY for p in left),
    }
    body = " ".join(pieces)
    return Trimmed(body, tokenizer.count(body), total, {k: v for k, v in left_out.items() if v})
