from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntiConfig(AppConfig):
    """The shared base every other app builds on; it imports none of them."""

    name = "inti"
    verbose_name = _("Dasar bersama")
