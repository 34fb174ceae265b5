from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImporConfig(AppConfig):
    """Spreadsheet imports: people (one row per person, grouped into households by No. KK),
    extracts of aid decided elsewhere, and DTSEN deciles."""

    name = "impor"
    verbose_name = _("Impor berkas")

    def ready(self) -> None:
        from bantuan import slots
        from impor import lookups  # noqa: F401 - registers the in_array lookup
        from inti.slots import Panel, register

        # The import buttons on the page of aid decided elsewhere (bantuan cannot link up to us).
        register(slots.LUAR, Panel("impor/_luar_panel.html", lambda request, args: {}))
