"""Running the app under uvicorn: one process, or several workers managed by uvicorn itself.

One worker serves the app object built here, over the store the command line has already
opened. Several workers are separate processes that each build the app from the environment
(`app_from_env`), so the settings travel as `RECAPQL_*` variables, and the metrics of all
workers meet in one prometheus-client multiprocess directory.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import uvicorn

from recapql.app import create_app
from recapql.log_config import logging_config
from recapql.settings import Settings
from store import Store

METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
# Less than Kubernetes' default 30 s grace period, so requests in flight finish before SIGKILL.
GRACEFUL_SHUTDOWN_SECONDS = 20


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
        uvicorn.run("recapql.app:app_from_env", factory=True, workers=settings.workers, **options)  # type: ignore[arg-type]
    finally:
        if made_metrics_dir is not None:
            shutil.rmtree(made_metrics_dir, ignore_errors=True)
