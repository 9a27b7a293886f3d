"""Write the bundled sample feeds (and, for benchmarks, feeds of any size).

The samples are invented for jobpicks but shaped like the real payloads in
`tests/fixtures/real-feeds/`: a We Work Remotely style RSS board ("Company: Role",
entity-escaped HTML), an Atom careers feed (author = company) and an RSS export of
LinkedIn/Indeed search results with tracking parameters, aggregator posters (Lensa, Jobs via
Dice) that name the real employer in the text, the same job twice, and a little mojibake.

    python samples/make_samples.py            # rewrite samples/feeds/*
    python samples/make_samples.py --count 10000 --out /tmp/big   # benchmark input
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path
from xml.sax.saxutils import escape

COMPANIES = [
    ("Northwind Cloud", "Berlin, Germany"),
    ("Helio Robotics", "Munich, Germany"),
    ("Pinecrest Data", "London, UK"),
    ("Quantexa Labs", "London, UK"),
    ("Société Générale Tech", "Paris, France"),
    ("Ørsted Digital", "Copenhagen, Denmark"),
    ("Müller Systems", "Zürich, Switzerland"),
    ("Škoda Auto Digilab", "Prague, Czechia"),
    ("Lumen Health", "Amsterdam, Netherlands"),
    ("Fjord Payments", "Oslo, Norway"),
    ("Tidewater Energy", "Hamburg, Germany"),
    ("Brightline Logistics", "Rotterdam, Netherlands"),
    ("Cobalt Security", "Dublin, Ireland"),
    ("Vantage Maps", "Berlin, Germany"),
    ("Kestrel AI", "London, UK"),
    ("Orchard Retail", "Manchester, UK"),
    ("Saffron Foods", "Lisbon, Portugal"),
    ("Granite Bank", "Frankfurt, Germany"),
    ("Aurora Games", "Stockholm, Sweden"),
    ("Meridian Travel", "Barcelona, Spain"),
    ("Polaris Mobility", "Vienna, Austria"),
    ("Nimbus Observability", "Remote"),
    ("Keystone Insurance", "Cologne, Germany"),
    ("Harbor Freight Tech", "Antwerp, Belgium"),
    ("Redwood Analytics", "Remote"),
    ("Atlas Learning", "Edinburgh, UK"),
    ("Beacon Media", "Milan, Italy"),
    ("Cedar Biotech", "Basel, Switzerland"),
    ("Driftwood Studios", "Remote"),
    ("Echo Voice", "Tallinn, Estonia"),
    ("Falcon Aerospace", "Toulouse, France"),
    ("Glacier Storage", "Helsinki, Finland"),
    ("Ivy Legal", "Remote"),
    ("Juniper Grid", "Madrid, Spain"),
    ("Lattice Compute", "Berlin, Germany"),
    ("Mosaic HR", "Warsaw, Poland"),
]
AGGREGATORS = ["Lensa", "Jobs via Dice"]
ROLES = [
    ("Backend Engineer", ["Python", "PostgreSQL", "Kafka", "AWS"]),
    ("Senior Backend Engineer", ["Python", "Kubernetes", "PostgreSQL", "Go"]),
    ("Platform Engineer", ["Kubernetes", "Terraform", "AWS", "Go"]),
    ("Site Reliability Engineer", ["Kubernetes", "Prometheus", "Linux", "Terraform"]),
    ("Data Engineer", ["Python", "Spark", "Airflow", "SQL"]),
    ("Machine Learning Engineer", ["Python", "PyTorch", "Kubernetes", "AWS"]),
    ("Frontend Engineer", ["TypeScript", "React", "CSS", "GraphQL"]),
    ("Full Stack Developer", ["PHP", "Laravel", "Vue", "MySQL"]),
    ("Software Engineer, Payments", ["Java", "Kotlin", "PostgreSQL", "Kafka"]),
    ("Staff Software Engineer", ["Go", "Kubernetes", "gRPC", "PostgreSQL"]),
    ("DevOps Engineer", ["Terraform", "AWS", "Ansible", "Python"]),
    ("Junior Python Developer", ["Python", "Django", "PostgreSQL", "Docker"]),
    ("Engineering Manager, Infrastructure", ["Kubernetes", "AWS", "Hiring", "Go"]),
    ("iOS Engineer", ["Swift", "SwiftUI", "Xcode", "GraphQL"]),
    ("Salesforce Developer", ["Salesforce", "Apex", "SOQL", "JavaScript"]),
    ("Python Engineer (Internal Tools)", ["Python", "FastAPI", "PostgreSQL", "Redis"]),
    ("Software Engineering Intern", ["Python", "Java", "Git", "Linux"]),
    ("Cloud Infrastructure Engineer", ["AWS", "Terraform", "Kubernetes", "Python"]),
]
BENEFITS = [
    "30 days of paid holiday",
    "a yearly learning budget",
    "flexible hours",
    "a home-office stipend",
    "an employee share plan",
    "parental leave beyond the legal minimum",
]
START = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)


def _description(
    rng: random.Random, company: str, role: str, skills: list[str], employer_note: str = ""
) -> str:
    extra = rng.sample(BENEFITS, 2)
    lead = employer_note or f"{company} is hiring a {role} to join a small, senior team."
    return (
        f"<p>{lead} You will own services end to end, from design to on-call.</p>"
        f"<h3>What you will do</h3><ul><li>Build and run production systems with "
        f"{skills[0]} and {skills[1]}.</li><li>Work with {skills[2]} every day.</li>"
        f"<li>Improve reliability, cost &amp; developer experience.</li></ul>"
        f"<h3>What you bring</h3><p>Solid experience with {skills[0]}; "
        f"{skills[3]} is a plus.</p><p>We offer {extra[0]} and {extra[1]}.</p>"
    )


def _rfc822(when: dt.datetime) -> str:
    return when.strftime("%a, %d %b %Y %H:%M:%S +0000")


def _jobs(rng: random.Random, count: int, offset: int) -> list[dict[str, str]]:
    jobs = []
    for n in range(count):
        company, place = rng.choice(COMPANIES)
        role, skills = rng.choice(ROLES)
        remote = place == "Remote" or rng.random() < 0.25
        posted = START - dt.timedelta(hours=rng.randint(0, 24 * 7), minutes=rng.randint(0, 59))
        jobs.append(
            {
                "company": company,
                "role": role,
                "location": "Remote (Europe)" if remote else place,
                "posted": _rfc822(posted),
                "iso": posted.isoformat().replace("+00:00", "Z"),
                "description": _description(rng, company, role, skills),
                "slug": f"{company}-{role}".lower()
                .replace(" ", "-")
                .replace(",", "")
                .replace("(", "")
                .replace(")", "")
                + f"-{offset}-{n}",
            }
        )
    return jobs


def remote_board(rng: random.Random, count: int) -> str:
    """We Work Remotely style: "Company: Role", entity-escaped HTML, region/state elements."""
    items = []
    for job in _jobs(rng, count, offset=1):
        link = f"https://remote-board.example.com/remote-jobs/{job['slug']}"
        state = "" if job["location"].startswith("Remote") else job["location"].split(",")[0]
        items.append(
            f"""    <item>
      <title>{escape(job["company"])}: {escape(job["role"])}</title>
      <region>{"Anywhere in the World" if not state else "Europe"}</region>
      <country />
      <state>{escape(state)}</state>
      <category>Programming</category>
      <type>Full-Time</type>
      <description>{escape(job["description"])}</description>
      <pubDate>{job["posted"]}</pubDate>
      <guid>{link}</guid>
      <link>{link}</link>
    </item>"""
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n  <channel>\n'
        "    <title>Remote Board: Programming Jobs</title>\n"
        "    <link>https://remote-board.example.com/categories/programming.rss</link>\n"
        "    <description>Sample remote programming jobs (invented for jobpicks)</description>\n"
        + "\n".join(items)
        + "\n  </channel>\n</rss>\n"
    )


def careers_atom(rng: random.Random, count: int) -> str:
    """An Atom careers aggregator: author = company, "Role at Company (Location)" titles."""
    entries = []
    for job in _jobs(rng, count, offset=2):
        link = f"https://careers.example.org/jobs/{job['slug']}?utm_source=atom&utm_medium=feed"
        entries.append(
            f"""  <entry>
    <title>{escape(job["role"])} at {escape(job["company"])} ({escape(job["location"])})</title>
    <link rel="alternate" type="text/html" href="{escape(link)}"/>
    <id>tag:careers.example.org,2026:{job["slug"]}</id>
    <updated>{job["iso"]}</updated>
    <published>{job["iso"]}</published>
    <author><name>{escape(job["company"])}</name></author>
    <content type="html">{escape(job["description"])}</content>
  </entry>"""
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        "  <title>Careers Hub: Engineering</title>\n"
        '  <link rel="self" href="https://careers.example.org/engineering.atom"/>\n'
        "  <id>tag:careers.example.org,2026:engineering</id>\n"
        f"  <updated>{START.isoformat().replace('+00:00', 'Z')}</updated>\n"
        + "\n".join(entries)
        + "\n</feed>\n"
    )


def job_search(rng: random.Random, count: int) -> str:
    """LinkedIn / Indeed search results as RSS: tracking URLs, aggregators, repeats."""
    items = []
    jobs = _jobs(rng, count, offset=3)
    for n, job in enumerate(jobs):
        company, description = job["company"], job["description"]
        if n % 9 == 4:  # an aggregator posting someone else's job
            poster = AGGREGATORS[n % 2]
            description = _description(
                rng,
                company,
                job["role"],
                ["Python", "AWS", "Kubernetes", "Go"],
                employer_note=f"Our client, {company}, is looking for a {job['role']}.",
            )
            company = poster
        if n % 2:
            link = (
                f"https://www.linkedin.com/jobs/view/{4300000000 + n * 7919}/"
                f"?refId=abc{n}&amp;trackingId=xyz{n}%3D%3D"
            )
        else:
            link = (
                f"https://www.indeed.com/viewjob?jk={(n * 2654435761) % 16**16:016x}&amp;from=rss"
            )
        location = job["location"]
        if n == 10:  # mojibake as some scrapers deliver it
            location = "ZÃ¼rich, Switzerland"
            description = description.replace("You will", "The candidateâ€™s work will")
        item = f"""    <item>
      <title>{escape(job["role"])} at {escape(company)}</title>
      <link>{link}</link>
      <guid isPermaLink="false">search-{n}</guid>
      <location>{escape(location)}</location>
      <description>{escape(description)}</description>
      <pubDate>{job["posted"]}</pubDate>
    </item>"""
        items.append(item)
        if n % 13 == 6:  # the same job again, with different tracking parameters
            items.append(
                item.replace(f"refId=abc{n}", f"refId=dup{n}")
                .replace("from=rss", "from=rss2")
                .replace(f"search-{n}<", f"search-{n}-again<")
            )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n  <channel>\n'
        "    <title>Saved search: backend engineer, Europe</title>\n"
        "    <link>https://search.example.net/saved/backend-europe</link>\n"
        "    <description>LinkedIn and Indeed results (invented for jobpicks)</description>\n"
        + "\n".join(items)
        + "\n  </channel>\n</rss>\n"
    )


def write_feeds(out: Path, count: int, seed: int = 7) -> list[Path]:
    """Write three feeds holding about `count` postings in all; returns their paths."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    third = max(1, count // 3)
    files = {
        "remote-board.xml": remote_board(rng, third),
        "careers.atom": careers_atom(rng, third),
        "job-search.xml": job_search(rng, count - 2 * third),
    }
    paths = []
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "feeds")
    args = parser.parse_args()
    for path in write_feeds(args.out, args.count):
        print(path)
