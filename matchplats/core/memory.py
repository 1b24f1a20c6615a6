"""Garbage-collector settings for a long-running server process.

A server process holds many long-lived objects — Django and its apps, the taxonomy, the fitted
matcher — that CPython's cyclic garbage collector would otherwise scan on every full
collection. On the dimensioning page such collections showed as pauses of 130–150 ms in one
request out of ten (docs/dimensioning.md, Performance). Freezing what exists once the process
has loaded moves it out of the collector's generations for good: it is never freed, which is
right for objects that live as long as the process, and the pauses go.
"""

import gc


def freeze_long_lived_objects() -> None:
    """Collect what is already garbage, then exclude every remaining object from future
    collections. Call once the process has loaded what it keeps (at start, after the matcher)."""
    gc.collect()
    gc.freeze()
