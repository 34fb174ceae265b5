from django.apps import AppConfig


class BantuanConfig(AppConfig):
    """Aid programmes, proposals, beneficiary lists and distributions (issue #3)."""

    name = "bantuan"
    verbose_name = "Program bantuan"
