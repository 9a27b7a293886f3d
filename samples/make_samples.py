"""Write the bundled sample feeds (and, for benchmarks, feeds of any size).

The samples are invented for jobpicks but shaped like the real payloads in
`tests/fixtures/real-feeds/`: a We Work Remotely style RSS board ("Company: Role",
entity-escaped HTML), an Atom careers feed (author = company) and an RSS export of
LinkedIn/Indeed search results with tracking parameters, aggregator posters (Lensa, Jobs via
Dice) that name the real employer in the text in their several ways, the same job twice, and a
little mojibake.

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
    ("Northwind Cloud", "Berlin, Germany", "runs managed PostgreSQL for 4,000 European companies"),
    (
        "Helio Robotics",
        "Munich, Germany",
        "builds warehouse robots that pick 2 million parcels a day",
    ),
    ("Pinecrest Data", "London, UK", "sells a data catalogue used by 300 retailers"),
    ("Quantexa Labs", "London, UK", "helps banks trace money laundering across their ledgers"),
    (
        "Société Générale Tech",
        "Paris, France",
        "writes the trading and risk systems of a large bank",
    ),
    ("Ørsted Digital", "Copenhagen, Denmark", "forecasts the output of offshore wind farms"),
    (
        "Müller Systems",
        "Zürich, Switzerland",
        "makes the control software for Swiss rail signalling",
    ),
    ("Škoda Auto Digilab", "Prague, Czechia", "builds the apps and services inside connected cars"),
    ("Lumen Health", "Amsterdam, Netherlands", "runs an appointment platform for 900 clinics"),
    ("Fjord Payments", "Oslo, Norway", "processes card payments for Nordic shops"),
    ("Tidewater Energy", "Hamburg, Germany", "balances a grid of home batteries and heat pumps"),
    (
        "Brightline Logistics",
        "Rotterdam, Netherlands",
        "plans container moves through Europe's largest port",
    ),
    ("Cobalt Security", "Dublin, Ireland", "scans cloud accounts for misconfigurations"),
    ("Vantage Maps", "Berlin, Germany", "renders street maps for delivery fleets"),
    ("Kestrel AI", "London, UK", "trains speech models for call centres"),
    ("Orchard Retail", "Manchester, UK", "runs online shops for 40 grocery brands"),
    ("Saffron Foods", "Lisbon, Portugal", "delivers meal kits to 200,000 homes"),
    ("Granite Bank", "Frankfurt, Germany", "is a digital bank for small businesses"),
    ("Aurora Games", "Stockholm, Sweden", "makes multiplayer games played by 12 million people"),
    ("Meridian Travel", "Barcelona, Spain", "sells rail and ferry tickets across 30 countries"),
    ("Polaris Mobility", "Vienna, Austria", "operates e-scooter and car-sharing fleets"),
    ("Nimbus Observability", "Remote", "stores metrics and traces for engineering teams"),
    ("Keystone Insurance", "Cologne, Germany", "prices home and car insurance online"),
    ("Harbor Freight Tech", "Antwerp, Belgium", "tracks freight through customs"),
    ("Redwood Analytics", "Remote", "turns sales data into forecasts for shop owners"),
    ("Atlas Learning", "Edinburgh, UK", "runs online courses for 1.5 million students"),
    ("Beacon Media", "Milan, Italy", "streams live sport to phones and TVs"),
    ("Cedar Biotech", "Basel, Switzerland", "analyses genome sequencing runs for labs"),
    ("Driftwood Studios", "Remote", "builds tools for independent film editors"),
    ("Echo Voice", "Tallinn, Estonia", "routes phone calls for customer support teams"),
    ("Falcon Aerospace", "Toulouse, France", "writes flight planning software for airlines"),
    ("Glacier Storage", "Helsinki, Finland", "offers object storage in Nordic data centres"),
    ("Ivy Legal", "Remote", "automates contract review for law firms"),
    ("Juniper Grid", "Madrid, Spain", "connects solar parks to the Spanish grid"),
    ("Lattice Compute", "Berlin, Germany", "rents GPU clusters to research teams"),
    ("Mosaic HR", "Warsaw, Poland", "runs payroll for 8,000 employers"),
]
AGGREGATORS = ["Lensa", "Jobs via Dice"]
AGGREGATOR_LEADS = [
    ("", "Our client, {company}, is looking for a {role}."),
    ("Lensa", "Lensa partners with DirectEmployers to promote this job for {company}."),
    (
        "Jobs via Dice",
        "Dice is the leading career destination for tech experts. Our client, {company}, is "
        "seeking the following.",
    ),
    ("", "We are recruiting on behalf of {company}. The role: {role}."),
    ("", "{company} is hiring via {poster}: a {role} to join the team."),
]
"""How aggregators name the employer, as real Lensa, Dice and staffing-firm postings do: a
poster of its own, or either aggregator ("")."""
# (title, skills the role always names, what the person will do)
ROLES = [
    ("Backend Engineer", ["Python", "PostgreSQL"], "design and run the APIs behind the product"),
    ("Senior Backend Engineer", ["Python", "PostgreSQL"], "lead the design of new services"),
    ("Backend Developer (Kotlin)", ["Kotlin", "PostgreSQL"], "move money exactly once"),
    ("Software Engineer, Backend", ["Java", "Kafka"], "split the monolith into services"),
    ("Senior Software Engineer (Python)", ["Python", "Celery"], "speed up the busiest endpoints"),
    ("Senior Python Engineer", ["Python", "Django"], "own the core Python services"),
    ("Python Engineer (Internal Tools)", ["Python", "FastAPI"], "build tools for support staff"),
    ("Python Developer", ["Python", "pandas"], "build the pricing engine"),
    ("Platform Engineer", ["Kubernetes", "Terraform"], "run the platform every team deploys to"),
    ("Senior Platform Engineer", ["Kubernetes", "Go"], "shape the developer platform's roadmap"),
    ("Infrastructure Engineer", ["Kubernetes", "Ansible"], "run the bare-metal and cloud fleet"),
    ("Production Engineer", ["Linux", "Python"], "make deploys boring and rollbacks instant"),
    ("Site Reliability Engineer", ["Kubernetes", "Prometheus"], "keep the services fast"),
    ("Senior Site Reliability Engineer", ["Kubernetes", "Linux"], "lead incident response"),
    ("Cloud Infrastructure Engineer", ["AWS", "Terraform"], "build the network and accounts"),
    ("Database Reliability Engineer", ["PostgreSQL", "Linux"], "run and tune the database fleet"),
    ("Data Engineer", ["Python", "Spark"], "build the pipelines analysts rely on"),
    ("Senior Data Engineer", ["Airflow", "SQL"], "own the data warehouse and its quality"),
    (
        "Machine Learning Engineer",
        ["Python", "PyTorch"],
        "ship models and watch them in production",
    ),
    ("Search Engineer", ["Elasticsearch", "Python"], "make search fast and relevant"),
    ("Security Engineer", ["AWS", "Python"], "find and fix weaknesses before attackers do"),
    ("Staff Software Engineer", ["Go", "gRPC"], "set the technical direction across teams"),
    ("DevOps Engineer", ["Ansible", "Linux"], "automate builds, releases and servers"),
    ("Frontend Engineer", ["TypeScript", "React"], "build the web app customers use"),
    ("Full Stack Developer", ["PHP", "Laravel"], "work across the web app and its backend"),
    ("Junior Python Developer", ["Python", "Django"], "ship small features with a mentor"),
    ("Engineering Manager, Infrastructure", ["Kubernetes", "Hiring"], "lead a team of six"),
    ("iOS Engineer", ["Swift", "SwiftUI"], "build the iPhone app"),
    ("Android Engineer", ["Kotlin", "Jetpack Compose"], "build the Android app"),
    ("Salesforce Developer", ["Salesforce", "Apex"], "extend the sales team's CRM"),
    ("Software Engineering Intern", ["Java", "Git"], "pair with a mentor on a real project"),
]
TEAMS = [
    ("Payments", "moves every euro that customers pay"),
    ("Search", "answers two thousand queries a second"),
    ("Core Platform", "runs the Kubernetes clusters every service deploys to"),
    ("Data", "owns the warehouse and the nightly reports"),
    ("Identity", "handles logins, single sign-on and permissions"),
    ("Billing", "sends invoices and handles refunds"),
    ("Reliability", "is on call for the systems customers see"),
    ("Growth", "runs experiments on sign-up and onboarding"),
    ("Mobile", "ships the iOS and Android apps every two weeks"),
    ("Integrations", "connects the product to partners' systems"),
    ("Storage", "keeps petabytes of customer data safe"),
    ("Developer Experience", "builds the CI pipelines and internal tooling"),
    ("Risk", "spots fraud before money leaves the account"),
    ("Routing", "computes the fastest routes for drivers"),
]
# Skills a posting may name besides its role's own; the sample profile matches some of them.
EXTRA_SKILLS = [
    "Python",
    "Kubernetes",
    "PostgreSQL",
    "Go",
    "Kafka",
    "AWS",
    "Terraform",
    "Prometheus",
    "gRPC",
    "Redis",
    "Docker",
    "GCP",
    "RabbitMQ",
    "ClickHouse",
    "Grafana",
    "Rust",
]
PROFILE_SKILLS = [
    "Python",
    "Kubernetes",
    "PostgreSQL",
    "Go",
    "Kafka",
    "AWS",
    "Terraform",
    "Prometheus",
    "gRPC",
    "PHP",
    "Salesforce",
]
"""The sample profile's skills: postings name distinct sets of them, so the local scorer's
reasons (which list what matched) differ from pick to pick."""
BENEFITS = [
    "30 days of paid holiday",
    "a yearly learning budget of €2,000",
    "flexible hours",
    "a home-office stipend",
    "an employee share plan",
    "parental leave beyond the legal minimum",
    "a four-day week in August",
    "a public transport pass",
]
PAY = [
    "The salary range is €65,000-€80,000 a year.",
    "The salary range is €80,000-€95,000 a year.",
    "The salary range is £70,000-£85,000 a year.",
    "We pay €90,000-€110,000 a year, depending on experience.",
    "",
    "",
]
START = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)


def _description(job: dict[str, str], skills: list[str], lead: str = "") -> str:
    """A posting whose first two sentences (the summary) are its own: the first names the
    company, role and team, the second what that company's team does."""
    lead = lead or f"{job['company']} is hiring a {job['role']} for its {job['team']} team."
    more = ", ".join(skills[2:]) or "whatever the job needs"
    return (
        f"<p>{lead} At {job['company']}, which {job['product']}, the {job['team']} team "
        f"{job['mission']}.</p>"
        f"<h3>What you will do</h3><ul><li>{job['duty'].capitalize()}.</li>"
        f"<li>Work with {skills[0]} and {skills[1]} every day.</li>"
        f"<li>Improve reliability, cost &amp; developer experience.</li></ul>"
        f"<h3>What you bring</h3><p>Solid experience with {skills[0]}; {more} "
        f"would help.</p><p>{job['pay']} We offer {job['benefits']}.</p>"
    )


