"""The load generator used when wrk is not installed: keep-alive POSTs from asyncio, one process.

`python bench/pyload.py URL BODIES.json --connections 16 --seconds 5` sends the bodies in turn
(a new one each request) over `connections` HTTP/1.1 connections and prints one JSON object:
the LoadResult fields. Any status but 200 counts as non_2xx. It is slower than wrk: on one core
it may not saturate a fast server, which is why wrk is preferred.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import socket
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit


class Tally:
    """Latencies (seconds) and failures of every connection."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.non_2xx = 0
        self.socket_errors = 0


async def connection(host: str, port: int, requests: Iterator[bytes], deadline: float, tally: Tally) -> None:
    """One keep-alive connection sending requests until `deadline`; reconnects after an error."""
    while time.perf_counter() < deadline:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            tally.socket_errors += 1
            await asyncio.sleep(0.01)
            continue
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                writer.write(next(requests))
                head = await reader.readuntil(b"\r\n\r\n")
                await reader.readexactly(_content_length(head))
                tally.latencies.append(time.perf_counter() - started)
                if head[9:12] != b"200":
                    tally.non_2xx += 1
        except (OSError, asyncio.IncompleteReadError, ValueError):
            tally.socket_errors += 1
        finally:
            writer.close()


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    raise ValueError("a response without content-length (chunked answers are not supported here)")


async def load(url: str, bodies: list[str], connections: int, seconds: float) -> dict[str, float]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    head = f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
    prepared = [f"{head}Content-Length: {len(body.encode())}\r\n\r\n{body}".encode() for body in bodies]
    tally = Tally()
    started = time.perf_counter()
    deadline = started + seconds
    requests = itertools.cycle(prepared)
    await asyncio.gather(*(connection(host, port, requests, deadline, tally) for _ in range(connections)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(tally.latencies, n=100) if len(tally.latencies) > 1 else [0.0] * 99
    return {
        "requests_per_second": round(len(tally.latencies) / elapsed, 2),
        "p50_ms": round(cuts[49] * 1000, 3),
        "p99_ms": round(cuts[98] * 1000, 3),
        "requests": len(tally.latencies),
        "non_2xx": tally.non_2xx,
        "socket_errors": tally.socket_errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("bodies", type=Path, help="a JSON list of request bodies")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0)
    options = parser.parse_args()
    bodies = json.loads(options.bodies.read_text(encoding="utf-8"))
    print(json.dumps(asyncio.run(load(options.url, bodies, options.connections, options.seconds))))


if __name__ == "__main__":
    main()
