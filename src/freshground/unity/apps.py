from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnityConfig(AppConfig):
    name = "freshground.unity"
    label = "unity"
    verbose_name = _("Points of unity")
