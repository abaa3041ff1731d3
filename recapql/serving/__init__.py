"""Serving the app under uvicorn: `server.py` (configuration, bounds), `protocols.py`, `workers.py`.

Part of the composition root: it may import `recapql.app`, the settings, the wings and uvicorn.
"""
