"""Tables of cases checked alike in Python and in the browser, so the two cannot drift.

`CASES`: minimum pay, in all three places one is used: run filters, saved searches and
Explore (`models.MinPay.reaches`, README "Minimum pay"). A case is a stated pay and, for each
minimum, whether the pay reaches it: True, False, or None when they cannot be compared (no
pay, another currency).

`FOLDS`: accent folding, Python's `text.fold` and explore.js's `fold`: each name and what it
folds to (lower case, as Explore compares).
"""

from __future__ import annotations

from generator.models import MinPay, Pay

MINIMA = {
    "yearly": MinPay(amount=70000, currency="EUR", period="year"),
    "hourly": MinPay(amount=35, currency="EUR", period="hour"),  # 72,800 a year
}


def _pay(low: float, high: float, period: str, currency: str = "EUR") -> Pay:
    return Pay(min=low, max=high, currency=currency, period=period)  # type: ignore[arg-type]


CASES: list[tuple[str, Pay | None, dict[str, bool | None]]] = [
    ("range tops out above", _pay(60000, 80000, "year"), {"yearly": True, "hourly": True}),
    ("the amount exactly", _pay(70000, 70000, "year"), {"yearly": True, "hourly": False}),
    ("range tops out below", _pay(50000, 65000, "year"), {"yearly": False, "hourly": False}),
    ("monthly, 72k a year", _pay(6000, 6000, "month"), {"yearly": True, "hourly": False}),
    ("monthly, 66k a year", _pay(5000, 5500, "month"), {"yearly": False, "hourly": False}),
    ("hourly, 72.8k a year", _pay(30, 35, "hour"), {"yearly": True, "hourly": True}),
    ("hourly, 62.4k a year", _pay(30, 30, "hour"), {"yearly": False, "hourly": False}),
    ("another currency", _pay(100000, 120000, "year", "USD"), {"yearly": None, "hourly": None}),
    ("no pay stated", None, {"yearly": None, "hourly": None}),
]


FOLDS: list[tuple[str, str]] = [
    ("Müller", "muller"),
    ("Škoda", "skoda"),
    ("Société", "societe"),
    ("Ørsted", "orsted"),
    ("Łódź", "lodz"),
    ("Straße", "strasse"),
    ("Æther", "aether"),
    ("Đà Nẵng", "da nang"),
]
TYPED: list[tuple[str, str]] = [
    ("ＳＫＯＤＡ", "Škoda"),
    ("ｍüｌｌｅｒ", "Müller"),
    ("ﬆrasse", "Straße"),  # the "st" ligature
]
"""What a reader may type that no pick holds (full-width letters, ligatures), and the
`FOLDS` name it must find: folded by the table's blocks, not by what the picks hold."""
