from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Pengguna dan penugasan"

    def ready(self) -> None:
        from accounts.roles import ensure_role_groups

        # Groups need the permissions that post_migrate creates, so they are seeded after it.
        post_migrate.connect(ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
