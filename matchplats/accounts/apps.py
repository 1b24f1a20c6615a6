from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "matchplats.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth.signals import user_logged_in

        from matchplats.accounts import adapter

        user_logged_in.connect(adapter.log_sign_in, dispatch_uid="matchplats.accounts.log_sign_in")
        mfa_signals.authenticator_added.connect(adapter.log_two_step_added,
                                                dispatch_uid="matchplats.accounts.log_two_step_added")
        mfa_signals.authenticator_removed.connect(adapter.log_two_step_removed,
                                                  dispatch_uid="matchplats.accounts.log_two_step_removed")
        mfa_signals.authenticator_reset.connect(adapter.log_recovery_codes_renewed,
                                                dispatch_uid="matchplats.accounts.log_recovery_codes_renewed")
        mfa_signals.authentication_failed.connect(adapter.log_second_step_failed,
                                                  dispatch_uid="matchplats.accounts.log_second_step_failed")
