"""Running the app under uvicorn: one process, or several workers managed by uvicorn itself.

One worker serves the app object built here, over the store the command line has already
opened. Several workers are separate processes that each build the app from the environment
(`app_from_env`), so the settings travel as `RECAPQL_*` variables, and the metrics of all
workers meet in one prometheus-client multiprocess directory.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile

import uvicorn
from uvicorn.supervisors import Multiprocess

from recapql.app import create_app
from recapql.observability.log_config import logging_config
from recapql.settings import Settings
from store import Store

METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
# Less than Kubernetes' default 30 s grace period, so requests in flight finish before SIGKILL.
GRACEFUL_SHUTDOWN_SECONDS = 20


class TCPConfig(uvicorn.Config):
    """uvicorn's Config, whose pre-bound listener says it is TCP, so connections get TCP_NODELAY.

    uvicorn binds the workers' shared socket with `proto` 0; accepted connections inherit it,
    and asyncio only turns Nagle's algorithm off for IPPROTO_TCP sockets. Every keep-alive
    request then waited ~40 ms for a delayed ACK: 720 requests/s with two workers against
    4,300 with one (uvicorn#3149, open for uvicorn 0.54).
    """

    def bind_socket(self) -> socket.socket:
        bound = super().bind_socket()
        if bound.family not in (socket.AF_INET, socket.AF_INET6) or bound.proto == socket.IPPROTO_TCP:
            return bound
        tcp = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
        tcp.set_inheritable(True)
        return tcp


def serve_app(settings: Settings, store: Store) -> None:
    """Serve until SIGINT or SIGTERM; requests in flight are finished first."""
    options = {
        "host": settings.host,
        "port": settings.port,
        "log_config": logging_config(settings.log_level, settings.log_format),
        "access_log": False,  # recapql.access logs every request, with its id and operation
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
        "server_header": False,
    }
    if settings.workers == 1:
        uvicorn.run(create_app(settings, store), **options)  # type: ignore[arg-type]
        return
    os.environ.update(settings.to_env())
    made_metrics_dir = None
    if not os.environ.get(METRICS_DIR_VARIABLE):
        made_metrics_dir = tempfile.mkdtemp(prefix="recapql-metrics-")
        os.environ[METRICS_DIR_VARIABLE] = made_metrics_dir
    try:
        # What uvicorn.run does for several workers, with a listener that keeps TCP_NODELAY.
        config = TCPConfig("recapql.app:app_from_env", factory=True, workers=settings.workers, **options)  # type: ignore[arg-type]
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    finally:
        if made_metrics_dir is not None:
            shutil.rmtree(made_metrics_dir, ignore_errors=True)
