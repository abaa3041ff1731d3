"""Serving the app under uvicorn.

`server.py` (configuration, bounds), `protocols.py` (uvicorn's httptools protocol, bounded),
`early_answers.py` (repeats of cached requests, answered by the protocol), `transport.py` (one
write per answer), `notices.py` (rate-limited warnings) and `workers.py`.

Part of the composition root: it may import `recapql.app`, the settings, the wings and uvicorn.
"""
