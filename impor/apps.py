from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImporConfig(AppConfig):
    """Spreadsheet imports of people (one row per person, grouped into households by No. KK)."""

    name = "impor"
    verbose_name = _("Impor berkas")

    def ready(self) -> None:
        from impor import lookups  # noqa: F401 - registers the in_array lookup
