"""Normalising text and URLs from feeds: the one place that decides what a clean field is.

Feeds deliver HTML (sometimes entity-escaped twice), mojibake, control characters and tracking
URLs. Everything downstream assumes the output of these functions: plain single-line text and
http(s) URLs only.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import ftfy
from selectolax.lexbor import LexborHTMLParser
from text_unidecode import unidecode

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_latin_ligatures=False)

# Tags whose content is code or styling, never text a reader should see.
_NON_TEXT_TAGS = ["script", "style", "noscript", "template", "head", "svg", "iframe", "object"]

# Query parameters that only track the click, so two links to one posting differ by them.
_TRACKING_PARAMS = frozenset(
    {
        "refid",
        "trackingid",
        "trk",
        "trkinfo",
        "gclid",
        "fbclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "igshid",
        "ref",
        "referrer",
        "src",
        "from",
        "lipi",
        "ebp",
        "position",
        "pagenum",
    }
)

_CLEAN_URL = re.compile(
    r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?"
    r"(?:[/?#][A-Za-z0-9/:?#\[\]@!$&'*+,;=%~._-]*)?\Z",
    re.IGNORECASE,
)
"""An absolute http(s) URL with a plain host, every character one `http_url` keeps as it is."""
_LINKEDIN_VIEW = re.compile(r"/jobs/view/(?:[^/]*?-)?(\d{6,})/?$")


def clean_text(value: object) -> str:
    """A source's text field as plain text on one line: mojibake repaired, then `plain_line`."""
    if value is None:
        return ""
    text = str(value)
    if "&" in text:
        text = html.unescape(text)
    return _tidy(text)


def plain_line(text: str) -> str:
    """The one text cleaner: entities decoded (a feed that escaped twice, `&amp;amp;`, reads
    as `&`), control characters dropped, whitespace collapsed to single spaces.

    Idempotent, so a pick cleaned when it was made is unchanged by every later read of its
    page; sources call it last (through `clean_text` and `html_to_text`), and `Pick` calls it
    on every text field, so no view needs a cleaner of its own.
    """
    if "&" not in text and text.isprintable():  # most text, already clean: C speed
        if "  " in text or text[:1] == " " or text[-1:] == " ":
            return " ".join(text.split())
        return text
    while True:
        decoded = html.unescape(text) if "&" in text else text
        if not decoded.isprintable():
            decoded = "".join(
                " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
                for ch in decoded
                if ch != "\x00" and unicodedata.category(ch) not in ("Cs", "Co", "Cn")
            )
        if decoded == text:
            break
        text = decoded  # decoding can make controls, and dropping them an entity
    return " ".join(text.split())


def _tidy(text: str) -> str:
    if not text.isascii():
        text = ftfy.fix_text(text, _FTFY)
    return plain_line(text)


def html_to_text(value: object) -> str:
    """Plain text of an HTML fragment, including HTML that arrived entity-escaped.

    Greenhouse and some RSS feeds escape their HTML (`&lt;p&gt;`), sometimes twice
    (`&amp;nbsp;`); unescaping until no tag-shaped entity is left recovers the markup.
    """
    if value is None:
        return ""
    markup = str(value)
    for _ in range(3):
        if "&lt;" not in markup or "<" in markup.replace("&lt;", ""):
            break
        markup = html.unescape(markup)
    if "<" not in markup and "&" not in markup:
        return _tidy(markup)
    tree = LexborHTMLParser(markup)
    tree.strip_tags(_NON_TEXT_TAGS)
    body = tree.body
    text = (body.text(separator=" ") if body is not None else tree.text(separator=" ")) or ""
    if "&" in text:  # double-escaped entities such as &amp;nbsp; survive one parse
        text = html.unescape(text)
    return _tidy(text)


def safe_url(value: object) -> str:
    """A source's URL field as `http_url` gives it, with `&amp;` decoded (repeatedly: a feed
    that escaped twice sends `&amp;amp;`). No other entity is decoded: a browser reads
    `?gh_jid=1&region=emea` or `&times=2` in an href as parameters, and so must we, or the
    link goes elsewhere than the posting (`&reg` and `&times` are entities without their
    semicolon)."""
    if value is None:
        return ""
    url = str(value)
    while "&amp;" in url:
        url = url.replace("&amp;", "&")
    return http_url(url)


