"""The limit: a Starlette route answering each workload with recapql's own answer, pre-serialized.

Run by the benchmark as `uvicorn reference_app:app`; `BENCH_ANSWERS` names a JSON file of
{workload: {"body": <base64>, "content_type": ...}} captured from recapql just before.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

_ANSWERS = {
    name: (base64.b64decode(answer["body"]), answer["content_type"])
    for name, answer in json.loads(Path(os.environ["BENCH_ANSWERS"]).read_text(encoding="utf-8")).items()
}


async def answer(request: Request) -> Response:
    await request.body()  # read it, as any endpoint must
    body, content_type = _ANSWERS[request.path_params["workload"]]
    return Response(body, headers={"content-type": content_type})


app = Starlette(routes=[Route("/ref/{workload}", answer, methods=["GET", "POST"])])
