from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaporanConfig(AppConfig):
    """Reports and exports for every role, within its area, and the log of who exported what."""

    name = "laporan"
    verbose_name = _("Laporan dan ekspor")
