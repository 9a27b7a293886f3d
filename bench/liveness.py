"""Benchmark `jobpicks check`: 600 picks (30 days x 20) over 20 hosts answering in 100 ms.

With `per_host: 2` the ideal is each host's 30 picks two at a time: 15 rounds x 100 ms =
1.5 s, whatever the number of hosts. The target is within 1.2x of that. The hosts are 20
ports on 127.0.0.1 served by a separate process, so the server never shares the checker's
GIL and the figure measures the checker. The wall time includes reading the 30 pages.

    .venv/bin/python bench/liveness.py [--days 30] [--per-day 20] [--hosts 20] [--latency 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import pages  # noqa: E402
from generator.check.history import window  # noqa: E402
from generator.check.run import check_all, check_picks  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.models import DayPage, Pick  # noqa: E402

TODAY = dt.date(2026, 11, 23)


def serve(hosts: int, latency: float) -> None:
    """Serve every path as an open posting after `latency` seconds, on `hosts` ports; print
    the ports as JSON and run until stdin closes. A bare asyncio HTTP/1.1 server with
    keep-alive, so that 400 requests a second cost the server little and the figure is the
    checker's."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                await asyncio.sleep(latency)
                number = path.rsplit("/", 1)[-1]
                body = f"<html><body><h1>Engineer {number}</h1><p>Apply now.</p></body></html>"
                data = body.encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    + f"Content-Length: {len(data)}\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def run() -> None:
        servers = [await asyncio.start_server(answer, "127.0.0.1", 0) for _ in range(hosts)]
        ports = [server.sockets[0].getsockname()[1] for server in servers]
        print(json.dumps(ports), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        for server in servers:
            server.close()

    asyncio.run(run())


def bench(days: int, per_day: int, hosts: int, latency: float, per_host: int) -> None:
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--hosts", str(hosts), "--latency", str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        ports = json.loads(server.stdout.readline())
        with tempfile.TemporaryDirectory(prefix="jobpicks-bench-") as tmp:
            folder = Path(tmp)
            (folder / "feed.xml").write_text("<rss><channel></channel></rss>")
            (folder / "jobpicks.yml").write_text(
                "sources: [{type: rss, url: feed.xml}]\n"
                f"liveness: {{days: {days}, per_host: {per_host}, deadline: 600, "
                f"max_requests: {days * per_day + hosts + 1}, allow_private: true}}\n"
            )
            config = load_config(folder / "jobpicks.yml")
            for age in range(1, days + 1):
                picks = []
                for i in range(per_day):
                    n = (age - 1) * per_day + i
                    url = f"http://127.0.0.1:{ports[n % hosts]}/jobs/{n}"
                    picks.append(
                        Pick(id=f"p{n}", title=f"Engineer {n}", company="Acme", url=url, score=80)
                    )
                date = TODAY - dt.timedelta(days=age)
                pages.write(DayPage(date=date, picks=tuple(picks)), config.picks_dir)

            started = time.perf_counter()
            read = window(config.picks_dir, TODAY, days)
            reading = time.perf_counter() - started
            # The HTTP part alone, on its own copy of the picks: what the client choice moves.
            started = time.perf_counter()
            cpu = time.process_time()
            asyncio.run(check_all([p for _, day in read for p in day.picks], config, TODAY))
            network = time.perf_counter() - started
            network_cpu = time.process_time() - cpu
            started = time.perf_counter()
            result = check_picks(config, today=TODAY)
            wall = time.perf_counter() - started
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=10)

    picks_total = days * per_day
    ideal = math.ceil(picks_total / hosts / per_host) * latency
    counts = result.counts()
    print(
        f"{picks_total} picks over {hosts} hosts, {latency * 1000:.0f} ms per reply, "
        f"per_host {per_host}"
    )
    print(f"  {result.summary()}")
    print(
        f"  wall time {wall:.2f} s; ideal {ideal:.2f} s; ratio {wall / ideal:.2f} (target <= 1.2)"
    )
    print(
        f"  of which reading the pages {reading:.2f} s; writing `checked` on "
        f"{len(result.written)} pages the rest"
    )
    print(
        f"  the HTTP part alone (check_all): {network:.2f} s, ratio {network / ideal:.2f} "
        f"(ideal + one robots.txt round: {network / (ideal + latency):.2f}); "
        f"CPU {network_cpu:.2f} s, {network_cpu / (picks_total + hosts) * 1000:.2f} ms a request"
    )
    print(f"  {result.requests / wall:.0f} requests/s; open {counts['open']} of {picks_total}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=20)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.hosts, args.latency)
    else:
        bench(args.days, args.per_day, args.hosts, args.latency, args.per_host)


if __name__ == "__main__":
    main()
