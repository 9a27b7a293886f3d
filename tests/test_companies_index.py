"""The A-Z of companies stays compact (#25): a letter with few companies is a label in a
shared list in columns, not a heading; a letter with many keeps a heading of its own."""

from __future__ import annotations

import datetime as dt
import re

from generator.models import DayPage, Pick
from generator.site import derive


def _day(names: list[str]) -> DayPage:
    picks = tuple(
        Pick(id=f"p{n}", title="Engineer", company=name, url=f"https://x.example/{n}", score=70)
        for n, name in enumerate(names)
    )
    return DayPage(date=dt.date(2026, 11, 23), picks=picks)


def test_only_a_letter_with_many_companies_has_a_heading() -> None:
    many = [f"Stripe {n:02d}" for n in range(derive.AZ_HEADED)]
    few = ["Acme", "Apex", "Beacon", "Zeta", "Ørsted"]
    page = derive.companies_index(derive.collect([_day(few + many)]))
    assert re.findall(r"^## .*$", page, re.M) == ["## S { #letter-s }"]
    # The small letters before S share one list, and Z starts another after it.
    runs = re.findall(r'<ul class="jp-az jp-az--run">.*?</ul></li></ul>', page)
    assert len(runs) == 2
    assert all(f'id="letter-{x}"' in runs[0] for x in "abo") and 'id="letter-z"' in runs[1]
    # Ørsted sorts after Zeta by name but is filed, and listed, under O.
    assert page.index('id="letter-o"') < page.index('id="letter-z"')
    assert page.index("letter-b") < page.index("## S") < page.index('id="letter-z"')
    jumps = re.findall(r'<a href="#(letter-\w+)">', page)
    assert jumps == ["letter-a", "letter-b", "letter-o", "letter-s", "letter-z"]
