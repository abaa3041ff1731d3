"""Tests of the benchmark's parts (not its figures)."""
