from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WargaConfig(AppConfig):
    name = "warga"
    verbose_name = _("Usul, sanggah dan publikasi")

    def ready(self) -> None:
        from inti.slots import Panel, register
        from pmks import slots
        from warga import panels

        register(slots.BERANDA, Panel("warga/_beranda_panel.html", panels.beranda_panel, urutan=20))
