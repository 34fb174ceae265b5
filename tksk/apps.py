from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TkskConfig(AppConfig):
    name = "tksk"
    verbose_name = _("TKSK dan PSKS")
