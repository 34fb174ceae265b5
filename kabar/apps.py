from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KabarConfig(AppConfig):
    name = "kabar"
    verbose_name = _("Pemberitahuan")
