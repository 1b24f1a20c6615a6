"""allauth, adapted: a locked-out owner gets in with an e-mail code, and both are logged; e-mails
speak as Matchplats.

allauth's rate limit on failed sign-ins (5 per address in 5 minutes) stays: it stops password
guessing. But it also locks out the real owner, so anyone could keep a person out by typing
wrong passwords for their address. Sign-in by a code sent to the address (allauth's login by
code, ``ACCOUNT_LOGIN_BY_CODE_ENABLED``) does not go through that limit, and the lockout message
points to it. Failed attempts, lockouts and every successful sign-in (with its method) are
written to the ``matchplats.security`` log and the audit trail (``matchplats.accounts.audit``) with a
pseudonym of the address, never the address. So are the changes to two-step sign-in (allauth.mfa's
signals: turned on, turned off, new recovery codes, a wrong second-step code), and ``MFAAdapter``
makes a wrong code's refusal say what to type instead.

Without ``django.contrib.sites`` allauth names the site after the request's host, so its e-mails
greeted "Hej från 127.0.0.1:18200!". The adapter gives every e-mail the platform's name instead
(the host stays as the site's domain, for links).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from matchplats.accounts import audit
from matchplats.accounts.pseudonyms import client_ip, pseudonym

security_log = logging.getLogger("matchplats.security")


SITE_NAME = "Matchplats"


@dataclass(frozen=True)
class PlatformSite:
    """What allauth's e-mail templates read as ``current_site``."""

    name: str
    domain: str


def platform_site(request) -> PlatformSite:
    return PlatformSite(name=SITE_NAME, domain=request.get_host() if request is not None else "")


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts for this address. Sign in with a code sent to your e-mail "
            "instead (below), or try again in a few minutes."
        ),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's, with our site and without ``django.contrib.sites``. A mail sent after the
        request's transaction commits (allauth.mfa's notices) may run where allauth's request
        context has ended: the adapter's own request stands in for it then."""
        request = allauth_context.request or self.request
        self.render_mail(template_prefix, email, {"request": request, "email": email,
                                                  "current_site": platform_site(request), **context}).send()

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            security_log.warning("sign-in refused: too many failed attempts for %s from %s",
                                 pseudonym(credentials.get("email", "")), client_ip(request))
            audit.sign_in_failed(email=credentials.get("email", ""), request=request, locked=True)
            raise

    def authentication_failed(self, request, **credentials) -> None:
        security_log.info("sign-in failed for %s from %s", pseudonym(credentials.get("email", "")),
                          client_ip(request))
        audit.sign_in_failed(email=credentials.get("email", ""), request=request)
        super().authentication_failed(request, **credentials)


def log_sign_in(sender, request, user, **kwargs) -> None:
    """Receiver of Django's ``user_logged_in``: which method a person signed in with, in the log
    and the audit trail (a signal, because allauth and the admin both sign people in)."""
    methods = request.session.get("account_authentication_methods", []) if request is not None else []
    method = methods[-1].get("method", "unknown") if methods else "unknown"
    security_log.info("signed in by %s: %s from %s", method, pseudonym(user.email), client_ip(request))
    audit.signed_in(user=user, request=request, method=method)


class MFAAdapter(DefaultMFAAdapter):
    """allauth's two-step sign-in, with refusals that say what to do instead of "Incorrect code."."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _(
            "That code is not right. Type the six digits your authenticator app shows now (a new code comes "
            "every 30 seconds), or one of your recovery codes."
        ),
        "add_email_blocked": _(
            "Two-step sign-in is on for your account, so a new e-mail address cannot be added. Turn two-step "
            "sign-in off first, add the address, then turn it on again."
        ),
        "unverified_email": _(
            "Confirm your e-mail address first (follow the link in the e-mail we sent you); then you can turn "
            "on two-step sign-in."
        ),
    }


def log_two_step_added(sender, request, user, authenticator, **kwargs) -> None:
    """Receivers of allauth.mfa's signals: turning two-step sign-in on or off, renewing the recovery
    codes and a wrong second-step code are security events, in the log and the audit trail."""
    security_log.info("two-step sign-in (%s) turned on: %s", authenticator.type, pseudonym(user.email))
    audit.two_step_added(user=user, request=request, kind=authenticator.type)


def log_two_step_removed(sender, request, user, authenticator, **kwargs) -> None:
    security_log.info("two-step sign-in (%s) turned off: %s", authenticator.type, pseudonym(user.email))
    audit.two_step_removed(user=user, request=request, kind=authenticator.type)


def log_recovery_codes_renewed(sender, request, user, authenticator, **kwargs) -> None:
    audit.recovery_codes_renewed(user=user, request=request)


def log_second_step_failed(sender, request, user, authenticator, reauthentication: bool = False, **kwargs) -> None:
    security_log.info("wrong second-step code for %s from %s", pseudonym(user.email), client_ip(request))
    audit.second_step_failed(user=user, request=request, reauthentication=reauthentication)
