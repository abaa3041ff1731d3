"""Tests of the seed."""
