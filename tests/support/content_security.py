"""What the page tests expect of a Content-Security-Policy header, written out here, not read from the code."""

from __future__ import annotations

# Every page's policy: our own origin only, nothing inline, no plugins, no framing.
STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives_of(header: str) -> dict[str, str]:
    """A policy header's directives, each with its sources."""
    return dict(part.split(" ", 1) for part in header.split("; "))
