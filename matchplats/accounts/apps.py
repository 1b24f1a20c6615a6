from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "matchplats.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from matchplats.accounts.adapter import log_sign_in

        user_logged_in.connect(log_sign_in, dispatch_uid="matchplats.accounts.log_sign_in")
