from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BantuanConfig(AppConfig):
    """Aid programmes, proposals, beneficiary lists and distributions (issue #3)."""

    name = "bantuan"
    verbose_name = _("Program bantuan")
