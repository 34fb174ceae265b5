from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Pengguna dan penugasan")

    def ready(self) -> None:
        from accounts.roles import ensure_role_groups

        # Groups need the permissions that post_migrate creates, so they are seeded after it.
        post_migrate.connect(ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
