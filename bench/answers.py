"""Checking every workload before it is measured, and capturing the bytes the limit will send.

A plain POST (the headers wrk sends) of the workload's bodies, a sample of them for the miss
workloads, must answer 200 with `data` and no `errors`; stock Strawberry and the peers (Apollo,
Yoga) must answer the same `data` as recapql, or they are not a baseline for the same work; the
limit, on each stack, must send exactly recapql's bytes with recapql's content type.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from workloads import Workload

SAMPLES = 40


@dataclass(frozen=True)
class Answer:
    """One response as it went over the wire."""

    status: int
    body: bytes
    content_type: str

    def problem(self) -> str | None:
        """What is wrong with this as the answer to a benchmark query, or None."""
        if self.status != 200:
            return f"HTTP {self.status}: {self.body[:300]!r}"
        try:
            answer: Any = json.loads(self.body)
        except ValueError:
            return f"not JSON: {self.body[:300]!r}"
        if not isinstance(answer, dict):
            return f"not a JSON object: {self.body[:300]!r}"
        if answer.get("errors"):
            return f"errors: {json.dumps(answer['errors'])[:300]}"
        if not answer.get("data"):
            return "no data"
        return None

    @property
    def data(self) -> Any:
        return json.loads(self.body)["data"]


def post(url: str, body: str) -> Answer:
    """POST `body` as JSON, with nothing else a load generator would not send."""
    request = urllib.request.Request(url, data=body.encode(), headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, response.read(), response.headers.get("content-type", ""))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(), error.headers.get("content-type", ""))


def capture(
    workload: Workload, url: str, baselines: dict[str, str], *, twice: frozenset[str] = frozenset()
) -> tuple[Answer | None, dict[str, list[str]]]:
    """recapql's answer to the workload's first body, and what went wrong, by server.

    Every baseline (stock Strawberry, the peers: name to URL) must answer each sampled body with
    the same `data` as recapql; those in `twice` (the caching peers) are asked twice, so that
    their cached answer is checked as well as the one they executed.
    """
    problems: dict[str, list[str]] = {}
    first: Answer | None = None
    for body in workload.sample(SAMPLES):
        ours = post(url, body)
        problem = ours.problem()
        if problem is not None:
            problems.setdefault("recapql", []).append(f"{problem} (for {body[-160:]})")
            continue
        first = first or ours
        for name, baseline in baselines.items():
            for _ in range(2 if name in twice else 1):
                theirs = post(baseline, body)
                problem = theirs.problem()
                if problem is None and theirs.data != ours.data:
                    problem = f"answers differently from recapql: {theirs.body[:200]!r}"
                if problem is not None:
                    problems.setdefault(name, []).append(f"{problem} (for {body[-160:]})")
                    break
    if problems.get("recapql"):
        first = None  # the limit must not serve an answer recapql could not give every time
    return first, problems


def check_reference(url: str, body: str, expected: Answer) -> list[str]:
    """Problems with the limit's answer: it must be recapql's bytes and content type."""
    sent = post(url, body)
    problems = []
    if sent.status != 200 or sent.body != expected.body:
        problems.append(f"limit sends HTTP {sent.status} with other bytes than recapql ({len(sent.body)} bytes)")
    if sent.content_type != expected.content_type:
        problems.append(f"limit's content type {sent.content_type!r} is not recapql's {expected.content_type!r}")
    return problems
