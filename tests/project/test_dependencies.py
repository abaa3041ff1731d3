"""constraints.txt pins every package recapql and its tests install, at the versions installed."""

from __future__ import annotations

from importlib import metadata

from tests.support.constraints import normalized, pins

# What `pip freeze` leaves out: the installer's own packages, and recapql itself.
NOT_PINNED = {"pip", "setuptools", "wheel", "distribute", "recapql"}


def test_every_installed_package_is_pinned_at_its_installed_version() -> None:
    installed = {normalized(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}
    unpinned = {name: version for name, version in installed.items() if name not in NOT_PINNED}
    assert unpinned == pins(), "pyproject.toml and constraints.txt disagree: run scripts/lock, then scripts/test"
