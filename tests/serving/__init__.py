"""Tests of serving: recapql serve under uvicorn, its protocol, workers and signals."""
