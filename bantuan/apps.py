from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BantuanConfig(AppConfig):
    """Aid programmes, proposals, beneficiary lists and distributions (issue #3)."""

    name = "bantuan"
    verbose_name = _("Program bantuan")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from bantuan import luar, panels
        from pmks.models import AnggotaKeluarga, Keluarga

        # A household registered after its external aid was imported gets that aid linked.
        for model in (Keluarga, AnggotaKeluarga):
            post_save.connect(luar.link_saved_household, sender=model, dispatch_uid=f"luar-{model.__name__}")
        from inti.slots import Panel, register
        from pmks import slots

        register(slots.KELUARGA, Panel("bantuan/_keluarga_panel.html", panels.keluarga_panel, urutan=20))
        register(slots.BERANDA, Panel("bantuan/_tugas_panel.html", panels.tugas_panel, urutan=5))
        register(slots.BERANDA, Panel("bantuan/_pemantauan_panel.html", panels.pemantauan_panel, urutan=20))
        from musyawarah import slots as musyawarah_slots

        register(
            musyawarah_slots.DETAIL,
            Panel("bantuan/_musyawarah_panel.html", panels.musyawarah_panel, urutan=20),
        )
