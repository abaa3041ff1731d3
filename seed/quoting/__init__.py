"""Whose words each text of a recap is: its own, the curator's, or a quotation of its source.

`quotations.py` finds a quotation in the source text, `provenance.py` gives each text its `Source`.
May import `store.records`; nothing else of ours.
"""
