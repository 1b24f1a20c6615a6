"""The terms of use that an organisation accepts when it is registered (``/villkor/``), and the
open licence they grant for Matchplats' own aggregated figures (docs/open-data.md).

Change ``TERMS_VERSION`` whenever the text of the terms changes: each organisation stores the
version it accepted, so a later version can be asked for again.
"""

from __future__ import annotations

import datetime as dt

TERMS_VERSION = "2026-11-30"
"""The version of the terms in force: the day they were last changed."""
TERMS_DATE = dt.date(2026, 11, 30)

OPEN_DATA_LICENCE_NAME = "CC BY 4.0"
OPEN_DATA_LICENCE_SPDX = "CC-BY-4.0"
OPEN_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.sv"
"""Creative Commons Attribution 4.0 International: anyone may reuse the aggregates, also
commercially, when they name the source (why this licence: docs/open-data.md)."""
