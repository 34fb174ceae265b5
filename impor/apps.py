from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImporConfig(AppConfig):
    """Spreadsheet imports of people (one row per person, grouped into households by No. KK)."""

    name = "impor"
    verbose_name = _("Impor berkas")
