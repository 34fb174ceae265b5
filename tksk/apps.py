from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TkskConfig(AppConfig):
    name = "tksk"
    verbose_name = _("TKSK dan PSKS")

    def ready(self) -> None:
        from inti.slots import Panel, register
        from pmks import slots
        from tksk import panels

        register(slots.KELUARGA, Panel("tksk/_keluarga_panel.html", panels.keluarga_panel, urutan=10))
        register(slots.BERANDA, Panel("tksk/_tugas_panel.html", panels.tugas_panel, urutan=6))
        register(slots.BERANDA, Panel("tksk/_agenda_panel.html", panels.agenda_panel, urutan=10))
