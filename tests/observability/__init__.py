"""Tests of observability: the access log, request ids and what operators see."""
