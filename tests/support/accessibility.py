"""axe-core, run inside a page the browser tests opened: the accessibility problems a checker finds.

axe is vendored in tests/support/vendor/axe-core (scripts/vendor-axe, its version and integrity
pinned) and evaluated through Playwright, outside the page's CSP, so the app serves none of it
and its policy stays as strict as users get it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, and axe's best practices (landmarks, one main, headings in order).
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SERIOUS = {"serious", "critical"}


@dataclass(frozen=True)
class Violation:
    """One rule a page breaks: axe's rule id, how bad, what it means, and where (CSS selectors)."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help} at {', '.join(self.targets[:5])}"


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def violations(page: Page, *, include: str = "html") -> list[Violation]:
    """Every violation axe finds in the page as it stands (or in the part `include` selects)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    found: list[dict[str, Any]] = page.evaluate(
        """([include, tags]) => axe.run(include, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
            .then((results) => results.violations.map((v) => ({
              rule: v.id, impact: v.impact || "minor", help: v.help,
              targets: v.nodes.map((node) => node.target.join(" ")),
            })))""",
        [include, RULES],
    )
    return [Violation(item["rule"], item["impact"], item["help"], tuple(item["targets"])) for item in found]


def serious_violations(page: Page, *, include: str = "html") -> list[Violation]:
    """The violations axe calls serious or critical: what the browser tests allow none of."""
    return [found for found in violations(page, include=include) if found.impact in SERIOUS]