def _rfc822(when: dt.datetime) -> str:
    return when.strftime("%a, %d %b %Y %H:%M:%S +0000")


class _Postings:
    """Invented postings, each a company, role and team seen once (until a big benchmark
    count runs out of them), naming a set of the profile's skills no other posting names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used_roles: set[tuple[str, str]] = set()
        self.used_teams: set[tuple[str, str]] = set()
        self.used_skills: set[frozenset[str]] = set()

    def _fresh(
        self, company: str, options: list[tuple[str, ...]], used: set[tuple[str, str]]
    ) -> int:
        order = list(range(len(options)))
        self.rng.shuffle(order)
        for n in order:
            if (company, options[n][0]) not in used:
                used.add((company, options[n][0]))
                return n
        return order[0]

    def _skills(self, role: str, base: list[str]) -> list[str]:
        best: list[str] = []
        for _ in range(40):
            extra = self.rng.sample(
                [s for s in EXTRA_SKILLS if s not in base], self.rng.randint(1, 4)
            )
            skills = base + extra
            named = frozenset(s for s in PROFILE_SKILLS if s in skills or s in role.split())
            best = skills
            if named not in self.used_skills:
                self.used_skills.add(named)
                break
        return best

    def make(self, count: int, offset: int) -> list[dict[str, str]]:
        jobs = []
        for n in range(count):
            company, place, product = self.rng.choice(COMPANIES)
            role, base, duty = ROLES[self._fresh(company, ROLES, self.used_roles)]
            team, mission = TEAMS[self._fresh(company, TEAMS, self.used_teams)]
            skills = self._skills(role, base)
            remote = place == "Remote" or self.rng.random() < 0.3
            location = "Remote (Europe)" if remote else place
            posted = START - dt.timedelta(
                hours=self.rng.randint(0, 24 * 7), minutes=self.rng.randint(0, 59)
            )
            job = {
                "company": company,
                "role": role,
                "team": team,
                "mission": mission,
                "product": product,
                "duty": duty,
                "pay": self.rng.choice(PAY),
                "benefits": " and ".join(self.rng.sample(BENEFITS, 2)),
                "location": location,
                "posted": _rfc822(posted),
                "iso": posted.isoformat().replace("+00:00", "Z"),
                "slug": f"{company}-{role}".lower()
                .replace(" ", "-")
                .replace(",", "")
                .replace("(", "")
                .replace(")", "")
                + f"-{offset}-{n}",
            }
            job["skills"] = ",".join(skills)
            job["description"] = _description(job, skills)
            jobs.append(job)
        return jobs


def remote_board(jobs: list[dict[str, str]]) -> str:
    """We Work Remotely style: "Company: Role", entity-escaped HTML, region/state elements."""
    items = []
    for job in jobs:
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


def careers_atom(jobs: list[dict[str, str]]) -> str:
    """An Atom careers aggregator: author = company, "Role at Company (Location)" titles."""
    entries = []
    for job in jobs:
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


def job_search(jobs: list[dict[str, str]]) -> str:
    """LinkedIn / Indeed search results as RSS: tracking URLs, aggregators, repeats."""
    items = []
    for n, job in enumerate(jobs):
        company, description = job["company"], job["description"]
        if n % 9 == 4:  # an aggregator posting someone else's job, in its own words
            own, lead = AGGREGATOR_LEADS[(n // 9) % len(AGGREGATOR_LEADS)]
            poster = own or AGGREGATORS[n % 2]
            description = _description(
                job,
                job["skills"].split(","),
                lead=lead.format(company=company, role=job["role"], poster=poster),
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
    postings = _Postings(random.Random(seed))
    out.mkdir(parents=True, exist_ok=True)
    third = max(1, count // 3)
    board = postings.make(third, offset=1)
    careers = postings.make(third, offset=2)
    # Every tenth careers entry is a board posting again, under another URL: the same job
    # from two places, which the run merges into one.
    for n in range(0, len(careers), 10):
        careers[n] = {**board[n], "slug": board[n]["slug"].replace("-1-", "-2-")}
    files = {
        "remote-board.xml": remote_board(board),
        "careers.atom": careers_atom(careers),
        "job-search.xml": job_search(postings.make(count - 2 * third, offset=3)),
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
