"""Where the repository is, for the tests that read its files (docs, examples, manifests, the Dockerfile)."""

from __future__ import annotations

from pathlib import Path

# tests/support/repository.py: two folders below the repository's root, wherever a test module sits.
ROOT = Path(__file__).resolve().parents[2]
