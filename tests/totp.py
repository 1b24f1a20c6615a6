"""What an authenticator app computes, for the tests of two-step sign-in (pytest and browser)."""

from __future__ import annotations

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time


def app_code(secret: str, *, step: int = 0) -> str:
    """The code an authenticator app shows for ``secret`` (``step`` periods later or earlier). Close to
    the end of a period it first waits for the next one, as a person would, so the code cannot run
    out between being computed and being checked."""
    if step == 0 and time.time() % mfa_settings.TOTP_PERIOD > mfa_settings.TOTP_PERIOD - 3:
        time.sleep(mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD + 0.1)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2] + step))


def wrong_app_code(secret: str) -> str:
    """Six digits the app shows for ``secret`` in no period near now."""
    right = {app_code(secret, step=step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)
