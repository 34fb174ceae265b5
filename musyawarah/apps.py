from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MusyawarahConfig(AppConfig):
    """The kelurahan deliberation (musyawarah kelurahan) whose minutes accompany a proposal."""

    name = "musyawarah"
    verbose_name = _("Musyawarah kelurahan")

    def ready(self) -> None:
        from inti.slots import Panel, register
        from musyawarah import panels
        from pmks import slots

        register(slots.KELUARGA, Panel("musyawarah/_keluarga_panel.html", panels.keluarga_panel, urutan=15))
        register(slots.BERANDA, Panel("musyawarah/_beranda_panel.html", panels.beranda_panel, urutan=15))
