from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The synthetic demo city. Depends on every app; no app imports it."""

    name = "demo"
    verbose_name = _("Data demo")