def http_url(url: str) -> str:
    """The URL if it is absolute http(s), with characters that would break markdown or HTML
    quoted; anything else (javascript:, data:, relative links, garbage) is "" so it is never
    written as a link. Entities are not decoded (a URL's `&lt=` is a parameter, not `<`),
    and a quoted URL stays as it is."""
    if _CLEAN_URL.match(url):
        return url  # what quoting would leave alone: most URLs, every one read back
    if not url.isprintable():
        url = "".join(ch if ch.isprintable() else " " for ch in url)
    url = " ".join(url.split()).replace(" ", "%20")
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


def canonical_url(url: str) -> str:
    """A URL with tracking parameters, fragments and cosmetic differences removed."""
    parts = urlsplit(url)
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=False)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING_PARAMS
    )
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, urlencode(query), ""))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def job_id(url: str, *, company: str = "", title: str = "", location: str = "") -> str:
    """A stable id for a posting: the job site's own id where the URL carries one."""
    if url:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host.endswith("linkedin.com"):
            match = _LINKEDIN_VIEW.search(parts.path)
            params = dict(parse_qsl(parts.query))
            if match:
                return f"linkedin:{match.group(1)}"
            if params.get("currentJobId", "").isdigit():
                return f"linkedin:{params['currentJobId']}"
        if "indeed." in host:
            params = dict(parse_qsl(parts.query))
            key = params.get("jk") or params.get("vjk")
            if key:
                return f"indeed:{key.lower()}"
        return f"url:{_digest(canonical_url(url))}"
    fingerprint = "\x1f".join(s.casefold() for s in (company, title, location))
    return f"job:{_digest(fingerprint)}"


def first_sentences(text: str, *, count: int = 2, limit: int = 280) -> str:
    """The opening sentences of `text`, cut at a word boundary when too long."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])", text.strip())
    summary = " ".join(sentences[:count]).strip()
    if len(summary) <= limit:
        return summary
    cut = summary[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return f"{cut}…"


def fold(text: str) -> str:
    """`text` in plain ASCII letters: "Škoda Müller Ørsted Straße" -> "Skoda Muller Orsted
    Strasse". The one accent folding: search entries, saved searches' places and, through
    `fold_table`, Explore in the browser all fold with it."""
    return text if text.isascii() else str(unidecode(text))


def fold_key(text: str) -> str:
    """`text` as two names are compared: folded and case-blind, so a config's "Zurich" or
    "Muller" meets a posting's "Zürich" or "Müller" in run filters, saved searches and the
    local scorer alike, as in Explore."""
    return fold(text).casefold()


_FOLD_BLOCKS = (
    (0x00A0, 0x024F),
    (0x0370, 0x04FF),
    (0x1E00, 0x1EFF),
    (0x2100, 0x218F),
    (0xFB00, 0xFB4F),
    (0xFF01, 0xFF5E),
)
"""Latin-1 to Latin Extended-B, Greek and Cyrillic, Latin Extended Additional, letterlike
symbols and number forms (™, Ⅻ), ligatures (ﬁ) and full-width forms (Ｓｋｏｄａ, as a
Japanese or Chinese keyboard types them): what a reader may type into Explore whatever the
picks hold."""


def _without_marks(char: str) -> str:
    """What a browser makes of `char` with `normalize("NFD")` and the combining marks dropped."""
    return "".join(c for c in unicodedata.normalize("NFD", char) if not 0x300 <= ord(c) <= 0x36F)


def fold_table(texts: Iterable[str] = ()) -> dict[str, str]:
    """The characters a browser folds differently from `fold` (Ø, Ł, ß, Æ, Đ, Greek, Cyrillic:
    dropping accents does nothing for them), each with `fold`'s answer: for the blocks a
    reader types in (`_FOLD_BLOCKS`) and every other character in `texts`. explore.js folds
    with this table first and drops accents after, so it folds as Python does."""
    chars = {chr(code) for low, high in _FOLD_BLOCKS for code in range(low, high + 1)}
    held = set().union(*(set(text) for text in texts if not text.isascii()))
    chars |= {char for char in held if ord(char) > 127}
    table = {}
    for char in sorted(chars):
        folded = fold(char)
        if folded != _without_marks(char):
            table[char] = folded
    return table


def plural(count: int, word: str, many: str = "") -> str:
    """ "1 pick", "2 picks", "0 picks"; `many` for irregular plurals ("companies")."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"
