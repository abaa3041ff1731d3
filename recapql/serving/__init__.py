"""Serving the app under uvicorn.

`server.py` (configuration, bounds), `protocols.py` (uvicorn's httptools protocol, bounded, and
answering repeats of cached requests with `recapql.endpoint.early_answers`), `early_writes.py`
(the request as the app would see it, and the answer's bytes, for those), `transport.py`
(one write per answer), `notices.py` (rate-limited warnings) and `workers.py`.

Part of the composition root: it may import `recapql.app`, the settings, the wings and uvicorn.
"""
