"""What the tests share: a real `recapql serve` on 127.0.0.1, Debian's Chromium, fixture types.

Imported by test modules (and by the benchmark's server runner); it imports recapql only
as users do, through its command line and public modules.
"""
