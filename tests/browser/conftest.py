"""What the browser tests share: one Chromium per module, and a real `recapql serve` on the embedded store.

A module that needs another store (several recaps, a generated one) defines its own `server_url`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.support.browser import chromium
from tests.support.live_server import live_server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("browser") / "store.json"
    with live_server(env={"RECAPQL_STORE": str(store)}) as server:
        yield server.url
