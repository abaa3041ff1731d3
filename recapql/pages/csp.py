"""The Content-Security-Policy every page of ours is served under: our own origin, nothing inline.

One definition, so the agenda and GraphiQL cannot drift apart; a page adds only what it needs
beyond it. The browser tests fail on any violation a page reports.
"""

from __future__ import annotations

# Scripts, styles and calls from our own origin only: no inline code or styles, no eval, no
# plugins, no <base> tricks, no framing by other sites.
_STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def content_security_policy(**extra: str) -> str:
    """The strict policy, plus `extra` directives (`font_src="'self' data:"` is `font-src 'self' data:`)."""
    directives = {**_STRICT, **{name.replace("_", "-"): sources for name, sources in extra.items()}}
    return "; ".join(f"{name} {sources}" for name, sources in directives.items())
