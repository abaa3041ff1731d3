"""The accessibility checker the browser tests run is the pinned axe-core, unedited, with its licence."""

from __future__ import annotations

import hashlib
import re

from tests.support.accessibility import AXE


def test_axe_is_the_release_scripts_vendor_axe_wrote() -> None:
    versions = (AXE.parent / "VERSIONS").read_text(encoding="utf-8")
    assert "axe-core@4.14.1  MPL-2.0  sha512-" in versions
    [(digest, name)] = re.findall(r"^([0-9a-f]{64})  \./(\S+)$", versions, re.MULTILINE)
    assert name == AXE.name
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == digest
    assert "Mozilla Public License, version 2.0" in (AXE.parent / "LICENSE").read_text(encoding="utf-8")
