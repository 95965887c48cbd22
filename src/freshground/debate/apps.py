from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebateConfig(AppConfig):
    name = "freshground.debate"
    label = "debate"
    verbose_name = _("Debate")

    def ready(self) -> None:
        # Register content kinds, portability hooks and signal listeners here.
        pass
